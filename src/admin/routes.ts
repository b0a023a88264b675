/**
 * The control plane under /_emulator/ (off with TCOCR_ADMIN=false). Every route is one row of
 * ADMIN_ROUTES below; the rows also generate /_emulator/openapi.json.
 *
 *   health, ready                      liveness; readiness (engines warm) — open without a token
 *   openapi.json                       this API, described
 *   metrics                            Prometheus text
 *   reset                              rules, journal, accounts, limits and seed back to the configuration
 *   faults, faults/:id                 fault rules (src/admin/faults-routes.ts)
 *   requests, requests/…               the request journal (src/admin/requests-routes.ts)
 *   accounts/:secretId, rate-limits    account states and limits (src/admin/accounts-routes.ts)
 *
 * With TCOCR_ADMIN_TOKEN set, every route but health and ready needs `Authorization: Bearer <token>`.
 * Replies are JSON (errors `{ "error": message }`), never the Tencent envelope.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, RouteHandlerMethod } from 'fastify';
import { parse as parseYaml } from 'yaml';
import type { Config } from '../config.js';
import type { Controls } from '../faults/controls.js';
import type { RequestObserver } from '../journal/observer.js';
import { jsonNestsDeeperThan } from '../protocol/json-depth.js';
import { MAX_JSON_DEPTH } from '../protocol/limits.js';
import { VERSION } from '../version.js';
import { accountRoutes } from './accounts-routes.js';
import { faultRoutes } from './faults-routes.js';
import { consoleRoutes, cookieMatches, sameSecret } from './console-routes.js';
import { registerOpenApi, routeSchema } from './openapi.js';
import { requestRoutes } from './requests-routes.js';
import { type AdminDeps, AdminError, type AdminRoute, IntegerQuery, adminRoute, queryProblem } from './route.js';

export const ADMIN_PREFIX = '/_emulator';

/** Images waiting for a worker, per engine that is up (a scrape never starts an engine). */
async function queueDepth(app: FastifyInstance): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(app.engines.stats()).map(([name, stats]) => [name, stats.queued]));
}

function systemRoutes({ app, controls, observer }: AdminDeps): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/health',
      summary: 'Liveness: `warming` while the engines load, then `ok` (wait for /ready before the first request)',
      open: true,
      responses: {
        200: {
          description: 'The process is up.',
          schema: Type.Object({
            status: Type.Union([Type.Literal('ok'), Type.Literal('warming')]),
            version: Type.String(),
          }),
        },
      },
      handler: async () => ({ status: app.engines.isWarm() ? 'ok' : 'warming', version: VERSION }),
    },
    {
      method: 'GET',
      path: '/ready',
      summary: 'Readiness: the engines are warm',
      open: true,
      responses: {
        200: { description: 'Ready.', schema: Type.Object({ ready: Type.Boolean() }) },
        503: { description: 'Still warming up.', schema: Type.Object({ ready: Type.Boolean() }) },
      },
      handler: async (_request, reply) => {
        const ready = app.engines.isWarm();
        return reply.code(ready ? 200 : 503).send({ ready });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      summary: 'Prometheus metrics: requests by action and code, latency, in flight, queue depth, faults applied',
      responses: {
        200: { description: 'Text exposition format 0.0.4.', schema: Type.String(), contentType: 'text/plain' },
      },
      handler: async (_request, reply) =>
        reply.header('Content-Type', observer.metrics.contentType).send(
          await observer.metrics.render({
            inFlight: observer.inFlight,
            journalEntries: observer.journal.size,
            queueDepth: await queueDepth(app),
          }),
        ),
    },
    adminRoute({
      method: 'POST',
      path: '/reset',
      summary:
        'Back to the configuration: file rules with zero counters, API rules gone, journal empty, accounts and limits as configured, generator re-seeded',
      query: Type.Object({ seed: IntegerQuery(0, 2 ** 32 - 1, 'Re-seed with this instead of TCOCR_FAULT_SEED.') }),
      responses: { 204: { description: 'Reset.' } },
      handler: async (request, reply) => {
        controls.reset(request.query.seed);
        observer.journal.clear();
        observer.images.clear();
        return reply.code(204).send();
      },
    }),
  ];
}

