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
import { type Config, loadConfig } from './config.js';
import type { EngineName } from './engines/engines.js';

export { buildApp } from './app.js';
export { CONFIG_VARS, ConfigError, loadConfig, type Config } from './config.js';
export { ERROR_CODES, type ErrorCode } from './errors/codes.js';
export type { EngineName } from './engines/engines.js';

export interface StartOptions {
  /** Port to listen on; default 0 (a free port). */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Any TCOCR_* variable, as in the environment (e.g. `{ TCOCR_SIGNATURE: 'strict' }`). */
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
  const config = loadConfig({
    TCOCR_LOG_LEVEL: 'warn',
    ...options.env,
    TCOCR_PORT: String(options.port ?? 0),
    TCOCR_HOST: options.host ?? '127.0.0.1',
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
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
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
