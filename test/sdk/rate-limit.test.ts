/**
 * Per-second rate limits per SecretId and action through the official Node SDK. The limiter runs
 * after routing and before the action, so a cheap request (ImageBase64 "") counts like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../src/service/rate-limit.js';
import type { RunningEmulator } from '../../src/index.js';
import { type ClientOptions, errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator(
    { TCOCR_RATE_LIMITS: DEFAULT_RATE_LIMITS, TCOCR_CREDENTIALS: 'AKIDONE:keyOne,AKIDTWO:keyTwo,AKIDTHREE:keyThree' },
    false,
  );
});
afterAll(async () => emulator?.close());

const ONE: ClientOptions = { secretId: 'AKIDONE', secretKey: 'keyOne' };
const TWO: ClientOptions = { secretId: 'AKIDTWO', secretKey: 'keyTwo' };
const THREE: ClientOptions = { secretId: 'AKIDTHREE', secretKey: 'keyThree' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` calls one after another; the outcome codes and how long they took. */
async function burst(
  call: () => Promise<unknown>,
  count: number,
): Promise<{ codes: string[]; ms: number; last: Error }> {
  const started = performance.now();
  const codes: string[] = [];
  let last = new Error('none');
  for (let i = 0; i < count; i += 1) {
    try {
      await call();
      codes.push('OK');
    } catch (error) {
      last = error as Error;
      codes.push((error as { code: string }).code);
    }
  }
  return { codes, ms: performance.now() - started, last };
}

describe('rate limits', () => {
  it('QrcodeOCR: 11 calls in one second — the 11th is throttled with the real message', async () => {
    await sleep(1100);
    const client = sdkClient(emulator, ONE);
    const { codes, ms, last } = await burst(() => client.QrcodeOCR({ ImageBase64: '' }), 11);
    expect(ms).toBeLessThan(1000); // the precondition: all eleven fell inside one second
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('FailedOperation.EmptyImageError'));
    expect(codes[10]).toBe('RequestLimitExceeded');
    expect(last.message).toBe(
      'Your current request times equals to `11` in a second, which exceeds the frequency limit `10` for a second. Please reduce the frequency of calls.',
    );
  });

  it('RecognizeHealthCodeOCR: 10/s too, in Chinese when asked', async () => {
    const client = sdkClient(emulator, { ...TWO, language: 'zh-CN' });
    const { codes, ms, last } = await burst(() => client.request('RecognizeHealthCodeOCR', { ImageBase64: '' }), 11);
    expect(ms).toBeLessThan(1000);
    expect(codes[9]).toBe('FailedOperation.EmptyImageError');
    expect(codes[10]).toBe('RequestLimitExceeded');
    expect(last.message).toBe('您当前每秒请求 `11` 次，超过了每秒频率上限 `10`，请稍后重试。');
  });

  it('limits are per SecretId and per action; a second later there is room again', async () => {
    await sleep(1100);
    const one = sdkClient(emulator, ONE);
    const three = sdkClient(emulator, THREE);
    expect((await burst(() => one.QrcodeOCR({ ImageBase64: '' }), 11)).codes[10]).toBe('RequestLimitExceeded');
    expect(await errorCode(three.QrcodeOCR({ ImageBase64: '' }))).toBe('FailedOperation.EmptyImageError');
    expect(await errorCode(one.request('RecognizeHealthCodeOCR', { ImageBase64: '' }))).toBe(
      'FailedOperation.EmptyImageError',
    );
    await sleep(1100);
    expect(await errorCode(one.QrcodeOCR({ ImageBase64: '' }))).toBe('FailedOperation.EmptyImageError');
  });

  it('changed and switched off at run time through the admin API', async () => {
    const put = (body: unknown) =>
      fetch(`${emulator.url}/_emulator/rate-limits`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put({ actions: { QrcodeOCR: 3 } })).status).toBe(200);
    const client = sdkClient(emulator, THREE);
    expect((await burst(() => client.QrcodeOCR({ ImageBase64: '' }), 4)).codes[3]).toBe('RequestLimitExceeded');
    expect((await put({ enabled: false })).status).toBe(200);
    const { codes } = await burst(() => client.QrcodeOCR({ ImageBase64: '' }), 25);
    expect(codes.every((code) => code === 'FailedOperation.EmptyImageError')).toBe(true);
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
  });

  it('TCOCR_RATE_LIMITS=off: no limit at all', async () => {
    const unlimited = await startTestEmulator({ TCOCR_RATE_LIMITS: 'off' }, false);
    try {
      const client = sdkClient(unlimited);
      const { codes } = await burst(() => client.QrcodeOCR({ ImageBase64: '' }), 30);
      expect(codes.every((code) => code === 'FailedOperation.EmptyImageError')).toBe(true);
    } finally {
      await unlimited.close();
    }
  });
});
