/**
 * After a TC3 signature failure: which request and which key did the client sign? The SDKs never
 * send their canonical request, so it is reconstructed. Each candidate is the request as received
 * with one thing changed — the kinds of change a client or a proxy between it and the server makes
 * (Host, Content-Type, the payload hash, the method, the query, header case) — signed with each
 * candidate key: the one the caller gives, the claimed account's, every other account's. The first
 * candidate whose signature equals the client's is what the client signed; its canonical request is
 * set beside the server's with the first differing line marked.
 *
 * Runs only when asked (the control plane, the console), never while a request is answered. No
 * key is kept: signing keys are derived for the check and dropped, and the journal holds a hash
 * of the client's signature, not the signature.
 */
import { hmac, sha256Hex, signaturesEqual } from './hmac.js';
import { UNSIGNED_PAYLOAD, canonicalRequest, deriveSigningKey, stringToSign } from './tc3.js';

/** Everything a TC3 signature covers except the key, as received; kept in the journal entry. */
export interface Tc3Inputs {
  readonly secretId: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly signedHeaders: readonly string[];
  /** Signed header name → value as received (clipped to MAX_HEADER_VALUE). */
  readonly headers: Readonly<Record<string, string>>;
  /** SHA-256 of the body as received. */
  readonly bodyHash: string;
  /** The request said X-TC-Content-SHA256: UNSIGNED-PAYLOAD. */
  readonly unsignedPayload: boolean;
  readonly timestamp: string;
  readonly date: string;
  readonly service: string;
  /** SHA-256 of the client's signature (the signature itself could be replayed). */
  readonly signatureHash: string;
  /** Lenient mode's accepted forms (verbatim header values) count as the request. */
  readonly lenient: boolean;
}

/** Beyond these the request is not kept for a check (a journal entry stays small): */
const MAX_SIGNED_HEADERS = 16;
const MAX_HEADER_VALUE = 1024;
const MAX_PATH_AND_QUERY = 2048;
/** Other accounts' keys tried, at most: the check stays within milliseconds with any config. */
export const MAX_OTHER_KEYS = 32;

/**
 * What a failure keeps for a check, or nothing when it would be large (many signed headers, long
 * values, a long query) or hold a secret (a signed session token).
 */
export function checkInputs(inputs: Tc3Inputs): Tc3Inputs | undefined {
  if (inputs.signedHeaders.length > MAX_SIGNED_HEADERS || inputs.signedHeaders.includes('x-tc-token')) return undefined;
  if (inputs.path.length + inputs.query.length > MAX_PATH_AND_QUERY) return undefined;
  if (Object.values(inputs.headers).some((v) => v.length > MAX_HEADER_VALUE)) return undefined;
  return inputs;
}

/** Host header forms the server accepts: as sent, and without its port (the Node SDK signs the bare host). */
export function hostForms(host: string): string[] {
  const bare = host.replace(/:\d+$/, '');
  return bare !== host ? [host, bare] : [host];
}

export interface CandidateKey {
  /** `given`: the key the caller supplied; `account`: the claimed SecretId's; `other`: another account's. */
  readonly source: 'given' | 'account' | 'other';
  readonly secretId?: string;
  readonly secretKey: string;
}

interface Variant {
  readonly change: string;
  readonly method: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payloadHash: string;
  readonly lowerCaseValues: boolean;
}

