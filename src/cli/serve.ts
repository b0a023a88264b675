/**
 * A listening emulator process, shared by `npm start` (src/server.ts, environment only) and the
 * `tencentcloud-ocr-emulator` command (src/cli.ts, flags over the environment): build the app,
 * listen, print the banner, warm the engines; on SIGINT/SIGTERM stop accepting connections,
 * answer the requests in flight, close the engines and exit 0.
 */
import closeWithGrace from 'close-with-grace';
import { ACTIONS } from '../actions/registry.js';
import { buildApp } from '../app.js';
import { ConfigError, type Config, loadConfig } from '../config.js';
import { DOCUMENTED_FORMATS } from '../engines/barcode/types.js';
import { VERSION } from '../version.js';
import { stopWithNpm } from './parent-watch.js';
import { warmWithProgress } from './warm.js';

/**
 * How long a graceful close may take before the process exits 1 anyway: longer than the longest
 * request in flight can still take once closing starts (fault delays end at once): an ImageUrl
 * download, then the engine deadline twice (an image may wait for the one before it), and a margin.
 */
export function closeGraceMs(config: Pick<Config, 'urlTimeoutMs' | 'decodeTimeoutMs'>): number {
  return config.urlTimeoutMs + 2 * config.decodeTimeoutMs + 5_000;
}

/** loadConfig, or the ConfigError listing on stderr and exit 1. */
export function loadConfigOrExit(
  env: Readonly<Record<string, string | undefined>>,
  rename?: (problem: string) => string,
): Readonly<Config> {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      const problems = rename ? error.problems.map(rename) : error.problems;
      process.stderr.write(`${new ConfigError(problems).message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Where clients on this machine reach a server bound to `host`. */
export function clientHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i.test(host);
}

/** The banner's warning when anyone on the network may change fault rules and accounts. */
export function exposureWarning(config: Pick<Config, 'host' | 'admin' | 'adminToken'>): string | undefined {
  if (isLoopback(config.host) || !config.admin || config.adminToken !== undefined) return undefined;
  return `  WARNING:      listening on ${config.host} with the control plane (/_emulator/) open and no token: anyone who reaches this port can change fault rules and accounts. Set TCOCR_ADMIN_TOKEN, TCOCR_ADMIN=false, or TCOCR_HOST=127.0.0.1.`;
}

const regionList = (regions: readonly string[] | '*') => (regions === '*' ? 'every region' : regions.join(', '));

const formatList = (formats: readonly string[]) =>
  formats.length === DOCUMENTED_FORMATS.length && DOCUMENTED_FORMATS.every((f) => formats.includes(f))
    ? 'documented'
    : formats.join(',');

/** The start-up banner: where to point the SDKs, with which key, and what is served. */
export function banner(config: Readonly<Config>, port: number): string {
  const endpoint = `${clientHost(config.host)}:${port}`;
  const actions = [...ACTIONS.values()].map((action) =>
    action.offline(config)
      ? `${action.name} (offline: answers ActionOffline)`
      : `${action.name} (${regionList(action.regions(config))})`,
  );
  const engines = [
    `barcode ${config.barcodeEngine}, ${config.decoderWorkers} worker(s), formats ${formatList(config.barcodeFormats)}`,
    config.healthCodeOffline
      ? 'health code: not started (offline)'
      : config.ocrEngine === 'paddle'
        ? `health code PP-OCR (onnxruntime), ${config.ocrWorkers} worker(s) × ${config.ocrThreads} thread(s)`
        : `health code tesseract.js chi_sim, ${config.ocrWorkers} worker(s)`,
  ];
  const [first, ...more] = config.credentials;
  return [
    `tencentcloud-ocr-emulator ${VERSION}`,
    `  URL:          http://${endpoint}  (listening on ${config.host}:${port})`,
    `  SDK endpoint: ${endpoint}  (httpProfile: protocol "http://", endpoint "${endpoint}")`,
    `  SecretId:     ${first!.secretId}`,
    `  SecretKey:    ${first!.secretKey}${first!.token ? `  (token required: ${first!.token})` : ''}`,
    ...(more.length > 0 ? [`  More keys:    ${more.map((c) => c.secretId).join(', ')}`] : []),
    `  Signature:    ${config.signature}`,
    `  Actions:      ${actions.join('; ')}`,
    `  Engines:      ${engines.join('; ')}`,
    `  Health:       ${config.admin ? `http://${endpoint}/_emulator/health (ready: http://${endpoint}/_emulator/ready)` : 'control plane off (TCOCR_ADMIN=false)'}`,
    ...(exposureWarning(config) ? [exposureWarning(config)!] : []),
    '',
  ].join('\n');
}

export async function serve(config: Readonly<Config>): Promise<void> {
  const app = await buildApp(config);
  closeWithGrace({ delay: closeGraceMs(config) }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing: answering requests in flight');
    // Fastify stops accepting connections and resolves once every in-flight request is answered;
    // the engines' worker pools close in its onClose hook.
    await app.close();
    if (signal) process.stderr.write(`tencentcloud-ocr-emulator: ${signal}, closed\n`);
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stderr.write(banner(config, port));
  app.log.info(
    { version: VERSION, host: config.host, port, signature: config.signature, barcodeEngine: config.barcodeEngine },
    `tencentcloud-ocr-emulator ${VERSION} listening`,
  );
  stopWithNpm();
  await warmWithProgress(app, config, (line) => process.stderr.write(line));
  app.log.info('engines warm: ready');
  process.stderr.write('  Ready:        engines warm\n');
}
