/**
 * The signature check rebuilds what a client signed after a TC3 signature failure: requests signed
 * by the spec-written signer (support/signer.ts), then changed as a proxy or a client bug would.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type CandidateKey,
  type Tc3Inputs,
  checkInputs,
  checkTc3Signature,
} from '../../src/protocol/signature-check.js';
import { type SignedRequest, signTc3 } from '../../support/signer.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const ACCOUNT: CandidateKey = { source: 'account', secretKey: 'the-account-key' };
const OTHER: CandidateKey = { source: 'other', secretId: 'AKIDother', secretKey: 'the-other-key' };

/** What the server keeps of `request` as received, with `headers` overriding what was sent. */
function received(request: SignedRequest, headers: Record<string, string> = {}, lenient = true): Tc3Inputs {
  const sent = Object.fromEntries(Object.entries({ ...request.headers }).map(([k, v]) => [k.toLowerCase(), v]));
  const all = { ...sent, ...headers };
  const auth = /Credential=([^/]+)\/([^/]+)\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=(\w+)/.exec(
    all.authorization!,
  )!;
  const signedHeaders = auth[4]!.split(';');
  return {
    secretId: auth[1]!,
    method: request.method,
    path: '/',
    query: request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '',
    signedHeaders,
    headers: Object.fromEntries(signedHeaders.map((name) => [name, all[name] ?? ''])),
    bodyHash: sha256(request.body ?? ''),
    unsignedPayload: false,
    timestamp: all['x-tc-timestamp']!,
    date: auth[2]!,
    service: auth[3]!,
    signatureHash: sha256(auth[5]!),
    lenient,
  };
}

const sign = (secretKey: string, host = '127.0.0.1:4566', contentType?: string) =>
  signTc3({
    secretId: 'AKIDaccount',
    secretKey,
    host,
    action: 'QrcodeOCR',
    body: '{"ImageBase64":"aGk="}',
    contentType,
  });

describe('checkTc3Signature', () => {
  it('finds a Content-Type a proxy rewrote and marks its line of the canonical request', () => {
    const inputs = received(sign(ACCOUNT.secretKey), { 'content-type': 'application/json; charset=utf-8' });
    const check = checkTc3Signature(inputs, [ACCOUNT, OTHER]);
    expect(check.client?.key).toBe('account');
    expect(check.client?.change).toContain('Content-Type signed as application/json');
    expect(check.firstDifferentLine).toBe(4);
    expect(check.client!.canonicalRequest.split('\n')[3]).toBe('content-type:application/json');
    expect(check.server.canonicalRequest.split('\n')[3]).toBe('content-type:application/json; charset=utf-8');
    expect(check.verdict).toContain('over a different request');
  });

  it('a wrong key given by the user: the same canonical request, only the key differs', () => {
    const inputs = received(sign('a-wrong-key'));
    const check = checkTc3Signature(inputs, [{ source: 'given', secretKey: 'a-wrong-key' }, ACCOUNT, OTHER]);
    expect(check.client?.key).toBe('given');
    expect(check.client?.change).toBe('none');
    expect(check.firstDifferentLine).toBeNull();
    expect(check.client!.canonicalRequest).toBe(check.server.canonicalRequest);
    expect(check.verdict).toContain('only the key differs');
  });

  it('names another account whose key signed the request', () => {
    const check = checkTc3Signature(received(sign(OTHER.secretKey)), [ACCOUNT, OTHER]);
    expect(check.client?.key).toBe('other');
    expect(check.client?.keySecretId).toBe('AKIDother');
    expect(check.verdict).toContain('the SecretKey of AKIDother');
  });

  it('says so when nothing reproduces the signature, and lists what it tried', () => {
    const check = checkTc3Signature(received(sign('unknown')), [ACCOUNT, OTHER]);
    expect(check.client).toBeNull();
    expect(check.firstDifferentLine).toBeNull();
    expect(check.verdict).toContain('give the key it used');
    expect(check.changesTried.length).toBeGreaterThanOrEqual(5);
    expect(check.tried).toBeGreaterThanOrEqual(2 * check.changesTried.length);
  });

  it('a host signed without its port is accepted in both modes, as the server accepts it', () => {
    const signedBare = sign(ACCOUNT.secretKey, '127.0.0.1');
    for (const lenient of [true, false]) {
      const check = checkTc3Signature(received(signedBare, { host: '127.0.0.1:4566' }, lenient), [ACCOUNT]);
      expect(check.client?.change).toBe('none');
      expect(check.verdict).toContain('The signature is right');
    }
    // …and a proxy's change on top of it is still found, in strict mode too.
    const proxied = received(signedBare, { host: '127.0.0.1:4566', 'content-type': 'text/plain' }, false);
    const check = checkTc3Signature(proxied, [OTHER, ACCOUNT]);
    expect(check.client?.key).toBe('account');
    expect(check.client?.change).toContain('Content-Type signed as application/json');
    expect(check.server.canonicalRequest).toContain('host:127.0.0.1\n');
  });

  it('keeps nothing for a check that would be large or hold a secret', () => {
    const request = sign(ACCOUNT.secretKey);
    const inputs = received(request);
    expect(checkInputs(inputs)).toBe(inputs);
    expect(checkInputs({ ...inputs, signedHeaders: Array.from({ length: 17 }, (_, i) => `h${i}`) })).toBeUndefined();
    expect(checkInputs({ ...inputs, signedHeaders: [...inputs.signedHeaders, 'x-tc-token'] })).toBeUndefined();
    expect(checkInputs({ ...inputs, query: 'q'.repeat(3000) })).toBeUndefined();
    expect(checkInputs({ ...inputs, headers: { ...inputs.headers, host: 'h'.repeat(2000) } })).toBeUndefined();
    const signature = /Signature=(\w+)/.exec(request.headers.Authorization!)![1]!;
    expect(JSON.stringify(inputs)).not.toContain(signature);
    expect(inputs.signatureHash).toBe(sha256(signature));
  });
});
