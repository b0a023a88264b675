import type { Logger } from 'pino';
import type { ActionDefinition, Seen } from '../actions/types.js';
import type { Config } from '../config.js';
import type { Engines } from '../engines/engines.js';
import type { ApiError } from '../errors/api-error.js';
import type { Controls } from '../faults/controls.js';
import type { AppliedFault } from '../faults/rule.js';
import type { Language } from '../errors/codes.js';
import type { CommonParams } from '../protocol/common-params.js';
import type { CredentialStore } from '../protocol/credentials.js';
import type { RawRequest } from '../protocol/raw-request.js';

/** Everything the pipeline learns about one API request, stage by stage. */
export interface ApiContext {
  readonly requestId: string;
  readonly receivedAt: number;
  readonly raw: RawRequest;
  readonly config: Readonly<Config>;
  readonly engines: Engines;
  readonly credentials: CredentialStore;
  /** Fault rules, account states and rate limits in force (src/faults, changed by the admin API). */
  readonly controls: Controls;
  readonly log: Logger;
  /** Aborts when the client closes the connection before its answer (src/protocol/client-gone.ts). */
  readonly clientGone: AbortSignal;
  /** Language of Error.Message: en-US until the request says otherwise. */
  language: Language;
  common?: CommonParams;
  secretId?: string | undefined;
  action?: ActionDefinition;
  params?: Record<string, unknown>;
  /** The action's Response fields, once it has run. */
  result?: Record<string, unknown>;
  /** Replay mode: the key of the recording this request was answered from. */
  replayed?: string;
  /** Record mode: the key of the recording written for this request. */
  recorded?: string;
  /** What the action saw (its image, the symbols' true corners), for the journal and the console. */
  readonly seen: Seen;
  /** Faults applied to this request (src/faults/stages.ts), for the journal and metrics. */
  faults?: AppliedFault[];
  /** The error answered, once known (the journal shows its details). */
  error?: ApiError;
}

export type Stage = (context: ApiContext) => void | Promise<void>;
