/**
 * The authentication stage (PROTOCOL.md §1.5, §1.6, §2): chooses TC3 or v1 by the request's own
 * shape, then checks, in order, the Authorization form, the SecretId, the token, the clock window
 * and the signature. Lenient mode accepts what real SDKs send (host with or without port, the Node
 * SDK's service label taken from the endpoint, tccli's `Host: http://…`, verbatim header values);
 * strict mode answers as the real service does.
 */
import { ApiError } from '../errors/api-error.js';
import type { CommonParams } from './common-params.js';
import type { CredentialStore } from './credentials.js';
import { sha256Hex, signaturesEqual } from './hmac.js';
import { type RawRequest, header, splitUrl } from './raw-request.js';
import { checkInputs, hostForms } from './signature-check.js';
import {
  UNSIGNED_PAYLOAD,
  canonicalRequest,
  parseTc3Authorization,
  stringToSign,
  tc3Signature,
  utcDate,
} from './tc3.js';
import { isV1Method, v1Signature, v1StringToSign } from './v1.js';

export type SignatureMode = 'strict' | 'lenient' | 'off';

export interface AuthOptions {
  credentials: CredentialStore;
  mode: SignatureMode;
  nowSeconds: number;
  /** Allowed distance between the request's timestamp and the server clock (300 s). */
  maxSkewSeconds: number;
}

export interface AuthResult {
  /** The caller's SecretId (`undefined` only with signature checks off and none sent). */
  secretId: string | undefined;
}

export function authenticate(raw: RawRequest, common: CommonParams, options: AuthOptions): AuthResult {
  if (options.mode === 'off') return { secretId: claimedSecretId(raw, common) };
  return common.kind === 'tc3' ? verifyTc3(raw, common, options) : verifyV1(raw, common, options);
}

function claimedSecretId(raw: RawRequest, common: CommonParams): string | undefined {
  if (common.kind === 'v1') return common.v1Params?.get('SecretId') || undefined;
  return parseTc3Authorization(header(raw, 'authorization') ?? '')?.secretId;
}

const invalidAuthorization = (why: string) => new ApiError('AuthFailure.InvalidAuthorization', [why]);

/**
 * Host header variants to try: as sent (Python, Go, tccli), then without the port (the Node SDK
 * signs the bare hostname while sending `host:port`). Both modes: a real endpoint has no port.
 */
function hostVariants(raw: RawRequest): string[] {
  return hostForms(header(raw, 'host') ?? '');
}

function checkCredential(secretId: string, token: string | undefined, options: AuthOptions) {
  const credential = options.credentials.get(secretId);
  if (!credential) throw new ApiError('AuthFailure.SecretIdNotFound');
  if (credential.token !== undefined && token !== credential.token) throw new ApiError('AuthFailure.TokenFailure');
  return credential;
}

function checkClock(timestamp: string | undefined, options: AuthOptions): number {
  if (timestamp === undefined) throw new ApiError('MissingParameter', ['Timestamp']);
  if (!/^\d{1,12}$/.test(timestamp)) throw new ApiError('InvalidParameter', ['Timestamp']);
  const seconds = Number(timestamp);
  if (Math.abs(options.nowSeconds - seconds) > options.maxSkewSeconds)
    throw new ApiError('AuthFailure.SignatureExpire');
  return seconds;
}

