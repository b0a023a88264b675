/**
 * Watches every API request: counts those in flight and, once answered (Fastify's onResponse,
 * or at once when a fault dropped the connection), records it in the journal and the metrics.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import type { ApiContext } from '../protocol/context.js';
import { header } from '../protocol/raw-request.js';
import { testIdOf } from '../faults/request-faults.js';
import type { Journal, NewEntry } from './journal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API pipeline's context, for the journal and metrics. */
    apiContext?: ApiContext;
  }
}

/** What the journal reads of a request: the pipeline's context, or less when it never ran. */
export type Observed = Pick<ApiContext, 'requestId' | 'receivedAt' | 'raw' | 'language'> &
  Partial<Pick<ApiContext, 'common' | 'secretId' | 'action' | 'params' | 'faults' | 'error'>>;

/** The SecretId a request claims, known even when its signature failed. */
function claimedSecretId(context: Observed): string | undefined {
  if (context.secretId !== undefined) return context.secretId;
  if (context.common?.kind === 'v1') return context.common.v1Params?.get('SecretId') || undefined;
  const credential = /Credential=([^/,\s]+)\//.exec(header(context.raw, 'authorization') ?? '');
  return credential?.[1];
}

function signatureMethod(context: Observed): string | null {
  if (!context.common) return null;
  if (context.common.kind === 'tc3') return (header(context.raw, 'authorization') ?? '').split(/\s/)[0] || null;
  return context.common.v1Params?.get('SignatureMethod') ?? 'HmacSHA1';
}

export function journalEntry(context: Observed, code: string | undefined, httpStatus: number | null, latencyMs: number): NewEntry {
  const error = context.error;
  const imageUrl = context.params?.ImageUrl;
  const traceId = header(context.raw, 'x-tc-traceid');
  return {
    requestId: context.requestId,
    time: new Date(context.receivedAt).toISOString(),
    receivedAt: context.receivedAt,
    latencyMs: Math.round(latencyMs * 10) / 10,
    action: context.action?.name ?? context.common?.action ?? null,
    code: code ?? 'OK',
    message: error ? error.messageIn(context.language) : null,
    httpStatus,
    secretId: claimedSecretId(context) ?? null,
    region: context.common?.region ?? null,
    testId: testIdOf(context) ?? null,
    traceId: traceId || null,
    signatureMethod: signatureMethod(context),
    language: context.language,
    faults: context.faults ?? [],
    imageUrl: typeof imageUrl === 'string' ? imageUrl : null,
    ...(error?.code === 'AuthFailure.SignatureFailure' && error.details ? { signature: error.details } : {}),
  };
}

export class RequestObserver {
  #inFlight = 0;
  readonly #recorded = new WeakSet<FastifyRequest>();

  constructor(
    readonly journal: Journal,
    readonly metrics: Metrics,
  ) {}

  get inFlight(): number {
    return this.#inFlight;
  }

  /** An API request enters the pipeline. */
  start(request: FastifyRequest, context: ApiContext): void {
    request.apiContext = context;
    this.#inFlight += 1;
  }

  /**
   * The request is answered (`reply`) or its connection dropped (no reply). Idempotent. Requests
   * refused before the pipeline ran (body over the limit, unknown path) are recorded with what the
   * request itself says; anything else without an API outcome (the control plane) is not.
   */
  finish(request: FastifyRequest, reply: FastifyReply | undefined): void {
    if (this.#recorded.has(request)) return;
    const latencyMs = reply ? reply.elapsedTime : Date.now() - (request.apiContext?.receivedAt ?? Date.now());
    let context: Observed;
    if (request.apiContext) {
      context = request.apiContext;
      this.#inFlight -= 1;
    } else if (request.apiOutcome) {
      const raw = { method: request.method, url: request.url, headers: request.headers, body: Buffer.alloc(0) };
      context = { requestId: request.id, receivedAt: Date.now() - Math.round(latencyMs), raw, language: 'en-US' };
    } else return;
    this.#recorded.add(request);
    const entry = this.journal.add(journalEntry(context, request.apiOutcome?.code, reply ? reply.statusCode : null, latencyMs));
    this.metrics.observeRequest(context.action?.name ?? 'unknown', entry.code, latencyMs / 1000);
    for (const fault of entry.faults) this.metrics.observeFault(fault.source, fault.effect.split(':')[0]!);
  }
}
