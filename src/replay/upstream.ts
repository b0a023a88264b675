/**
 * Record mode's call to the real service: the call's business parameters re-sent as a TC3-signed
 * POST with the upstream key (the emulator's own keys never leave it), and the reply's `Response`
 * back. Failures of the upstream itself — refused, timed out, not JSON, HTTP 5xx — become the
 * Tencent errors a client expects of an unreachable service and are never recorded.
 */
import { ApiError } from '../errors/api-error.js';
import { sha256Hex } from '../protocol/hmac.js';
import { canonicalRequest, stringToSign, tc3Signature, utcDate } from '../protocol/tc3.js';

export interface UpstreamCall {
  url: string;
  credentials: { secretId: string; secretKey: string };
  action: string;
  version: string;
  region: string | undefined;
  params: Readonly<Record<string, unknown>>;
  timeoutMs: number;
}

const SERVICE = 'ocr';

/** The upstream's `Response` object (success fields or `Error`, with its RequestId). */
export async function callUpstream(call: UpstreamCall): Promise<Record<string, unknown>> {
  const body = JSON.stringify(call.params);
  const host = new URL(call.url).host;
  const timestamp = Math.floor(Date.now() / 1000);
  const date = utcDate(timestamp);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    host,
    'x-tc-action': call.action,
    'x-tc-version': call.version,
    'x-tc-timestamp': String(timestamp),
    ...(call.region ? { 'x-tc-region': call.region } : {}),
  };
  const signedHeaders = ['content-type', 'host'];
  const canonical = canonicalRequest({
    method: 'POST',
    uri: '/',
    query: '',
    signedHeaders,
    headerValue: (name) => headers[name] ?? '',
    payloadHash: sha256Hex(body),
  });
  const signature = tc3Signature(
    call.credentials.secretKey,
    date,
    SERVICE,
    stringToSign(String(timestamp), date, SERVICE, canonical),
  );
  headers.authorization = `TC3-HMAC-SHA256 Credential=${call.credentials.secretId}/${date}/${SERVICE}/tc3_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  const { host: _host, ...sent } = headers;
  let response: Response;
  try {
    response = await fetch(`${call.url}/`, {
      method: 'POST',
      headers: sent,
      body,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new ApiError('ServiceUnavailable', [], {
      details: { upstream: timedOut ? `no answer within ${call.timeoutMs} ms` : 'connection failed' },
    });
  }
  if (response.status >= 500)
    throw new ApiError('ServiceUnavailable', [], { details: { upstream: `HTTP ${response.status}` } });
  const text = await response.text();
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new ApiError('InternalError', [], { details: { upstream: 'the reply is not JSON' } });
  }
  const inner = (reply as { Response?: unknown } | null)?.Response;
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
    throw new ApiError('InternalError', [], { details: { upstream: 'the reply has no Response object' } });
  return inner as Record<string, unknown>;
}
