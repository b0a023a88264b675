/**
 * One control-plane route = one row: method, path, what it does, its query, body and replies,
 * and the handler. The same rows register the routes and generate /_emulator/openapi.json, so the
 * document cannot drift from what is served.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Controls } from '../faults/controls.js';
import type { RequestObserver } from '../journal/observer.js';

export interface AdminDeps {
  readonly app: FastifyInstance;
  readonly config: Readonly<Config>;
  readonly controls: Controls;
  readonly observer: RequestObserver;
}

export interface QueryParam {
  readonly type: 'string' | 'integer' | 'boolean';
  readonly description: string;
}

export interface AdminRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below /_emulator, Fastify syntax: `/faults/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** Served without the admin token (health, ready). */
  readonly open?: boolean;
  readonly query?: Readonly<Record<string, QueryParam>>;
  readonly body?: { readonly schema: TSchema; readonly description: string; readonly yaml?: boolean; readonly required?: boolean };
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: TSchema; readonly contentType?: string }>>;
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

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

export type Query = Readonly<Record<string, string | undefined>>;

export const queryOf = (request: FastifyRequest): Query => (request.query ?? {}) as Query;

export function integerParam(query: Query, name: string, min: number, max: number): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new AdminError(400, `${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export function booleanParam(query: Query, name: string): boolean | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new AdminError(400, `${name} must be true or false`);
}

/** ISO 8601 or epoch milliseconds → epoch milliseconds. */
export function timeParam(query: Query, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) throw new AdminError(400, `${name} must be an ISO 8601 time or epoch milliseconds`);
  return value;
}
