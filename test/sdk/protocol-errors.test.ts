/**
 * Every protocol and image-intake error code, as the official Node SDK surfaces it (err.code).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { type FileServer, serveFiles } from '../helpers/file-server.js';
import { blankPng, qrPng } from '../../support/images.js';

let emulator: RunningEmulator;
let files: FileServer;
let qrBase64: string;

beforeAll(async () => {
  const qr = await qrPng('served over http');
  files = await serveFiles({
    '/qr.png': qr.png,
    '/empty.png': Buffer.alloc(0),
    '/text.png': Buffer.from('not an image'),
  });
  qrBase64 = qr.png.toString('base64');
  emulator = await startTestEmulator({
    TCOCR_ALLOW_PRIVATE_URLS: 'true',
    TCOCR_CREDENTIALS: 'AKIDTESTMAIN:mainSecretKey,AKIDTEMPORARY:tempSecretKey:session-token-1',
  });
});
afterAll(async () => {
  await emulator?.close();
  await files?.close();
});

const client = (options: Parameters<typeof sdkClient>[1] = {}) => sdkClient(emulator, options);

describe('authentication', () => {
  it('AuthFailure.SecretIdNotFound for an unknown SecretId', async () => {
    expect(await errorCode(client({ secretId: 'AKIDNOBODY' }).QrcodeOCR({ ImageBase64: qrBase64 }))).toBe(
      'AuthFailure.SecretIdNotFound',
    );
  });

  it('AuthFailure.SignatureFailure for a wrong SecretKey, with TC3 and both v1 methods', async () => {
    for (const signMethod of ['TC3-HMAC-SHA256', 'HmacSHA256', 'HmacSHA1'] as const) {
      expect(await errorCode(client({ secretKey: 'wrong', signMethod }).QrcodeOCR({ ImageBase64: qrBase64 }))).toBe(
        'AuthFailure.SignatureFailure',
      );
    }
  });

  it('AuthFailure.TokenFailure when a temporary key comes without its token; with it the call works', async () => {
    const temporary = { secretId: 'AKIDTEMPORARY', secretKey: 'tempSecretKey' };
    expect(await errorCode(client(temporary).QrcodeOCR({ ImageBase64: qrBase64 }))).toBe('AuthFailure.TokenFailure');
    const ok = await client({ ...temporary, token: 'session-token-1' }).QrcodeOCR({ ImageBase64: qrBase64 });
    expect(ok.CodeResults?.[0]?.Url).toBe('served over http');
  });

  it('AuthFailure.SignatureExpire when the clocks are 10 minutes apart', async () => {
    const skewed = await startTestEmulator({ TCOCR_CLOCK_OFFSET_SECONDS: '600' }, false);
    try {
      expect(await errorCode(sdkClient(skewed).QrcodeOCR({ ImageBase64: qrBase64 }))).toBe(
        'AuthFailure.SignatureExpire',
      );
    } finally {
      await skewed.close();
    }
  });

  it('AuthFailure.InvalidAuthorization in strict mode for the Node SDK pointed at an IP (scope service `127`)', async () => {
    const strict = await startTestEmulator({ TCOCR_SIGNATURE: 'strict' }, false);
    try {
      expect(await errorCode(sdkClient(strict).QrcodeOCR({ ImageBase64: qrBase64 }))).toBe(
        'AuthFailure.InvalidAuthorization',
      );
    } finally {
      await strict.close();
    }
  });
});

describe('routing', () => {
  it('MissingParameter without an action, InvalidAction for an unknown one', async () => {
    expect(await errorCode(client().request('', {}))).toBe('MissingParameter');
    expect(await errorCode(client().request('NoSuchActionOCR', {}))).toBe('InvalidAction');
  });

  it('an OCR action without an engine: UnsupportedOperation saying how to answer it with a fault rule', async () => {
    const error = (await client()
      .GeneralBasicOCR({ ImageBase64: 'aGVsbG8=' })
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as { code?: string; message?: string };
    expect(error.code).toBe('UnsupportedOperation');
    expect(error.message).toContain('`GeneralBasicOCR` is not emulated');
    expect(error.message).toContain('type: success');
  });

  it('NoSuchVersion for another API version', async () => {
    const old = client();
    (old as unknown as { apiVersion: string }).apiVersion = '2017-03-12';
    expect(await errorCode(old.QrcodeOCR({ ImageBase64: qrBase64 }))).toBe('NoSuchVersion');
  });

  it('InvalidParameterValue for a bogus region, UnsupportedRegion for one QrcodeOCR is not offered in', async () => {
    expect(await errorCode(client({ region: 'mars-north-1' }).QrcodeOCR({ ImageBase64: qrBase64 }))).toBe(
      'InvalidParameterValue',
    );
    expect(await errorCode(client({ region: 'ap-singapore' }).QrcodeOCR({ ImageBase64: qrBase64 }))).toBe(
      'UnsupportedRegion',
    );
  });

  it('UnknownParameter for a name the action does not define, InvalidParameter for a wrong type', async () => {
    expect(await errorCode(client().request('QrcodeOCR', { ImageBase64: qrBase64, Colour: 'red' }))).toBe(
      'UnknownParameter',
    );
    expect(await errorCode(client().request('QrcodeOCR', { ImageUrl: 42 }))).toBe('InvalidParameter');
  });

  it('RequestSizeLimitExceeded over 10 MB (TC3 POST) and over 32 KB (GET)', async () => {
    expect(await errorCode(client().QrcodeOCR({ ImageBase64: 'A'.repeat(10 * 1024 * 1024 + 100) }))).toBe(
      'RequestSizeLimitExceeded',
    );
    expect(await errorCode(client({ reqMethod: 'GET' }).QrcodeOCR({ ImageBase64: 'A'.repeat(40 * 1024) }))).toBe(
      'RequestSizeLimitExceeded',
    );
  });

  it('zh-CN messages when the client asks for them', async () => {
    try {
      await client({ language: 'zh-CN' }).QrcodeOCR({ ImageBase64: '' });
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('FailedOperation.EmptyImageError');
      expect((error as Error).message).toBe('图片内容为空。');
      expect((error as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('image intake', () => {
  it('neither ImageBase64 nor ImageUrl: InvalidParameterValue.InvalidParameterValueLimit', async () => {
    expect(await errorCode(client().QrcodeOCR({}))).toBe('InvalidParameterValue.InvalidParameterValueLimit');
  });

  it('empty, not base64, too large, not an image, no symbol', async () => {
    const qrcode = (ImageBase64: string) => client().QrcodeOCR({ ImageBase64 });
    expect(await errorCode(qrcode(''))).toBe('FailedOperation.EmptyImageError');
    expect(await errorCode(qrcode('%%% not base64 %%%'))).toBe('InvalidParameter.EngineImageDecodeFailed');
    expect(await errorCode(qrcode('A'.repeat(3 * 1024 * 1024 + 4)))).toBe('LimitExceeded.TooLargeFileError');
    expect(await errorCode(qrcode(Buffer.from('hello, I am a text file').toString('base64')))).toBe(
      'FailedOperation.ImageDecodeFailed',
    );
    const truncated = Buffer.from(qrBase64, 'base64').subarray(0, 120).toString('base64');
    expect(await errorCode(qrcode(truncated))).toBe('FailedOperation.ImageDecodeFailed');
    expect(await errorCode(qrcode((await blankPng()).toString('base64')))).toBe('FailedOperation.ImageNoText');
  });

  it('a decompression bomb answers FailedOperation.ImageSizeTooLarge', async () => {
    const { default: sharp } = await import('sharp');
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#ffffff' } })
      .greyscale()
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: false });
    // 10,000 × 10,000 = 100 MP, over the default limit of 50 MP, in well under 1 MB of PNG.
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await errorCode(client().QrcodeOCR({ ImageBase64: bomb.toString('base64') }))).toBe(
      'FailedOperation.ImageSizeTooLarge',
    );
  });

  it('ImageUrl: downloaded and decoded; wins over ImageBase64; failures are DownLoadError', async () => {
    const viaUrl = await client().QrcodeOCR({
      ImageUrl: files.url('/qr.png'),
      ImageBase64: 'ignored because ImageUrl wins',
    });
    expect(viaUrl.CodeResults?.[0]?.Url).toBe('served over http');
    expect(await errorCode(client().QrcodeOCR({ ImageUrl: files.url('/missing.png') }))).toBe(
      'FailedOperation.DownLoadError',
    );
    expect(await errorCode(client().QrcodeOCR({ ImageUrl: 'http://127.0.0.1:1/refused.png' }))).toBe(
      'FailedOperation.DownLoadError',
    );
    expect(await errorCode(client().QrcodeOCR({ ImageUrl: files.url('/empty.png') }))).toBe(
      'FailedOperation.EmptyImageError',
    );
    expect(await errorCode(client().QrcodeOCR({ ImageUrl: files.url('/text.png') }))).toBe(
      'FailedOperation.ImageDecodeFailed',
    );
  });
});
