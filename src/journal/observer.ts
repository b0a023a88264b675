/**
 * Watches every API request: counts those in flight and, once answered (Fastify's onResponse,
 * at once when a fault dropped the connection, or when the client left first: `aborted`),
 * records it in the journal and the metrics, exactly once. Strings the client chose (ImageUrl,
 * header values, messages quoting them) are clipped, so no request can make an entry large.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import type { ApiContext } from '../pipeline/context.js';
import { header } from '../protocol/raw-request.js';
import { testIdOf } from '../faults/request-faults.js';
import { clip } from './clip.js';
import { ImageStore } from './images.js';
import type { Journal, NewEntry } from './journal.js';
import { requestHeaders, requestParams } from './request-view.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API pipeline's context, for the journal and metrics. */
    apiContext?: ApiContext;
  }
}

/** What the journal reads of a request: the pipeline's context, or less when it never ran. */
export type Observed = Pick<ApiContext, 'requestId' | 'receivedAt' | 'raw' | 'language'> &
  Partial<
    Pick<
      ApiContext,
      'common' | 'secretId' | 'action' | 'params' | 'faults' | 'error' | 'result' | 'seen' | 'replayed' | 'recorded'
    >
  >;

/** Largest reply kept in an entry, as JSON; most symbols' marks kept. */
const MAX_JOURNAL_RESULT = 16 * 1024;
const MAX_JOURNAL_MARKS = 64;

/** Longest string kept in an entry: ImageUrl and messages; names and ids are shorter. */
export const MAX_JOURNAL_STRING = 2048;
const MAX_JOURNAL_NAME = 256;
/** Longest signature detail (canonical request, string to sign). */
const MAX_JOURNAL_DETAIL = 8192;

const clipName = (text: string | undefined | null): string | null => (text ? clip(text, MAX_JOURNAL_NAME) : null);

/** The SecretId a request claims, known even when its signature failed: the first `Credential=`'s. */
function claimedSecretId(context: Observed): string | undefined {
  if (context.secretId !== undefined) return context.secretId;
  if (context.common?.kind === 'v1') return context.common.v1Params?.get('SecretId') || undefined;
  const authorization = header(context.raw, 'authorization') ?? '';
  const at = authorization.indexOf('Credential=');
  if (at < 0) return undefined;
  const credential = /^[^/,\s]{1,256}\//.exec(authorization.slice(at + 11, at + 11 + 257));
  return credential?.[0].slice(0, -1);
}

function signatureMethod(context: Observed): string | null {
  if (!context.common) return null;
  if (context.common.kind === 'tc3')
    return (header(context.raw, 'authorization') ?? '').slice(0, 64).split(/\s/)[0] || null;
  return context.common.v1Params?.get('SignatureMethod') ?? 'HmacSHA1';
}

function clipDetails(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([name, value]) => [
      name,
      typeof value === 'string' ? clip(value, MAX_JOURNAL_DETAIL) : value,
    ]),
  );
}

export function journalEntry(
  context: Observed,
  code: string | undefined,
  httpStatus: number | null,
  latencyMs: number,
): NewEntry {
  const error = context.error;
  const imageUrl = context.params?.ImageUrl;
  const traceId = header(context.raw, 'x-tc-traceid');
  return {
    requestId: context.requestId,
    time: new Date(context.receivedAt).toISOString(),
    receivedAt: context.receivedAt,
    latencyMs: Math.round(latencyMs * 10) / 10,
    action: clipName(context.action?.name ?? context.common?.action),
    code: code ?? 'OK',
    message: error ? clip(error.messageIn(context.language), MAX_JOURNAL_STRING) : null,
    httpStatus,
    secretId: clipName(claimedSecretId(context)),
    region: clipName(context.common?.region),
    testId: clipName(testIdOf(context)),
    traceId: clipName(traceId),
    signatureMethod: clipName(signatureMethod(context)),
    language: context.language,
    faults: context.faults ?? [],
    imageUrl: typeof imageUrl === 'string' ? clip(imageUrl, MAX_JOURNAL_STRING) : null,
    headers: requestHeaders(context.raw),
    ...(context.params ? { params: requestParams(context.params) } : {}),
    ...(error?.code === 'AuthFailure.SignatureFailure' && error.details
      ? { signature: clipDetails(error.details) }
      : {}),
    ...(context.result && JSON.stringify(context.result).length <= MAX_JOURNAL_RESULT
      ? { result: context.result }
      : {}),
    ...(context.replayed ? { replayed: context.replayed } : {}),
    ...(context.recorded ? { recorded: context.recorded } : {}),
    ...(context.seen?.marks
      ? {
          marks: context.seen.marks
            .slice(0, MAX_JOURNAL_MARKS)
            .map((m) => ({ ...m, text: clip(m.text, MAX_JOURNAL_NAME) })),
        }
      : {}),
  };
}

export class RequestObserver {
  #inFlight = 0;
  readonly #recorded = new WeakSet<FastifyRequest>();

  constructor(
    readonly journal: Journal,
    readonly metrics: Metrics,
    readonly images: ImageStore = new ImageStore(0),
  ) {}

  get inFlight(): number {
    return this.#inFlight;
  }

  /** An API request enters the pipeline; if its client leaves before the answer, it is recorded then. */
  start(request: FastifyRequest, context: ApiContext): void {
    request.apiContext = context;
    this.#inFlight += 1;
    context.clientGone.addEventListener(
      'abort',
      () => {
        request.apiOutcome ??= { action: context.action?.name ?? context.common?.action, code: 'aborted' };
        request.log.info(
          { action: request.apiOutcome.action, code: request.apiOutcome.code ?? 'OK' },
          'api request: the client left before the answer',
        );
        this.finish(request, undefined);
      },
      { once: true },
    );
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
    const image = context.seen?.image;
    const keep = image !== undefined && image.length <= this.images.maxBytes && this.journal.capacity > 0;
    const entry = this.journal.add({
      ...journalEntry(context, request.apiOutcome?.code, reply ? reply.statusCode : null, latencyMs),
      ...(keep ? { image: true } : {}),
    });
    if (keep) this.images.set(entry.requestId, image);
    this.metrics.observeRequest(context.action?.name ?? 'unknown', entry.code, latencyMs / 1000);
    for (const fault of entry.faults) this.metrics.observeFault(fault.source, fault.effect.split(':')[0]!);
  }
}
