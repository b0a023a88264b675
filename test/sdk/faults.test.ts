/**
 * Forced faults through the official Node SDK, all four ways but account states (see
 * account-states.test.ts): magic ImageUrl, the X-TC-Emulator-Fault header, rules from a file and
 * from the admin API. Every transport fault is asserted as the SDK surfaces it (PROTOCOL.md §4.1).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { type ClientOptions, errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { type QrImage, qrPng } from '../../support/images.js';

const MAGIC = 'https://error.emulator.invalid';
const MAPPED = 'https://images.emulator.test/';
const FILE_RULES = `
rules:
  - id: file-blur
    description: every QrcodeOCR call tagged file-rule answers ImageBlur
    match: { action: QrcodeOCR, testId: file-rule }
    effect: FailedOperation.ImageBlur
  - id: file-third
    match: { testId: third-call, nth: 3 }
    effect: { type: error, code: FailedOperation.OcrFailed, message: the third call fails }
`;

let emulator: RunningEmulator;
let qr: QrImage;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'faults-sdk-'));
  qr = await qrPng('mapped, offline');
  writeFileSync(path.join(dir, 'qr.png'), qr.png);
  writeFileSync(path.join(dir, 'faults.yaml'), FILE_RULES);
  emulator = await startTestEmulator({
    TCOCR_FAULTS_FILE: path.join(dir, 'faults.yaml'),
    TCOCR_URL_MAP: `${MAPPED}=${dir}`,
  });
});
afterAll(async () => emulator?.close());
beforeEach(async () => {
  await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
});

const client = (options: ClientOptions = {}) => sdkClient(emulator, options);
const qrcode = (params: { ImageUrl?: string; ImageBase64?: string }, options: ClientOptions = {}) =>
  client(options).QrcodeOCR(params);
const tagged = (testId: string, extra: Record<string, string> = {}): ClientOptions => ({
  headers: { 'X-TC-Emulator-Test-Id': testId, ...extra },
});

async function rejection(call: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('the call succeeded; an error was expected');
}

/** What a caller can inspect on the rejection: its class, and the SDK's fields. */
const fields = (error: Error & Record<string, unknown>) => ({
  type: error.constructor.name,
  httpCode: error.httpCode,
  message: error.message,
  code: error.code,
  requestId: error.requestId,
});

