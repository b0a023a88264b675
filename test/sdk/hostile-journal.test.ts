/**
 * Hostile input, part of the bad-input suite: the request journal stays small whatever clients
 * send. Stored strings are clipped (a 9 MB ImageUrl keeps its first 2048 characters), the entries
 * together are bounded in bytes, `GET /_emulator/requests` answers, and an absurd Authorization
 * header is read in bounded time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal, type NewEntry } from '../../src/journal/journal.js';
import { MAX_JOURNAL_STRING } from '../../src/journal/observer.js';
import type { RunningEmulator } from '../../src/index.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { admin, journal } from '../helpers/hostile-http.js';
import { signTc3 } from '../../support/signer.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => emulator?.close());

async function send(body: string, headers: Record<string, string> = {}): Promise<string | undefined> {
  const request = signTc3({ ...emulator.credentials, host: emulator.endpoint, action: 'QrcodeOCR', body });
  const response = await fetch(`${emulator.url}/`, {
    method: 'POST',
    headers: { ...request.headers, ...headers },
    body: request.body!,
  });
  const json = (await response.json()) as { Response: { Error?: { Code: string } } };
  return json.Response.Error?.Code;
}

describe('journal size', () => {
  it('10 requests with a 9 MB ImageUrl: each entry keeps the start of it; the listing stays small and answers', async () => {
    const imageUrl = `http://127.0.0.1/${'u'.repeat(9 * 1024 * 1024)}`;
    for (let i = 0; i < 10; i += 1) {
      expect(await send(JSON.stringify({ ImageUrl: imageUrl }), { 'X-TC-Emulator-Test-Id': 'long-url' })).toBe(
        'FailedOperation.DownLoadError',
      );
    }
    const response = await fetch(`${emulator.url}/_emulator/requests?limit=1000&testId=long-url`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.length).toBeLessThan(200_000);
    const { requests } = JSON.parse(text) as { requests: Array<{ imageUrl: string }> };
    expect(requests).toHaveLength(10);
    for (const entry of requests) {
      expect(entry.imageUrl.startsWith(imageUrl.slice(0, MAX_JOURNAL_STRING))).toBe(true);
      expect(entry.imageUrl.length).toBeLessThan(MAX_JOURNAL_STRING + 64);
      expect(entry.imageUrl).toContain(`${imageUrl.length - MAX_JOURNAL_STRING} more characters`);
    }
  });

  it('a header-sized test id and trace id are clipped too', async () => {
    const long = 't'.repeat(25_000); // two of them stay under the 64 KB header limit
    await send('{}', { 'X-TC-Emulator-Test-Id': long, 'X-TC-TraceId': long.slice(0, 10_000) }); // the trace id is echoed: fetch reads 16 KB of headers
    const entry = (await journal(emulator, '')).at(-1);
    expect(entry?.testId?.startsWith('tttt')).toBe(true);
    expect(JSON.stringify(entry).length).toBeLessThan(4 * MAX_JOURNAL_STRING);
  });

  it('the entries together stay within the byte bound: the oldest go first', () => {
    const bounded = new Journal(1_000, 50_000);
    const entry = (i: number): NewEntry => ({
      requestId: `r${i}`,
      time: '',
      receivedAt: i,
      latencyMs: 0,
      action: null,
      code: 'OK',
      message: null,
      httpStatus: 200,
      secretId: null,
      region: null,
      testId: null,
      traceId: null,
      signatureMethod: null,
      language: 'en-US',
      faults: [],
      imageUrl: 'x'.repeat(2_000),
    });
    for (let i = 0; i < 200; i += 1) bounded.add(entry(i));
    expect(bounded.bytes).toBeLessThanOrEqual(50_000);
    expect(bounded.size).toBeGreaterThan(10);
    expect(bounded.find({}).at(-1)?.requestId).toBe('r199');
  });
});

describe('a 59 KB Authorization of repeated Credential=', () => {
  it('answers AuthFailure.InvalidAuthorization and is journalled without a SecretId', async () => {
    const authorization = `TC3-HMAC-SHA256 ${'Credential='.repeat(5_400)}`;
    expect(authorization.length).toBeGreaterThan(59_000);
    for (let i = 0; i < 10; i += 1) {
      expect(await send('{}', { Authorization: authorization, 'X-TC-Emulator-Test-Id': 'credentials' })).toBe(
        'AuthFailure.InvalidAuthorization',
      );
    }
    const entries = await journal(emulator, 'testId=credentials');
    expect(entries.map((entry) => entry.secretId)).toEqual(Array(10).fill(null));
    expect((await admin(emulator, 'GET', '/requests?limit=1000')).status).toBe(200);
  });
});
