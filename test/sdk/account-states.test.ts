/**
 * Account states per SecretId (TCOCR_ACCOUNTS and the admin API) through the official Node SDK.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';

const KEYS = {
  AKIDACTIVE: 'active',
  AKIDUNOPENED: 'unopened',
  AKIDBILLING: 'billing-abnormal',
  AKIDARREARS: 'in-arrears',
  AKIDRUNOUT: 'package-run-out',
  AKIDCAMALL: 'cam-denied',
  AKIDCAMQR: 'cam-denied:QrcodeOCR',
  AKIDQUOTA: 'daily-quota:2',
} as const;
type Key = keyof typeof KEYS;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator(
    {
      TCOCR_CREDENTIALS: Object.keys(KEYS)
        .map((id) => `${id}:key-of-${id}`)
        .join(','),
      TCOCR_ACCOUNTS: Object.entries(KEYS)
        .map(([id, setting]) => `${id}=${setting}`)
        .join(','),
    },
    false,
  );
});
afterAll(async () => emulator?.close());

const as = (secretId: Key, language?: 'zh-CN' | 'en-US') =>
  sdkClient(emulator, { secretId, secretKey: `key-of-${secretId}`, ...(language ? { language } : {}) });
// A cheap request: with a healthy account it answers FailedOperation.EmptyImageError.
const qrcode = (secretId: Key) => as(secretId).QrcodeOCR({ ImageBase64: '' });
const healthCode = (secretId: Key) => as(secretId).request('RecognizeHealthCodeOCR', { ImageBase64: '' });

describe('account states', () => {
  it.each([
    ['AKIDUNOPENED', 'FailedOperation.UnOpenError'],
    ['AKIDBILLING', 'ResourcesSoldOut.ChargeStatusException'],
    ['AKIDARREARS', 'ResourceUnavailable.InArrears'],
    ['AKIDRUNOUT', 'ResourceUnavailable.ResourcePackageRunOut'],
    ['AKIDCAMALL', 'AuthFailure.UnauthorizedOperation'],
  ] as const)('%s → %s', async (secretId, code) => {
    expect(await errorCode(qrcode(secretId))).toBe(code);
    expect(await errorCode(healthCode(secretId))).toBe(code);
  });

  it('a healthy account is unaffected', async () => {
    expect(await errorCode(qrcode('AKIDACTIVE'))).toBe('FailedOperation.EmptyImageError');
  });

  it('CAM denial can name one action; its message is the real one, in both languages', async () => {
    expect(await errorCode(qrcode('AKIDCAMQR'))).toBe('AuthFailure.UnauthorizedOperation');
    expect(await errorCode(healthCode('AKIDCAMQR'))).toBe('FailedOperation.EmptyImageError');
    await expect(as('AKIDCAMQR').QrcodeOCR({ ImageBase64: '' })).rejects.toThrow(
      'You are not authorized to perform this operation. Check your CAM policies, and ensure that you are using the correct access keys.',
    );
    await expect(as('AKIDARREARS', 'zh-CN').QrcodeOCR({ ImageBase64: '' })).rejects.toThrow('账号已欠费。');
  });

  it('CAM is checked before parameters, billing states after them (an unknown parameter wins over arrears)', async () => {
    expect(await errorCode(as('AKIDCAMALL').request('QrcodeOCR', { Colour: 'red' }))).toBe(
      'AuthFailure.UnauthorizedOperation',
    );
    expect(await errorCode(as('AKIDARREARS').request('QrcodeOCR', { Colour: 'red' }))).toBe('UnknownParameter');
  });

  it('daily quota: LimitExceeded from the third call of the day', async () => {
    const codes = [];
    for (let i = 0; i < 4; i += 1) codes.push(await errorCode(qrcode('AKIDQUOTA')));
    expect(codes).toEqual([
      'FailedOperation.EmptyImageError',
      'FailedOperation.EmptyImageError',
      'LimitExceeded',
      'LimitExceeded',
    ]);
  });

  it('set at run time through the admin API; reset restores TCOCR_ACCOUNTS', async () => {
    const put = await fetch(`${emulator.url}/_emulator/accounts/AKIDACTIVE`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'in-arrears' }),
    });
    expect(put.status).toBe(200);
    expect(await errorCode(qrcode('AKIDACTIVE'))).toBe('ResourceUnavailable.InArrears');
    await fetch(`${emulator.url}/_emulator/accounts/AKIDARREARS`, { method: 'DELETE' });
    expect(await errorCode(qrcode('AKIDARREARS'))).toBe('FailedOperation.EmptyImageError');

    expect((await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' })).status).toBe(204);
    expect(await errorCode(qrcode('AKIDACTIVE'))).toBe('FailedOperation.EmptyImageError');
    expect(await errorCode(qrcode('AKIDARREARS'))).toBe('ResourceUnavailable.InArrears');
    expect(await errorCode(qrcode('AKIDQUOTA'))).toBe('FailedOperation.EmptyImageError');
  });
});
