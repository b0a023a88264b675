/**
 * The control plane under /_emulator/: liveness and readiness (engines warm).
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { VERSION } from '../version.js';

export const ADMIN_PREFIX = '/_emulator';

export function registerAdmin(app: FastifyInstance, _config: Readonly<Config>): void {
  app.get(`${ADMIN_PREFIX}/health`, async () => ({ status: 'ok', version: VERSION }));
  app.get(`${ADMIN_PREFIX}/ready`, async (_request, reply) => {
    const ready = app.engines.isWarm();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
}
