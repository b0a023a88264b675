/**
 * A request signer written from the spec (PROTOCOL.md §1, §2), independent of src/protocol, for
 * requests the official SDK will not make: malformed, tampered, stale or oddly shaped.
 */
import { createHash, createHmac } from 'node:crypto';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmacRaw = (key: string | Buffer, msg: string) => createHmac('sha256', key).update(msg).digest();

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  host: string;
  action?: string;
  version?: string;
  region?: string;
  language?: string;
  token?: string;
  timestamp?: number;
  method?: 'GET' | 'POST';
  /** Raw body (POST) — signed as given. */
  body?: string | Buffer;
  /** Raw query (GET) without `?`. */
  query?: string;
  contentType?: string;
  service?: string;
  /** Date in the credential scope; default the UTC date of the timestamp. */
  scopeDate?: string;
  extraHeaders?: Record<string, string>;
}

export interface SignedRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export function signTc3(input: Tc3Input): SignedRequest {
  const method = input.method ?? 'POST';
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const date = input.scopeDate ?? new Date(timestamp * 1000).toISOString().slice(0, 10);
  const service = input.service ?? 'ocr';
  const contentType =
    input.contentType ?? (method === 'POST' ? 'application/json' : 'application/x-www-form-urlencoded');
  const body = method === 'POST' ? Buffer.from(input.body ?? '{}') : Buffer.alloc(0);
  const query = method === 'GET' ? (input.query ?? '') : '';
  const canonical = [
    method,
    '/',
    query,
    `content-type:${contentType.toLowerCase()}\nhost:${input.host.toLowerCase()}\n`,
    'content-type;host',
    sha256(body),
  ].join('\n');
  const toSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/${service}/tc3_request`, sha256(canonical)].join('\n');
  const kDate = hmacRaw(`TC3${input.secretKey}`, date);
  const kService = hmacRaw(kDate, service);
  const kSigning = hmacRaw(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(toSign).digest('hex');
  const headers: Record<string, string> = {
    Host: input.host,
    'Content-Type': contentType,
    'X-TC-Timestamp': String(timestamp),
    Authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
  };
  if (input.action !== undefined) headers['X-TC-Action'] = input.action;
  if ((input.version ?? '2018-11-19') !== '') headers['X-TC-Version'] = input.version ?? '2018-11-19';
  if (input.region !== undefined) headers['X-TC-Region'] = input.region;
  if (input.language !== undefined) headers['X-TC-Language'] = input.language;
  if (input.token !== undefined) headers['X-TC-Token'] = input.token;
  Object.assign(headers, input.extraHeaders);
  return { method, url: query ? `/?${query}` : '/', headers, ...(method === 'POST' ? { body } : {}) };
}

export interface V1Input {
  secretId: string;
  secretKey: string;
  host: string;
  params: Record<string, string>;
  method?: 'GET' | 'POST';
  signatureMethod?: 'HmacSHA1' | 'HmacSHA256';
  timestamp?: number;
}

export function signV1(input: V1Input): SignedRequest {
  const method = input.method ?? 'POST';
  const signatureMethod = input.signatureMethod ?? 'HmacSHA256';
  const params: Record<string, string> = {
    Nonce: String(Math.floor(Math.random() * 65535) + 1),
    Timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
    SecretId: input.secretId,
    SignatureMethod: signatureMethod,
    ...input.params,
  };
  const sorted = Object.keys(params).sort();
  const toSign = `${method}${input.host}/?${sorted.map((k) => `${k}=${params[k]}`).join('&')}`;
  const algorithm = signatureMethod === 'HmacSHA256' ? 'sha256' : 'sha1';
  params.Signature = createHmac(algorithm, input.secretKey).update(toSign).digest('base64');
  const encoded = new URLSearchParams(params).toString();
  return method === 'GET'
    ? { method, url: `/?${encoded}`, headers: { Host: input.host } }
    : {
        method,
        url: '/',
        headers: { Host: input.host, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(encoded),
      };
}
