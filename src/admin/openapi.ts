/**
 * The OpenAPI 3.1 document of the control plane, generated from the route rows (src/admin/route.ts).
 * TypeBox schemas are JSON Schema already; their symbol keys vanish in JSON.
 */
import { VERSION } from '../version.js';
import type { AdminRoute } from './route.js';

const toOpenApiPath = (prefix: string, path: string) => `${prefix}${path}`.replace(/:([A-Za-z]+)/g, '{$1}');

export function openApiDocument(prefix: string, routes: readonly AdminRoute[], tokenRequired: boolean): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const pathParams = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryParams = Object.entries(route.query ?? {}).map(([name, param]) => ({
      name,
      in: 'query',
      required: false,
      description: param.description,
      schema: { type: param.type },
    }));
    const responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } } : {}),
        },
      ]),
    );
    if (!route.open && tokenRequired) responses['401'] = { description: 'Missing or wrong admin token.' };
    const operation = {
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[/:-]+([a-z])?/gi, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      parameters: [...pathParams, ...queryParams],
      ...(route.body
        ? {
            requestBody: {
              required: route.body.required ?? false,
              description: route.body.description,
              content: {
                'application/json': { schema: route.body.schema },
                ...(route.body.yaml ? { 'application/yaml': { schema: route.body.schema } } : {}),
              },
            },
          }
        : {}),
      responses,
      ...(route.open ? { security: [] } : {}),
    };
    (paths[toOpenApiPath(prefix, route.path)] ??= {})[route.method.toLowerCase()] = operation;
  }
  return JSON.parse(
    JSON.stringify({
      openapi: '3.1.0',
      info: {
        title: 'tencentcloud-ocr-emulator control plane',
        version: VERSION,
        description:
          'Fault injection, request journal, account states, rate limits and metrics of the emulator. See docs/control-plane.md and docs/fault-injection.md.',
      },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'TCOCR_ADMIN_TOKEN, when set.' } } },
      security: tokenRequired ? [{ adminToken: [] }] : [],
      paths,
    }),
  ) as Record<string, unknown>;
}
