/**
 * One control-plane route = one row: method, path, what it does, its query, path parameters, body
 * and replies, and the handler. The rows become Fastify route schemas: Fastify validates the query
 * and path parameters with them (Ajv, query strings coerced), and @fastify/swagger generates
 * /_emulator/openapi.json from them, so the document cannot drift from what is served.
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault, RouteGenericInterface } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';
import type { Controls } from '../faults/controls.js';
import type { RequestObserver } from '../journal/observer.js';

export interface AdminDeps {
  readonly app: FastifyInstance;
  readonly config: Readonly<Config>;
  readonly controls: Controls;
  readonly observer: RequestObserver;
}

const Empty = Type.Object({});
type Empty = typeof Empty;

/** The request as the TypeBox type provider types it from the row's query and params schemas. */
export type AdminRequest<Q extends TSchema = Empty, P extends TSchema = Empty> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  { querystring: Q; params: P },
  TypeBoxTypeProvider
>;

export interface AdminRoute<Q extends TObject = Empty, P extends TObject = Empty> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below /_emulator, Fastify syntax: `/faults/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** Served without the admin token (health, ready). */
  readonly open?: boolean;
  readonly query?: Q;
  readonly params?: P;
  /** Documented, and checked by the handler itself (its messages list every problem). */
  readonly body?: { readonly schema: TSchema; readonly description: string; readonly yaml?: boolean };
  readonly responses: Readonly<
    Record<number, { readonly description: string; readonly schema?: TSchema; readonly contentType?: string }>
  >;
  readonly handler: (request: AdminRequest<Q, P>, reply: FastifyReply) => Promise<unknown>;
}

/** A row whose handler is typed by its own query and params schemas. */
export const adminRoute = <Q extends TObject = Empty, P extends TObject = Empty>(row: AdminRoute<Q, P>): AdminRoute =>
  row as unknown as AdminRoute;

/** A control-plane error: its status and a JSON body `{ "error": message }`. */
export class AdminError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** A whole-number query parameter from `min` to `max`. */
export const IntegerQuery = (minimum: number, maximum: number, description: string) =>
  Type.Optional(Type.Integer({ minimum, maximum, description }));

/** An on/off query parameter: `true`/`1` or `false`/`0`. */
export const BooleanQuery = (description: string) =>
  Type.Optional(Type.Unsafe<OnOff>({ type: 'string', enum: ['true', 'false', '1', '0'], description }));

type OnOff = 'true' | 'false' | '1' | '0';
export const isOn = (value: OnOff | undefined): boolean | undefined =>
  value === undefined ? undefined : value === 'true' || value === '1';

/** A time query parameter: ISO 8601 or epoch milliseconds, read by `timeParam`. */
export const TimeQuery = (description: string) => Type.Optional(Type.String({ description }));

/** ISO 8601 or epoch milliseconds → epoch milliseconds. */
export function timeParam(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) throw new AdminError(400, `${name} must be an ISO 8601 time or epoch milliseconds`);
  return value;
}

/**
 * The message of a query-string validation failure, as the hand-written checks worded it:
 * `seed must be a whole number from 0 to 4294967295`, `pending must be true or false`.
 */
export function queryProblem(query: TSchema | undefined, error: { instancePath: string; message?: string }): string {
  const name = error.instancePath.replace(/^\//, '');
  const schema = (
    query as { properties?: Record<string, { type?: string; minimum?: number; maximum?: number; enum?: unknown[] }> }
  )?.properties?.[name];
  if (schema?.type === 'integer') return `${name} must be a whole number from ${schema.minimum} to ${schema.maximum}`;
  if (schema?.enum) return `${name} must be true or false`;
  return `${name || 'query'} ${error.message ?? 'is not valid'}`;
}