function verifyTc3(raw: RawRequest, common: CommonParams, options: AuthOptions): AuthResult {
  const authorization = header(raw, 'authorization') ?? '';
  if (authorization.trim() === 'SKIP') throw invalidAuthorization('unsigned requests (`SKIP`) are not accepted.');
  const auth = parseTc3Authorization(authorization);
  if (!auth)
    throw invalidAuthorization(
      'the header is not of the form `TC3-HMAC-SHA256 Credential=…/…/…/tc3_request, SignedHeaders=…, Signature=…`.',
    );
  if (options.mode === 'strict' && auth.service !== 'ocr')
    throw invalidAuthorization('`Service` in Credential not valid.');
  for (const required of ['content-type', 'host']) {
    if (!auth.signedHeaders.includes(required))
      throw invalidAuthorization(`\`SignedHeaders\` must include \`${required}\`.`);
  }
  const credential = checkCredential(auth.secretId, common.token, options);
  const seconds = checkClock(common.timestamp, options);

  const unsigned = header(raw, 'x-tc-content-sha256') === UNSIGNED_PAYLOAD;
  const bodyHash = sha256Hex(raw.body);
  const payloadHash = unsigned ? sha256Hex(UNSIGNED_PAYLOAD) : bodyHash;
  const { path, query } = splitUrl(raw.url);
  const timestamp = common.timestamp!;
  let first: { canonicalRequest: string; stringToSign: string } | undefined;
  if (auth.date === utcDate(seconds)) {
    for (const host of hostVariants(raw)) {
      for (const lowerCaseValues of options.mode === 'lenient' ? [true, false] : [true]) {
        const canonical = canonicalRequest({
          method: raw.method,
          uri: path,
          query,
          signedHeaders: auth.signedHeaders,
          headerValue: (name) => (name === 'host' ? host : (header(raw, name) ?? '')),
          payloadHash,
          lowerCaseValues,
        });
        const toSign = stringToSign(timestamp, auth.date, auth.service, canonical);
        first ??= { canonicalRequest: canonical, stringToSign: toSign };
        if (signaturesEqual(tc3Signature(credential.secretKey, auth.date, auth.service, toSign), auth.signature)) {
          return { secretId: auth.secretId };
        }
      }
    }
  }
  const inputs = checkInputs({
    secretId: auth.secretId,
    method: raw.method,
    path,
    query,
    signedHeaders: auth.signedHeaders,
    headers: Object.fromEntries(auth.signedHeaders.map((name) => [name, header(raw, name) ?? ''])),
    bodyHash,
    unsignedPayload: unsigned,
    timestamp,
    date: auth.date,
    service: auth.service,
    signatureHash: sha256Hex(auth.signature),
    lenient: options.mode === 'lenient',
  });
  // A session token the client signed is a secret: never in the journal.
  const redact = (text: string) => text.replace(/^(x-tc-token:).*$/m, '$1[redacted]');
  throw new ApiError('AuthFailure.SignatureFailure', [], {
    details: {
      signatureMethod: 'TC3-HMAC-SHA256',
      ...(first
        ? {
            canonicalRequest: redact(first.canonicalRequest),
            stringToSign: first.stringToSign,
            ...(inputs ? { inputs } : {}),
          }
        : { reason: `credential scope date ${auth.date} is not the UTC date of X-TC-Timestamp ${timestamp}` }),
    },
  });
}

function verifyV1(raw: RawRequest, common: CommonParams, options: AuthOptions): AuthResult {
  const params = common.v1Params ?? new Map<string, string>();
  for (const name of ['SecretId', 'Signature', 'Nonce', 'Timestamp']) {
    if (!params.get(name)) throw new ApiError('MissingParameter', [name]);
  }
  const method = params.get('SignatureMethod') ?? 'HmacSHA1';
  if (!isV1Method(method)) throw new ApiError('InvalidParameterValue', ['SignatureMethod']);
  const secretId = params.get('SecretId')!;
  const credential = checkCredential(secretId, common.token, options);
  checkClock(common.timestamp, options);

  const { path } = splitUrl(raw.url);
  const signature = params.get('Signature')!;
  let first: string | undefined;
  for (const host of hostVariants(raw)) {
    for (const dotNames of [false, true]) {
      const toSign = v1StringToSign(raw.method, host, path, params, dotNames);
      first ??= toSign;
      if (signaturesEqual(v1Signature(credential.secretKey, method, toSign), signature)) return { secretId };
    }
  }
  throw new ApiError('AuthFailure.SignatureFailure', [], {
    details: { signatureMethod: method, stringToSign: first?.replace(/([?&])(Token=)[^&]*/g, '$1$2[redacted]') },
  });
}
