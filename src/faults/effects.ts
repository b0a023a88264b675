/**
 * What a fault does to a request, and the one-line spelling of it shared by the
 * `X-TC-Emulator-Fault` header, the magic `ImageUrl` host and the `effect` of a rule:
 *
 *   FailedOperation.ImageBlur     a Tencent error (any code of src/errors/codes.ts)
 *   delay/1500, delay/100-900     wait (fixed, or uniform in a range), then carry on
 *   http/502                      a raw HTTP status with an HTML body, no envelope
 *   reset                         the TCP connection is reset (RST), nothing is answered
 *   empty                         the connection is closed (FIN) without any reply
 *   malformed                     HTTP 200 with a JSON body cut short
 *
 * A canned success (`{type: 'success', result}`) has no one-line form: rules only.
 */
import { type ErrorCode, isErrorCode } from '../errors/codes.js';

/**
 * Longest delay any fault may ask for, and the longest one request is held by all its delays
 * together (several delays add up to this at most).
 */
export const MAX_DELAY_MS = 60_000;

export type FaultEffect =
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message?: string | undefined }
  | { readonly type: 'delay'; readonly minMs: number; readonly maxMs: number }
  | {
      readonly type: 'http';
      readonly status: number;
      readonly body?: string | undefined;
      readonly contentType?: string | undefined;
    }
  | { readonly type: 'reset' }
  | { readonly type: 'empty' }
  | { readonly type: 'malformed' }
  | { readonly type: 'success'; readonly result: Readonly<Record<string, unknown>> };

export type EffectType = FaultEffect['type'];

/** Effects after which the request carries on through the pipeline. */
export const isPassThrough = (effect: FaultEffect): boolean => effect.type === 'delay';

const DELAY = /^delay\/(\d{1,6})(?:-(\d{1,6}))?$/;
const HTTP = /^http\/(\d{3})$/;

/** Parses the one-line spelling; throws an Error saying what is wrong. */
export function parseEffect(spec: string): FaultEffect {
  const text = spec.trim();
  if (text === 'reset' || text === 'empty' || text === 'malformed') return { type: text };
  const delay = DELAY.exec(text);
  if (delay) {
    const minMs = Number(delay[1]);
    const maxMs = delay[2] === undefined ? minMs : Number(delay[2]);
    return checkDelay(minMs, maxMs);
  }
  const http = HTTP.exec(text);
  if (http) return checkHttp(Number(http[1]));
  if (isErrorCode(text)) return { type: 'error', code: text };
  throw new Error(
    `\`${text}\` is not a fault: use an error code of the emulator's table (e.g. FailedOperation.ImageBlur), delay/<ms>, delay/<min>-<max>, http/<status>, reset, empty or malformed`,
  );
}

export function checkDelay(minMs: number, maxMs: number): FaultEffect {
  if (!(Number.isInteger(minMs) && Number.isInteger(maxMs) && minMs >= 0 && maxMs >= minMs && maxMs <= MAX_DELAY_MS)) {
    throw new Error(`a delay must be whole milliseconds, 0 ≤ min ≤ max ≤ ${MAX_DELAY_MS}`);
  }
  return { type: 'delay', minMs, maxMs };
}

export function checkHttp(status: number, body?: string, contentType?: string): FaultEffect {
  if (!Number.isInteger(status) || status < 200 || status > 599)
    throw new Error('an HTTP status must be from 200 to 599');
  return {
    type: 'http',
    status,
    ...(body !== undefined ? { body } : {}),
    ...(contentType !== undefined ? { contentType } : {}),
  };
}

/** A short label for logs, metrics and the journal: `error:FailedOperation.ImageBlur`, `delay:1500`, `http:502`. */
export function describeEffect(effect: FaultEffect): string {
  switch (effect.type) {
    case 'error':
      return `error:${effect.code}`;
    case 'delay':
      return effect.minMs === effect.maxMs ? `delay:${effect.minMs}` : `delay:${effect.minMs}-${effect.maxMs}`;
    case 'http':
      return `http:${effect.status}`;
    default:
      return effect.type;
  }
}