/** `Authorization: Bearer <token>`, the scheme in any case (RFC 9110 §11.1), compared in constant time. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const credentials = header === undefined ? undefined : /^bearer +/i.exec(header.slice(0, 16));
  if (header === undefined || !credentials) return false;
  return sameSecret(header.slice(credentials[0].length), token);
}

export function registerAdmin(
  app: FastifyInstance,
  config: Readonly<Config>,
  state: { controls: Controls; observer: RequestObserver },
): void {
  const deps: AdminDeps = { app, config, ...state };
  const routes: AdminRoute[] = [
    ...systemRoutes(deps),
    ...faultRoutes(deps),
    ...requestRoutes(deps),
    ...accountRoutes(deps),
    ...consoleRoutes(deps),
  ];
  const tokenRequired = config.adminToken !== undefined;

  void app.register(
    async (admin) => {
      await registerOpenApi(admin, tokenRequired);
      routes.push({
        method: 'GET',
        path: '/openapi.json',
        summary: 'This document',
        responses: { 200: { description: 'OpenAPI 3.1.', schema: Type.Record(Type.String(), Type.Unknown()) } },
        handler: async () => admin.swagger(),
      });
      // Replies are written as they are: a response schema documents, it does not filter.
      admin.setSerializerCompiler(() => (data) => JSON.stringify(data));
      // An empty query parameter (`?limit=`) counts as left out.
      admin.addHook('preValidation', async (request) => {
        const query = request.query as Record<string, unknown>;
        for (const name of Object.keys(query ?? {})) if (query[name] === '') delete query[name];
      });
      // Control-plane bodies are JSON (or YAML for rules), unlike the API's raw bytes.
      admin.removeAllContentTypeParsers();
      admin.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        if (jsonNestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
          return done(new AdminError(400, `the body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
        }
        try {
          done(null, body === '' ? undefined : JSON.parse(body as string));
        } catch (error) {
          done(new AdminError(400, `the body is not JSON: ${(error as Error).message}`), undefined);
        }
      });
      admin.addContentTypeParser(
        ['application/yaml', 'application/x-yaml', 'text/yaml'],
        { parseAs: 'string' },
        (_request, body, done) => {
          try {
            done(null, parseYaml(body as string));
          } catch (error) {
            done(new AdminError(400, `the body is not YAML: ${(error as Error).message}`), undefined);
          }
        },
      );
      admin.setErrorHandler((error: FastifyError, request, reply) => {
        const status = error instanceof AdminError ? error.statusCode : (error.statusCode ?? 500);
        if (status >= 500) admin.log.error({ err: error }, 'control-plane error');
        const [invalid] = error.validationContext === 'querystring' ? (error.validation ?? []) : [];
        return reply.code(status).send({
          error: invalid ? queryProblem(request.routeOptions.schema?.querystring as TSchema, invalid) : error.message,
        });
      });
      admin.setNotFoundHandler((request, reply) =>
        reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }),
      );
      if (config.adminToken !== undefined) {
        const token = config.adminToken;
        admin.addHook('onRequest', async (request, reply) => {
          if ((request.routeOptions.config as { open?: boolean }).open) return;
          if (!tokenMatches(request.headers.authorization, token) && !cookieMatches(request, token)) {
            return reply
              .code(401)
              .header('WWW-Authenticate', 'Bearer')
              .send({ error: 'this route needs Authorization: Bearer <TCOCR_ADMIN_TOKEN>' });
          }
        });
      }
      for (const route of routes) {
        admin.route({
          method: route.method,
          url: route.path,
          ...routeSchema(route, tokenRequired),
          handler: route.handler as RouteHandlerMethod,
        });
      }
    },
    { prefix: ADMIN_PREFIX },
  );
}
