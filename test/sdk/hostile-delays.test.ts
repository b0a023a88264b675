/**
 * Hostile input, part of the bad-input suite: clients that leave and answers that take long.
 * A request whose client went away is journalled and counted exactly once and its fault delay
 * ends; TCOCR_REQUEST_TIMEOUT_MS bounds receiving only, never a slow answer; delays are capped.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DELAY_MS, parseEffect } from '../../src/faults/effects.js';
import { seededRandom } from '../../src/faults/random.js';
import { plannedDelays } from '../../src/faults/stages.js';
import type { RunningEmulator } from '../../src/index.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { eventually, inFlight, journal } from '../helpers/hostile-http.js';
import { qrPng } from '../../support/images.js';

let emulator: RunningEmulator;
let png: Buffer;

beforeAll(async () => {
  // A short receive timeout: answers that take longer than it must still arrive.
  emulator = await startTestEmulator({ TCOCR_REQUEST_TIMEOUT_MS: '1000', TCOCR_ALLOW_PRIVATE_URLS: 'true' });
  png = (await qrPng('hostile delays')).png;
});
afterAll(async () => emulator?.close());

describe('a client that leaves during a delay', () => {
  it('is journalled once as aborted, and the in-flight gauge comes back to 0', async () => {
    const testId = 'gone-during-delay';
    const client = sdkClient(emulator, {
      headers: { 'X-TC-Emulator-Fault': 'delay/3000', 'X-TC-Emulator-Test-Id': testId },
      reqTimeout: 1,
    });
    const calls = Array.from({ length: 5 }, () =>
      client.QrcodeOCR({ ImageBase64: png.toString('base64') }).then(
        () => 'answered',
        (error: Error) => error.message,
      ),
    );
    for (const outcome of await Promise.all(calls)) expect(outcome).toMatch(/timeout/i);
    expect(await eventually(async () => (await journal(emulator, `testId=${testId}`)).length === 5)).toBe(true);
    expect(await eventually(async () => (await inFlight(emulator)) === 0)).toBe(true);
    // Past the 3 s the delays asked for: still once each, still nothing in flight.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const entries = await journal(emulator, `testId=${testId}`);
    expect(entries.map((entry) => [entry.code, entry.httpStatus])).toEqual(Array(5).fill(['aborted', null]));
    expect(await inFlight(emulator)).toBe(0);
  });

  it('ends the delay: the request goes no further (its ImageUrl is never fetched)', async () => {
    let fetched = 0;
    const server = http.createServer((_request, response) => {
      fetched += 1;
      response.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const imageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/qr.png`;
      const client = sdkClient(emulator, { headers: { 'X-TC-Emulator-Fault': 'delay/1500' }, reqTimeout: 0.3 });
      await expect(client.QrcodeOCR({ ImageUrl: imageUrl })).rejects.toThrow(/timeout/i);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(fetched).toBe(0);
      // The same request with a patient client is answered.
      expect(
        (
          await sdkClient(emulator, { headers: { 'X-TC-Emulator-Fault': 'delay/100' } }).QrcodeOCR({
            ImageUrl: imageUrl,
          })
        ).CodeResults?.[0]?.Url,
      ).toBe('hostile delays');
      expect(fetched).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('answers slower than the receive timeout', () => {
  it('a delay past TCOCR_REQUEST_TIMEOUT_MS is answered, not cut off', async () => {
    const client = sdkClient(emulator, { headers: { 'X-TC-Emulator-Fault': 'delay/2500' } });
    const result = await client.QrcodeOCR({ ImageBase64: png.toString('base64') });
    expect(result.CodeResults?.[0]?.Url).toBe('hostile delays');
  });
});

describe('delay limits', () => {
  it(`one delay is at most ${MAX_DELAY_MS} ms: longer ones are refused in the header and in rules`, async () => {
    expect(MAX_DELAY_MS).toBe(60_000);
    const client = sdkClient(emulator, { headers: { 'X-TC-Emulator-Fault': `delay/${MAX_DELAY_MS + 1}` } });
    expect(await errorCode(client.QrcodeOCR({ ImageBase64: png.toString('base64') }))).toBe('InvalidParameterValue');
    const response = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ effect: { type: 'delay', ms: 600_000 } }),
    });
    expect(response.status).toBe(400);
  });

  it('several delays together hold a request for the maximum at most', () => {
    const effects = [...Array(16).fill(parseEffect(`delay/${MAX_DELAY_MS}`)), parseEffect('InternalError')];
    const delays = plannedDelays(effects, seededRandom(1));
    expect(delays.reduce((sum, ms) => sum + ms, 0)).toBe(MAX_DELAY_MS);
    expect(plannedDelays([parseEffect('delay/100'), parseEffect('delay/200')], seededRandom(1))).toEqual([100, 200]);
  });

  it('more than 16 faults in one header: InvalidParameterValue', async () => {
    const client = sdkClient(emulator, { headers: { 'X-TC-Emulator-Fault': Array(17).fill('delay/1').join(',') } });
    expect(await errorCode(client.QrcodeOCR({ ImageBase64: png.toString('base64') }))).toBe('InvalidParameterValue');
  });
});
