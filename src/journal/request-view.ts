/**
 * What a journal entry shows of the request itself: its headers and parameters, with what could
 * be reused redacted (the signature, a session token) and large values summarised (an image's
 * base64 by its length), each clipped, so an entry stays small whatever the client sent.
 */
import type { RawRequest } from '../protocol/raw-request.js';
import { clip } from './clip.js';

const MAX_ITEMS = 48;
const MAX_VALUE = 256;
const MAX_NAME = 64;
const REDACTED = '[redacted]';
/** Request parameters never shown: a v1 signature or a session token could be replayed. */
const SECRET_PARAMS = new Set(['signature', 'token']);

const clipValue = (text: string): string => clip(text, MAX_VALUE);

/** Headers as received (names in lower case); `X-TC-Token` redacted, the Authorization's signature too. */
export function requestHeaders(raw: RawRequest): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers).slice(0, MAX_ITEMS)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'x-tc-token') shown[name] = REDACTED;
    else if (name === 'authorization') shown[name] = clipValue(text.replace(/(Signature=)[^,\s]+/gi, `$1${REDACTED}`));
    else shown[name] = clipValue(text);
  }
  return shown;
}

/** The action's parameters: ImageBase64 and other long strings by their length, objects as clipped JSON. */
export function requestParams(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [rawName, value] of Object.entries(params).slice(0, MAX_ITEMS)) {
    const name = rawName.length <= MAX_NAME ? rawName : `${rawName.slice(0, MAX_NAME)}…`;
    if (SECRET_PARAMS.has(rawName.toLowerCase())) shown[name] = REDACTED;
    else if (typeof value === 'string')
      shown[name] =
        value.length > MAX_VALUE && /base64/i.test(rawName) ? `[base64, ${value.length} characters]` : clipValue(value);
    else if (value !== null && typeof value === 'object') shown[name] = boundedJson(value, MAX_VALUE);
    else shown[name] = value;
  }
  return shown;
}

/** JSON of `value`, written only as far as `max` characters (a large parsed body is not serialised whole). */
function boundedJson(value: unknown, max: number): string {
  let out = '';
  const write = (v: unknown): boolean => {
    if (out.length > max) return false;
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i) out += ',';
        if (!write(v[i])) return false;
      }
      out += ']';
    } else if (v !== null && typeof v === 'object') {
      out += '{';
      let first = true;
      for (const k in v) {
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(k.slice(0, max))}:`;
        if (!write((v as Record<string, unknown>)[k])) return false;
      }
      out += '}';
    } else out += typeof v === 'string' ? JSON.stringify(v.slice(0, max)) : String(JSON.stringify(v) ?? 'null');
    return out.length <= max;
  };
  return write(value) ? out : `${out.slice(0, max)}…`;
}
