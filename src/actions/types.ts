import type { TObject, Static } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Engines } from '../engines/engines.js';

/** What an action saw, for the journal and the web console: the image and where it found what. */
export interface Seen {
  image?: Uint8Array;
  /** Every decoded symbol with its true corners (clockwise from top-left), also when the reply hides them. */
  marks?: { text: string; type: string; corners: [number, number][] }[];
}

/** What an action handler may use: never the HTTP request or reply. */
export interface ActionContext {
  readonly requestId: string;
  readonly config: Readonly<Config>;
  readonly engines: Engines;
  readonly log: Logger;
  /** Filled by the handler: what it saw (src/journal). */
  readonly seen: Seen;
}

/**
 * One Tencent action: its parameter schema (business parameters only), where it is offered, and
 * a handler that returns the `Response` fields (without RequestId) or throws an ApiError.
 */
export interface ActionDefinition<S extends TObject = TObject> {
  readonly name: string;
  readonly params: S;
  /** Regions the action answers in, `*` for all; from config so users can change them. */
  regions(config: Readonly<Config>): readonly string[] | '*';
  /** When true the action answers ActionOffline (a retired action). */
  offline(config: Readonly<Config>): boolean;
  handle(params: Static<S>, context: ActionContext): Promise<Record<string, unknown>>;
}

/** Identity helper that keeps the schema's static type for the handler. */
export function defineAction<S extends TObject>(definition: ActionDefinition<S>): ActionDefinition<S> {
  return definition;
}
