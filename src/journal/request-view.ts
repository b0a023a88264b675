/**
 * What a journal entry shows of the request itself: its headers and parameters, with what could
 * be reused redacted (the signature, a session token) and large values summarised (an image's
 * base64 by its length), each clipped, so an entry stays small whatever the client sent.
 */
import type { RawRequest } from '../protocol/raw-request.js';

const MAX_ITEMS = 48;
const MAX_VALUE = 256;
const REDACTED = '[redacted]';
/** Request parameters never shown: a v1 signature or a session token could be replayed. */
const SECRET_PARAMS = new Set(['signature', 'token']);

const clipValue = (text: string): string =>
  text.length <= MAX_VALUE ? text : `${text.slice(0, MAX_VALUE)}…[${text.length - MAX_VALUE} more characters]`;

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
  for (const [name, value] of Object.entries(params).slice(0, MAX_ITEMS)) {
    if (SECRET_PARAMS.has(name.toLowerCase())) shown[name] = REDACTED;
    else if (typeof value === 'string')
      shown[name] =
        value.length > MAX_VALUE && /base64/i.test(name) ? `[base64, ${value.length} characters]` : clipValue(value);
    else if (value !== null && typeof value === 'object') shown[name] = clipValue(JSON.stringify(value));
    else shown[name] = value;
  }
  return shown;
}
