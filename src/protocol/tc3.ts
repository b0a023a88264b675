/**
 * TC3-HMAC-SHA256, pure functions (PROTOCOL.md §1). Nothing here reads a request object: the
 * caller passes the raw pieces, so the unit tests can drive it with the captured vectors.
 */
import { hmac, sha256Hex } from './hmac.js';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
/** sha256("UNSIGNED-PAYLOAD"): the payload hash when X-TC-Content-SHA256 says so (§1.2). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_PATTERN =
  /^TC3-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request,\s*SignedHeaders=([a-z0-9;_-]+),\s*Signature=([0-9a-f]{64})\s*$/i;

/** Parses the Authorization header; `undefined` when it is not a well-formed TC3 header. */
export function parseTc3Authorization(header: string): Tc3Authorization | undefined {
  const match = AUTH_PATTERN.exec(header);
  if (!match) return undefined;
  const [, secretId, date, service, signedHeaders, signature] = match as unknown as string[];
  return {
    secretId: secretId!,
    date: date!,
    service: service!,
    signedHeaders: signedHeaders!.toLowerCase().split(';').filter(Boolean),
    signature: signature!.toLowerCase(),
  };
}

export interface CanonicalRequestInput {
  method: string;
  /** Path as signed; SDKs always sign `/`. */
  uri: string;
  /** Raw query string after `?` (GET), never re-encoded; "" for POST. */
  query: string;
  signedHeaders: readonly string[];
  /** Header name (lower case) → value as received. */
  headerValue: (name: string) => string;
  /** Lower-case hex SHA-256 of the body bytes, or of UNSIGNED-PAYLOAD. */
  payloadHash: string;
  /** Lower-case header values (the documented rule) or keep them verbatim (a fallback). */
  lowerCaseValues?: boolean;
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const lower = input.lowerCaseValues ?? true;
  const headers = input.signedHeaders
    .map((name) => {
      const value = input.headerValue(name).trim();
      return `${name}:${lower ? value.toLowerCase() : value}\n`;
    })
    .join('');
  return [
    input.method.toUpperCase(),
    input.uri,
    input.query,
    headers,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function stringToSign(timestamp: string, date: string, service: string, canonical: string): string {
  return [TC3_ALGORITHM, timestamp, `${date}/${service}/tc3_request`, sha256Hex(canonical)].join('\n');
}

/** Derived signing keys by (SecretKey, date, service): the same for every request of a day. */
const signingKeys = new Map<string, Buffer>();
const SIGNING_KEY_CACHE_SIZE = 256;

/** The derived key of §1.4: three HMACs, nothing kept. */
export function deriveSigningKey(secretKey: string, date: string, service: string): Buffer {
  const kDate = hmac('sha256', `TC3${secretKey}`, date);
  const kService = hmac('sha256', kDate, service);
  return hmac('sha256', kService, 'tc3_request');
}

/** The derived key of §1.4, cached: a day's requests share it. Configured keys only. */
export function tc3SigningKey(secretKey: string, date: string, service: string): Buffer {
  const cacheKey = `${date}\n${service}\n${secretKey}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = deriveSigningKey(secretKey, date, service);
    if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

export function tc3Signature(secretKey: string, date: string, service: string, toSign: string): string {
  return hmac('sha256', tc3SigningKey(secretKey, date, service), toSign).toString('hex');
}

/** The UTC calendar date (YYYY-MM-DD) of a Unix timestamp in seconds. */
export function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}
