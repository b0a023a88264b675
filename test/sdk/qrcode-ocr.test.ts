import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { type ClientOptions, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { type QrImage, qrPng } from '../../support/images.js';

let emulator: RunningEmulator;
let qr: QrImage;
const TEXT = 'https://example.com/emulator?id=42';

beforeAll(async () => {
  emulator = await startTestEmulator();
  qr = await qrPng(TEXT);
});
afterAll(async () => emulator?.close());

const transports: Array<[string, ClientOptions]> = [
  ['TC3 POST', { signMethod: 'TC3-HMAC-SHA256', reqMethod: 'POST' }],
  ['TC3 GET', { signMethod: 'TC3-HMAC-SHA256', reqMethod: 'GET' }],
  ['HmacSHA256 POST', { signMethod: 'HmacSHA256', reqMethod: 'POST' }],
  ['HmacSHA256 GET', { signMethod: 'HmacSHA256', reqMethod: 'GET' }],
  ['HmacSHA1 POST', { signMethod: 'HmacSHA1', reqMethod: 'POST' }],
  ['HmacSHA1 GET', { signMethod: 'HmacSHA1', reqMethod: 'GET' }],
];

describe('QrcodeOCR through tencentcloud-sdk-nodejs', () => {
  it.each(transports)('%s decodes a QR code with its corners and the image size', async (_name, options) => {
    const response = await sdkClient(emulator, options).QrcodeOCR({ ImageBase64: qr.png.toString('base64') });
    expect(response.ImgSize).toEqual({ Wide: qr.size, High: qr.size });
    expect(response.CodeResults).toHaveLength(1);
    const [result] = response.CodeResults!;
    expect(result!.TypeName).toBe('QR_CODE');
    expect(result!.Url).toBe(TEXT);
    const { LeftTop, RightTop, RightBottom, LeftBottom } = result!.Position!;
    const near = (actual: { X?: number; Y?: number } | undefined, x: number, y: number) => {
      expect(Math.abs(actual!.X! - x)).toBeLessThanOrEqual(3);
      expect(Math.abs(actual!.Y! - y)).toBeLessThanOrEqual(3);
    };
    near(LeftTop, qr.box.left, qr.box.top);
    near(RightTop, qr.box.right, qr.box.top);
    near(RightBottom, qr.box.right, qr.box.bottom);
    near(LeftBottom, qr.box.left, qr.box.bottom);
    expect(response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a data-URI prefix on ImageBase64', async () => {
    const response = await sdkClient(emulator).QrcodeOCR({
      ImageBase64: `data:image/png;base64,${qr.png.toString('base64')}`,
    });
    expect(response.CodeResults?.[0]?.Url).toBe(TEXT);
  });
});