export interface SignedRequest {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

export interface SignatureCheck {
  /** Variant × key signatures computed. */
  readonly tried: number;
  /** The request as the server reads it (the accepted form the client's matched, when one did). */
  readonly server: SignedRequest;
  /** What the client signed, when a candidate matched. */
  readonly client:
    | (SignedRequest & { readonly change: string; readonly key: CandidateKey['source']; readonly keySecretId?: string })
    | null;
  /** 1-based line of the canonical requests where the client's first differs; null when equal or unknown. */
  readonly firstDifferentLine: number | null;
  readonly verdict: string;
  /** The changes tried, for the page's "not found" text. */
  readonly changesTried: readonly string[];
}

const CONTENT_TYPES = ['application/json; charset=utf-8', 'application/json', 'application/x-www-form-urlencoded'];
const OFFICIAL_HOST = 'ocr.tencentcloudapi.com';

function sign(inputs: Tc3Inputs, variant: Variant): SignedRequest {
  const canonical = canonicalRequest({
    method: variant.method,
    uri: inputs.path,
    query: variant.query,
    signedHeaders: inputs.signedHeaders,
    headerValue: (name) => variant.headers[name] ?? '',
    payloadHash: variant.payloadHash,
    lowerCaseValues: variant.lowerCaseValues,
  });
  return {
    canonicalRequest: canonical,
    stringToSign: stringToSign(inputs.timestamp, inputs.date, inputs.service, canonical),
  };
}

/** The forms the server accepts, as auth.ts tries them (first: the request exactly as received). */
function acceptedForms(inputs: Tc3Inputs): Variant[] {
  const base: Variant = {
    change: 'none',
    method: inputs.method.toUpperCase(),
    query: inputs.query,
    headers: inputs.headers,
    payloadHash: inputs.unsignedPayload ? sha256Hex(UNSIGNED_PAYLOAD) : inputs.bodyHash,
    lowerCaseValues: true,
  };
  const forms: Variant[] = [];
  for (const host of hostForms(inputs.headers.host ?? ''))
    for (const lowerCaseValues of inputs.lenient ? [true, false] : [true])
      forms.push({ ...base, headers: { ...inputs.headers, host }, lowerCaseValues });
  return forms;
}

/** One change to an accepted form: what a client bug or a proxy between client and server does. */
function changedForms(inputs: Tc3Inputs, base: Variant): Variant[] {
  const withHeader = (name: string, value: string, change: string): Variant => ({
    ...base,
    change,
    headers: { ...base.headers, [name]: value },
  });
  const changed: Variant[] = [];
  const bareHost = (base.headers.host ?? '').replace(/:\d+$/, '');
  if (bareHost !== OFFICIAL_HOST && inputs.signedHeaders.includes('host'))
    changed.push(withHeader('host', OFFICIAL_HOST, `Host signed as the real endpoint: ${OFFICIAL_HOST}`));
  const contentType = base.headers['content-type'];
  if (contentType !== undefined) {
    for (const type of CONTENT_TYPES)
      if (type !== contentType.trim().toLowerCase())
        changed.push(withHeader('content-type', type, `Content-Type signed as ${type}, received as ${contentType}`));
  }
  changed.push(
    inputs.unsignedPayload
      ? {
          ...base,
          payloadHash: inputs.bodyHash,
          change: 'the body hashed, though X-TC-Content-SHA256 says UNSIGNED-PAYLOAD',
        }
      : {
          ...base,
          payloadHash: sha256Hex(UNSIGNED_PAYLOAD),
          change: 'UNSIGNED-PAYLOAD signed, though the header does not say so',
        },
  );
  if (!inputs.unsignedPayload && inputs.bodyHash !== sha256Hex(''))
    changed.push({
      ...base,
      payloadHash: sha256Hex(''),
      change: 'an empty body signed: the body was set after signing',
    });
  const otherMethod = base.method === 'POST' ? 'GET' : 'POST';
  changed.push({ ...base, method: otherMethod, change: `method signed as ${otherMethod}, sent as ${base.method}` });
  if (inputs.query) changed.push({ ...base, query: '', change: 'the query string left out of the signature' });
  if (!inputs.lenient)
    changed.push({ ...base, lowerCaseValues: false, change: 'header values signed verbatim, not lower-cased' });
  return changed;
}

function firstDifference(a: string, b: string): number | null {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i++) if (left[i] !== right[i]) return i + 1;
  return null;
}

function keyName(key: CandidateKey, claimed: string): string {
  if (key.source === 'given') return 'the SecretKey given here';
  if (key.source === 'other') return `the SecretKey of ${key.secretId}`;
  return `the SecretKey of ${claimed}`;
}

export function checkTc3Signature(inputs: Tc3Inputs, keys: readonly CandidateKey[]): SignatureCheck {
  const accepted = acceptedForms(inputs);
  const signedAccepted = accepted.map((form) => sign(inputs, form));
  const changed = accepted.map((form) => changedForms(inputs, form));
  const changesTried = changed[0]!.map((v) => v.change);
  const candidates = [
    ...signedAccepted.map((signed) => ({ signed, server: signed, change: 'none' })),
    ...changed.flatMap((forms, i) =>
      forms.map((form) => ({ signed: sign(inputs, form), server: signedAccepted[i]!, change: form.change })),
    ),
  ];
  let tried = 0;
  for (const key of keys) {
    const signingKey = deriveSigningKey(key.secretKey, inputs.date, inputs.service);
    const signs = (signed: SignedRequest) => {
      tried++;
      const signature = hmac('sha256', signingKey, signed.stringToSign).toString('hex');
      return signaturesEqual(sha256Hex(signature), inputs.signatureHash);
    };
    const match = candidates.find((candidate) => signs(candidate.signed));
    if (!match) continue;
    const isAccepted = match.change === 'none';
    const who = keyName(key, inputs.secretId);
    const verdict =
      key.source === 'account'
        ? isAccepted
          ? `The signature is right for this request with ${who}.`
          : `Signed with ${who} over a different request: ${match.change}.`
        : isAccepted
          ? `Signed with ${who}, not with the SecretKey of ${inputs.secretId}: the canonical requests are the same, only the key differs.`
          : `Signed with ${who}, not with the SecretKey of ${inputs.secretId}, and over a different request: ${match.change}.`;
    return {
      tried,
      server: match.server,
      client: {
        ...match.signed,
        change: match.change,
        key: key.source,
        ...(key.secretId ? { keySecretId: key.secretId } : {}),
      },
      firstDifferentLine: isAccepted
        ? null
        : firstDifference(match.server.canonicalRequest, match.signed.canonicalRequest),
      verdict,
      changesTried,
    };
  }
  const given = keys.some((k) => k.source === 'given');
  return {
    tried,
    server: signedAccepted[0]!,
    client: null,
    firstDifferentLine: null,
    verdict: `No reconstruction matched the client's signature with ${given ? 'the SecretKey given here, ' : ''}the SecretKey of ${inputs.secretId}${keys.some((k) => k.source === 'other') ? ' or any other account' : ''}: the client signed with another SecretKey${given ? '' : ' (give the key it used to check)'}, or changed the request in a way not tried here.`,
    changesTried,
  };
}
