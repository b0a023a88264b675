/**
 * Library mode: start an emulator inside a test runner.
 *
 *   const emulator = await startEmulator({ port: 0 });
 *   // emulator.endpoint → "127.0.0.1:54321", emulator.credentials → { secretId, secretKey }
 *   await emulator.close();
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { ConfigError, type Config, loadConfig } from './config.js';
import { clientHost } from './cli/serve.js';
import type { EngineName } from './engines/engines.js';

export { buildApp } from './app.js';
export { CONFIG_VARS, ConfigError, loadConfig, type Config } from './config.js';
export { ERROR_CODES, type ErrorCode } from './errors/codes.js';
export type { EngineName } from './engines/engines.js';

export interface StartOptions {
  /** Port to listen on; default `env.TCOCR_PORT`, else 0 (a free port). */
  port?: number;
  /** Address to listen on; default `env.TCOCR_HOST`, else 127.0.0.1. */
  host?: string;
  /**
   * Any TCOCR_* variable, as in the environment (e.g. `{ TCOCR_SIGNATURE: 'strict' }`); every one
   * given is honoured (TCOCR_PORT and TCOCR_HOST too). Given both as an option and as a variable
   * with different values, the start is refused with a ConfigError.
   */
  env?: Record<string, string>;
  /**
   * Wait for the engines to be warm before resolving: true (default) for every engine served,
   * a list for some (others start on first use), false for none.
   */
  warm?: boolean | readonly EngineName[];
  logger?: Logger;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`: the SDKs' `httpProfile.endpoint`. */
  endpoint: string;
  port: number;
  credentials: { secretId: string; secretKey: string };
  config: Readonly<Config>;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const env = options.env ?? {};
  const conflicts = [
    options.port !== undefined && env.TCOCR_PORT !== undefined && env.TCOCR_PORT.trim() !== String(options.port)
      ? `TCOCR_PORT="${env.TCOCR_PORT}": differs from the port option (${options.port}); give one of them`
      : undefined,
    options.host !== undefined && env.TCOCR_HOST !== undefined && env.TCOCR_HOST.trim() !== options.host
      ? `TCOCR_HOST="${env.TCOCR_HOST}": differs from the host option (${options.host}); give one of them`
      : undefined,
  ].filter((problem): problem is string => problem !== undefined);
  if (conflicts.length > 0) throw new ConfigError(conflicts);
  const config = loadConfig({
    TCOCR_LOG_LEVEL: 'warn',
    TCOCR_PORT: '0',
    TCOCR_HOST: '127.0.0.1',
    ...env,
    ...(options.port !== undefined ? { TCOCR_PORT: String(options.port) } : {}),
    ...(options.host !== undefined ? { TCOCR_HOST: options.host } : {}),
  });
  const app = await buildApp(config, options.logger ? { logger: options.logger } : {});
  try {
    const warm = options.warm ?? true;
    if (warm !== false) await app.engines.warm(warm === true ? undefined : warm);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = clientHost(config.host);
  const first = config.credentials[0]!;
  return {
    url: `http://${host}:${port}`,
    endpoint: `${host}:${port}`,
    port,
    credentials: { secretId: first.secretId, secretKey: first.secretKey },
    config,
    app,
    close: () => app.close(),
  };
}
