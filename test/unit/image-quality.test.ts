import QRCode from 'qrcode';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors/api-error.js';
import {
  DEFAULT_BLUR_THRESHOLD,
  assessImageQuality,
  classifyNoSymbol,
  measureSharpness,
} from '../../src/engines/image-quality.js';

const TEXT = 'https://example.com/a';
const qr = (width: number): Promise<Buffer> => QRCode.toBuffer(TEXT, { width, margin: 4, errorCorrectionLevel: 'M' });
const blur = async (image: Buffer, sigma: number): Promise<Buffer> =>
  sigma === 0 ? image : sharp(image).blur({ sigma, minAmplitude: 0.01 }).png().toBuffer();

describe('measureSharpness', () => {
  let qr300: Buffer;
  let qr600: Buffer;
  let qr1200: Buffer;

  beforeAll(async () => {
    [qr300, qr600, qr1200] = await Promise.all([qr(300), qr(600), qr(1200)]);
  });

  it('a sharp QR code scores above the threshold and classifies no-text', async () => {
    const sharpness = await measureSharpness(qr600);
    expect(sharpness).toBeGreaterThan(DEFAULT_BLUR_THRESHOLD * 2);
    expect(classifyNoSymbol(sharpness)).toBe('no-text');
  });

  it('the same QR code heavily blurred scores below the threshold and classifies blur', async () => {
    // sigma 12 at 300 px is 4% of the side: far past where ZXing stops reading this symbol (sigma 6)
    const sharpness = await measureSharpness(await blur(qr300, 12));
    expect(sharpness).toBeLessThan(DEFAULT_BLUR_THRESHOLD);
    expect(classifyNoSymbol(sharpness)).toBe('blur');
    expect(classifyNoSymbol(await assessImageQuality(await blur(qr600, 24)))).toBe('blur');
  });

  it('a blank white image is no-text, never blur, whatever the threshold', async () => {
    const white = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const quality = await assessImageQuality(white);
    expect(quality.blank).toBe(true);
    expect(quality.sharpness).toBe(Number.POSITIVE_INFINITY);
    expect(classifyNoSymbol(quality, 1e9)).toBe('no-text');
    expect(classifyNoSymbol(await measureSharpness(white), 1e9)).toBe('no-text');
  });

  it('a white image with faint JPEG noise is still blank', async () => {
    const pixels = Buffer.alloc(320 * 240);
    for (let i = 0; i < pixels.length; i += 1) pixels[i] = 253 + ((i * 7919) % 3);
    const jpeg = await sharp(pixels, { raw: { width: 320, height: 240, channels: 1 } })
      .jpeg({ quality: 80 })
      .toBuffer();
    expect((await assessImageQuality(jpeg)).blank).toBe(true);
  });

  it('is resolution independent: the same QR at 300 and 1200 px within 5%', async () => {
    const [low, high] = await Promise.all([measureSharpness(qr300), measureSharpness(qr1200)]);
    expect(Math.abs(low - high) / high).toBeLessThan(0.05);
  });

  it('is resolution independent for blurred images: the same relative blur at 300 and 1200 px within 10%', async () => {
    // sigma 3 at 300 px and sigma 12 at 1200 px are both a blur of 1% of the side
    const [low, high] = await Promise.all([
      measureSharpness(await blur(qr300, 3)),
      measureSharpness(await blur(qr1200, 12)),
    ]);
    expect(Math.abs(low - high) / high).toBeLessThan(0.1);
    // and the figure means what it says: longest side / sigma, here 100
    expect(high).toBeGreaterThan(85);
    expect(high).toBeLessThan(115);
  });

  it('decreases monotonically with the blur sigma', async () => {
    const sigmas = [0, 1, 2, 3, 4, 6, 8, 10, 12];
    const values: number[] = [];
    for (const sigma of sigmas) values.push(await measureSharpness(await blur(qr600, sigma)));
    for (let i = 1; i < values.length; i += 1) expect(values[i]).toBeLessThanOrEqual(values[i - 1] ?? Infinity);
    // strictly, once the blur is wider than the analysis copy's pixels (sigma >= 2 at 600 px)
    for (let i = sigmas.indexOf(2) + 1; i < values.length; i += 1)
      expect(values[i]).toBeLessThan((values[i - 1] ?? 0) * 0.95);
  });

  it('does not depend on contrast: a grey-on-grey QR scores like a black-on-white one', async () => {
    const faint = await QRCode.toBuffer(TEXT, {
      width: 600,
      margin: 4,
      color: { dark: '#707070ff', light: '#a0a0a0ff' },
    });
    const [strong, weak] = await Promise.all([
      measureSharpness(await blur(qr600, 6)),
      measureSharpness(await blur(faint, 6)),
    ]);
    expect(Math.abs(strong - weak) / strong).toBeLessThan(0.1);
  });

  it('accepts raw pixels (grey and RGBA; transparency counts as white)', async () => {
    const { data, info } = await sharp(qr600).greyscale().raw().toBuffer({ resolveWithObject: true });
    const grey = await measureSharpness({ data, width: info.width, height: info.height, channels: 1 });
    expect(Math.abs(grey - (await measureSharpness(qr600))) / grey).toBeLessThan(0.02);

    const transparent = new Uint8Array(100 * 100 * 4); // all zero: black but fully transparent
    expect(classifyNoSymbol(await assessImageQuality({ data: transparent, width: 100, height: 100 }))).toBe('no-text');
    expect((await assessImageQuality({ data: transparent, width: 100, height: 100 })).blank).toBe(true);
  });

  it('bytes that are not an image are ImageDecodeFailed', async () => {
    const error = await measureSharpness(new TextEncoder().encode('not an image')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('FailedOperation.ImageDecodeFailed');
  });
});

describe('classifyNoSymbol', () => {
  it.each([
    [10, 40, 'blur'],
    [39.9, 40, 'blur'],
    [40, 40, 'no-text'],
    [300, 40, 'no-text'],
    [Number.POSITIVE_INFINITY, 40, 'no-text'],
    [Number.NaN, 40, 'no-text'],
    [60, 80, 'blur'],
  ] as const)('sharpness %d with threshold %d is %s', (sharpness, threshold, verdict) => {
    expect(classifyNoSymbol(sharpness, threshold)).toBe(verdict);
  });

  it('uses DEFAULT_BLUR_THRESHOLD when no threshold is given', () => {
    expect(classifyNoSymbol(DEFAULT_BLUR_THRESHOLD - 0.01)).toBe('blur');
    expect(classifyNoSymbol(DEFAULT_BLUR_THRESHOLD)).toBe('no-text');
  });

  it('a blank quality report is no-text even with a low sharpness figure', () => {
    expect(classifyNoSymbol({ sharpness: 0, blurPercent: 0, stdDev: 0, contrast: 0, blank: true })).toBe('no-text');
  });
});
