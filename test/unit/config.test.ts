import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, loadConfig } from '../../src/config.js';

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has working defaults with the well-known key pair', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(9000);
    expect(config.signature).toBe('lenient');
    expect(config.credentials).toEqual([{ secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY }]);
    expect(config.qrcodeRegions).toEqual(['ap-beijing', 'ap-guangzhou']);
    expect(config.decoderWorkers).toBeGreaterThanOrEqual(1);
    expect(Object.isFrozen(config) && Object.isFrozen(config.credentials[0])).toBe(true);
  });

  it('parses every kind of value', () => {
    const config = loadConfig({
      TCOCR_PORT: '0',
      TCOCR_CREDENTIALS: 'AKID1:key1, AKID2:key2:token2',
      TCOCR_SIGNATURE: 'strict',
      TCOCR_QRCODE_REGIONS: '*',
      TCOCR_BARCODE_FORMATS: 'qr-code,aztec',
      TCOCR_ALLOW_PRIVATE_URLS: 'yes',
      TCOCR_URL_MAP: 'https://xx/=./fixtures,http://cdn.test/img/=/tmp/img',
      TCOCR_DECODER_WORKERS: '3',
    });
    expect(config.port).toBe(0);
    expect(config.credentials).toEqual([
      { secretId: 'AKID1', secretKey: 'key1' },
      { secretId: 'AKID2', secretKey: 'key2', token: 'token2' },
    ]);
    expect(config.qrcodeRegions).toBe('*');
    expect(config.barcodeFormats).toEqual(['QR_CODE', 'AZTEC']);
    expect(config.allowPrivateUrls).toBe(true);
    expect(config.urlMap).toEqual([
      { prefix: 'https://xx/', dir: './fixtures' },
      { prefix: 'http://cdn.test/img/', dir: '/tmp/img' },
    ]);
    expect(config.decoderWorkers).toBe(3);
  });

  it('runs the PP-OCR models on two onnxruntime threads unless told (one on a one-core machine)', () => {
    expect(loadConfig({}).ocrThreads).toBe(Math.min(2, availableParallelism()));
    expect(loadConfig({ TCOCR_OCR_THREADS: '1' }).ocrThreads).toBe(1);
    expect(loadConfig({ TCOCR_OCR_THREADS: '4' }).ocrThreads).toBe(4);
    expect(problems({ TCOCR_OCR_THREADS: '0' })[0]).toMatch(/^TCOCR_OCR_THREADS/);
    expect(problems({ TCOCR_OCR_THREADS: 'two' })[0]).toMatch(/^TCOCR_OCR_THREADS/);
  });

  it('lists every problem at once', () => {
    const found = problems({
      TCOCR_PORT: '70000',
      TCOCR_SIGNATURE: 'maybe',
      TCOCR_CREDENTIALS: 'nokey',
      TCOCR_QRCODE_REGIONS: 'Beijing',
      TCOCR_BARCODE_FORMATS: 'QR_CODE,HIEROGLYPH',
      TCOCR_ALLOW_PRIVATE_URLS: 'sometimes',
      TCOCR_URL_MAP: 'ftp://x=/tmp',
      TCOCR_POTR: '9000',
    });
    expect(found.map((p) => p.split('=')[0]!.split(':')[0])).toEqual([
      'TCOCR_PORT',
      'TCOCR_CREDENTIALS',
      'TCOCR_SIGNATURE',
      'TCOCR_QRCODE_REGIONS',
      'TCOCR_BARCODE_FORMATS',
      'TCOCR_ALLOW_PRIVATE_URLS',
      'TCOCR_URL_MAP',
      'TCOCR_POTR',
    ]);
    expect(found.at(-1)).toContain('unknown setting');
  });
});