// biome-ignore lint/suspicious/noExplicitAny: the control plane's JSON answers are read field by field in each test.
async function adminJson(method: string, url: string, body?: unknown): Promise<any> {
  const response = await fetch(`${emulator.url}/_emulator${url}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return response.status === 204 ? undefined : response.json();
}

describe('1. magic ImageUrl on error.emulator.invalid (no configuration, any SDK)', () => {
  it('answers the Tencent error the path names, in the request language', async () => {
    expect(await errorCode(qrcode({ ImageUrl: `${MAGIC}/FailedOperation.ImageBlur` }))).toBe(
      'FailedOperation.ImageBlur',
    );
    expect(await errorCode(qrcode({ ImageUrl: `${MAGIC}/ResourceUnavailable.InArrears` }))).toBe(
      'ResourceUnavailable.InArrears',
    );
    const zh = await rejection(qrcode({ ImageUrl: `${MAGIC}/FailedOperation.ImageBlur` }, { language: 'zh-CN' }));
    expect(zh.message).toBe('图片模糊。');
    expect(zh.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('delays, then the next fault; a path of delays only answers DownLoadError', async () => {
    const started = performance.now();
    expect(await errorCode(qrcode({ ImageUrl: `${MAGIC}/delay/300/InternalError` }))).toBe('InternalError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(await errorCode(qrcode({ ImageUrl: `${MAGIC}/delay/1` }))).toBe('FailedOperation.DownLoadError');
    expect(await errorCode(qrcode({ ImageUrl: `${MAGIC}/NotAFault` }))).toBe('FailedOperation.DownLoadError');
  });

  it('transport faults: http/502, reset', async () => {
    const gateway = await rejection(qrcode({ ImageUrl: `${MAGIC}/http/502` }));
    expect(fields(gateway)).toEqual({
      type: 'TencentCloudSDKHttpException',
      httpCode: 502,
      message: 'Bad Gateway',
      code: undefined,
      requestId: '',
    });
    const reset = await rejection(qrcode({ ImageUrl: `${MAGIC}/reset` }));
    expect(fields(reset)).toMatchObject({ type: 'TencentCloudSDKHttpException', httpCode: undefined, code: undefined });
    expect(reset.message).toMatch(/ECONNRESET/);
  });
});

describe('2. the X-TC-Emulator-Fault header (httpProfile.headers), signatures untouched', () => {
  it.each([
    ['TC3-HMAC-SHA256', 'POST'],
    ['TC3-HMAC-SHA256', 'GET'],
    ['HmacSHA256', 'POST'],
    ['HmacSHA1', 'GET'],
  ] as const)('%s %s', async (signMethod, reqMethod) => {
    const options: ClientOptions = {
      signMethod,
      reqMethod,
      headers: { 'X-TC-Emulator-Fault': 'FailedOperation.ImageBlur' },
    };
    expect(await errorCode(qrcode({ ImageBase64: qr.png.toString('base64') }, options))).toBe(
      'FailedOperation.ImageBlur',
    );
  });

  it('a wrong signature still fails first: the header forces nothing then', async () => {
    const options: ClientOptions = {
      secretKey: 'wrong',
      headers: { 'X-TC-Emulator-Fault': 'FailedOperation.ImageBlur' },
    };
    expect(await errorCode(qrcode({ ImageBase64: '' }, options))).toBe('AuthFailure.SignatureFailure');
  });

  it('delay then carry on: the real result arrives late', async () => {
    const started = performance.now();
    const response = await qrcode(
      { ImageBase64: qr.png.toString('base64') },
      { headers: { 'X-TC-Emulator-Fault': 'delay/250' } },
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(response.CodeResults?.[0]?.Url).toBe('mapped, offline');
  });
});

describe('transport faults as the Node SDK surfaces them (PROTOCOL.md §4.1)', () => {
  const fault = (spec: string) => qrcode({ ImageBase64: '' }, { headers: { 'X-TC-Emulator-Fault': spec } });

  it('non-200: err.httpCode and the reason phrase, no code', async () => {
    for (const [status, reason] of [
      [500, 'Internal Server Error'],
      [503, 'Service Unavailable'],
      [429, 'Too Many Requests'],
    ] as const) {
      const error = await rejection(fault(`http/${status}`));
      expect(fields(error)).toEqual({
        type: 'TencentCloudSDKHttpException',
        httpCode: status,
        message: reason,
        code: undefined,
        requestId: '',
      });
    }
  });

  it('200 with a body cut short: a plain FetchError (invalid-json), not a Tencent exception', async () => {
    const error = await rejection(fault('malformed'));
    expect(fields(error)).toMatchObject({ type: 'FetchError', code: undefined, httpCode: undefined });
    expect(error.type).toBe('invalid-json');
  });

  it('reset and empty (closed without a reply): a network error', async () => {
    const reset = await rejection(fault('reset'));
    expect(fields(reset)).toMatchObject({
      type: 'TencentCloudSDKHttpException',
      code: undefined,
      httpCode: undefined,
      requestId: '',
    });
    expect(reset.message).toMatch(/^request to http:\/\/127\.0\.0\.1:\d+\/ failed, reason: read ECONNRESET$/);
    const empty = await rejection(fault('empty'));
    expect(fields(empty)).toMatchObject({
      type: 'TencentCloudSDKHttpException',
      code: undefined,
      httpCode: undefined,
      requestId: '',
    });
    expect(empty.message).toMatch(/^request to http:\/\/127\.0\.0\.1:\d+\/ failed, reason: socket hang up$/);
  });

  it('a delay past the client timeout: the SDK gives up', async () => {
    const impatient = client({ headers: { 'X-TC-Emulator-Fault': 'delay/3000' } });
    (impatient as unknown as { profile: { httpProfile: { reqTimeout: number } } }).profile.httpProfile.reqTimeout = 1;
    const error = await rejection(impatient.QrcodeOCR({ ImageBase64: '' }));
    expect(fields(error)).toMatchObject({ type: 'TencentCloudSDKHttpException', code: undefined });
    expect(error.message).toMatch(/timeout/i);
  });

  it('every dropped or raw reply is in the journal, with the fault that caused it', async () => {
    for (const spec of ['reset', 'empty', 'malformed', 'http/502']) {
      await rejection(qrcode({ ImageBase64: '' }, tagged('transport', { 'X-TC-Emulator-Fault': spec })));
    }
    const { requests } = await adminJson('GET', '/requests?testId=transport');
    expect(requests.map((r: { code: string; httpStatus: number | null }) => [r.code, r.httpStatus])).toEqual([
      ['reset', null],
      ['empty', null],
      ['malformed', 200],
      ['http:502', 502],
    ]);
    expect(requests.map((r: { faults: { effect: string }[] }) => r.faults[0]!.effect)).toEqual([
      'reset',
      'empty',
      'malformed',
      'http:502',
    ]);
  });
});

describe('3. rules from TCOCR_FAULTS_FILE and the admin API', () => {
  it('file rules are in force from the start', async () => {
    expect(await errorCode(qrcode({ ImageBase64: '' }, tagged('file-rule')))).toBe('FailedOperation.ImageBlur');
    expect(await errorCode(qrcode({ ImageBase64: '' }, tagged('other')))).toBe('FailedOperation.EmptyImageError');
    const codes = [];
    for (let i = 0; i < 4; i += 1) codes.push(await errorCode(qrcode({ ImageBase64: '' }, tagged('third-call'))));
    expect(codes).toEqual([
      'FailedOperation.EmptyImageError',
      'FailedOperation.EmptyImageError',
      'FailedOperation.OcrFailed',
      'FailedOperation.EmptyImageError',
    ]);
    const third = await rejection(qrcode({ ImageBase64: '' }, tagged('file-rule')));
    expect(third.message).toBe('The image is too blurry.');
  });

  it('"fail twice, then succeed" is one rule; a retry loop gets through on the third call and the journal proves it', async () => {
    await adminJson('POST', '/faults', {
      id: 'flaky',
      effect: 'InternalError',
      times: 2,
      match: { action: 'QrcodeOCR', testId: 'retry' },
    });
    const image = qr.png.toString('base64');
    const attempts: string[] = [];
    let response: Awaited<ReturnType<typeof qrcode>> | undefined;
    for (let attempt = 1; attempt <= 5 && !response; attempt += 1) {
      try {
        response = await qrcode({ ImageBase64: image }, tagged('retry'));
        attempts.push('OK');
      } catch (error) {
        attempts.push((error as { code: string }).code);
      }
    }
    expect(attempts).toEqual(['InternalError', 'InternalError', 'OK']);
    expect(response?.CodeResults?.[0]?.Url).toBe('mapped, offline');
    expect(await adminJson('GET', '/faults/flaky')).toMatchObject({
      fired: 2,
      matched: 3,
      remaining: 0,
      pending: false,
    });
    const { requests } = await adminJson('GET', '/requests?testId=retry');
    expect(
      requests.map((r: { code: string; faults: { id: string }[] }) => [r.code, r.faults.map((f) => f.id)]),
    ).toEqual([
      ['InternalError', ['flaky']],
      ['InternalError', ['flaky']],
      ['OK', []],
    ]);
  });

  it('matches on the image hash and on ImageUrl patterns; a canned success comes back as the SDK response', async () => {
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(qr.png).digest('hex');
    await adminJson('POST', '/faults', [
      { effect: 'FailedOperation.ImageBlur', match: { imageSha256: sha } },
      {
        effect: {
          type: 'success',
          result: { CodeResults: [{ TypeName: 'QR_CODE', Url: 'canned' }], ImgSize: { Wide: 9, High: 9 } },
        },
        match: { imageUrl: 'https://cdn.example.com/*.png' },
      },
    ]);
    expect(await errorCode(qrcode({ ImageBase64: qr.png.toString('base64') }))).toBe('FailedOperation.ImageBlur');
    const canned = await qrcode({ ImageUrl: 'https://cdn.example.com/anything/at/all.png' });
    expect(canned).toMatchObject({
      CodeResults: [{ TypeName: 'QR_CODE', Url: 'canned' }],
      ImgSize: { Wide: 9, High: 9 },
    });
    expect(canned.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an OCR action without an engine from a canned result; a rule naming no OCR action is refused', async () => {
    await adminJson('POST', '/faults', {
      match: { action: 'GeneralBasicOCR' },
      effect: {
        type: 'success',
        result: { TextDetections: [{ DetectedText: '你好', Confidence: 99 }], Language: 'zh', Angel: 0 },
      },
    });
    const reply = await client().GeneralBasicOCR({ ImageBase64: qr.png.toString('base64') });
    expect(reply.TextDetections).toEqual([{ DetectedText: '你好', Confidence: 99 }]);
    expect(reply.Language).toBe('zh');
    const refused = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ match: { action: 'GeneralBasicOCRR' }, effect: 'InternalError' }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toContain(
      '"GeneralBasicOCRR" is not an action of the OCR API 2018-11-19',
    );
  });

  it('probability with the seeded generator: the same calls fail after every reset', async () => {
    const run = async () => {
      await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
      await adminJson('POST', '/faults', { effect: 'ServiceUnavailable', probability: 0.5, match: { testId: 'coin' } });
      const outcome: string[] = [];
      for (let i = 0; i < 12; i += 1)
        outcome.push(
          (await errorCode(qrcode({ ImageBase64: '' }, tagged('coin')))) === 'ServiceUnavailable' ? 'x' : '.',
        );
      return outcome.join('');
    };
    const first = await run();
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
    expect(await run()).toBe(first);
  });
});

describe('offline URL map (TCOCR_URL_MAP)', () => {
  it('QrcodeOCR on a mapped https URL reads the generated QR code from the folder', async () => {
    const response = await qrcode({ ImageUrl: `${MAPPED}qr.png` });
    expect(response.CodeResults?.[0]).toMatchObject({ TypeName: 'QR_CODE', Url: 'mapped, offline' });
    expect(response.ImgSize).toEqual({ Wide: qr.size, High: qr.size });
    expect(await errorCode(qrcode({ ImageUrl: `${MAPPED}missing.png` }))).toBe('FailedOperation.DownLoadError');
  });
});
