/**
 * The OpenAPI 3.1 document of the control plane: @fastify/swagger generates it from the route
 * schemas built here out of the rows (src/admin/route.ts). A body is documented through the route's
 * swagger transform rather than `schema.body`: its handler checks it, with messages that list every
 * problem, so Fastify does not validate it first.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { VERSION } from '../version.js';
import type { AdminRoute } from './route.js';

export async function registerOpenApi(admin: FastifyInstance, tokenRequired: boolean): Promise<void> {
  await admin.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tencentcloud-ocr-emulator control plane',
        version: VERSION,
        description:
          'Fault injection, request journal, account states, rate limits and metrics of the emulator. See docs/control-plane.md and docs/fault-injection.md.',
      },
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'TCOCR_ADMIN_TOKEN, when set.' },
        },
      },
      security: tokenRequired ? [{ adminToken: [] }] : [],
    },
  });
}

const operationId = (route: AdminRoute) =>
  `${route.method.toLowerCase()}${route.path.replace(/[/:-]+([a-z])?/gi, (_, c: string | undefined) => (c ?? '').toUpperCase())}`;

/** The Fastify schema and swagger config of one row. */
export function routeSchema(
  route: AdminRoute,
  tokenRequired: boolean,
): { schema: FastifySchema; config: Record<string, unknown> } {
  const response: Record<string, unknown> = Object.fromEntries(
    Object.entries(route.responses).map(([status, reply]) => [
      status,
      reply.schema
        ? {
            description: reply.description,
            content: { [reply.contentType ?? 'application/json']: { schema: reply.schema } },
          }
        : { description: reply.description, type: 'null' },
    ]),
  );
  if (!route.open && tokenRequired) response['401'] = { description: 'Missing or wrong admin token.', type: 'null' };
  const schema: FastifySchema & Record<string, unknown> = {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.query ? { querystring: route.query } : {}),
    ...(route.params ? { params: route.params } : {}),
    response,
    ...(route.open ? { security: [] } : {}),
  };
  const body = route.body;
  return {
    schema,
    config: {
      open: route.open ?? false,
      ...(body
        ? {
            swaggerTransform: ({ schema: documented, url }: { schema: FastifySchema; url: string }) => ({
              schema: {
                ...documented,
                body: { ...body.schema, description: body.description },
                consumes: body.yaml ? ['application/json', 'application/yaml'] : ['application/json'],
              },
              url,
            }),
          }
        : {}),
    },
  };
}
