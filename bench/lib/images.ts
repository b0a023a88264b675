/**
 * The benchmark's images, made on the fly (deterministic) or read from fixtures/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { qrPng } from '../../support/images.js';
import { repoRoot } from './load.js';

export const QR_TEXT = 'https://example.com/tencentcloud-ocr-emulator/bench?id=0001';

/**
 * A 600×600 PNG with one QR code (8 px modules) centred on white. RGBA, opaque: what the `qrcode`
 * package (and sharp's composite) write.
 */
export async function qr600(): Promise<Buffer> {
  const qr = await qrPng(QR_TEXT, 8, 0);
  return sharp({ create: { width: 600, height: 600, channels: 3, background: '#ffffff' } })
    .composite([{ input: qr.png, gravity: 'centre' }])
    .png()
    .toBuffer();
}

/** Deterministic bytes (xorshift32). */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * A large upload: a 1000×720 photo-like PNG (light grain, which PNG cannot compress) with one QR
 * code in the middle; about 1.5 MB, about 2 MB as base64.
 */
export async function largeQrPng(): Promise<Buffer> {
  const width = 1000;
  const height = 720;
  const raw = noise(width * height * 3, 0x5eed);
  // Light background, 200…255: the code's dark modules stand out.
  for (let i = 0; i < raw.length; i++) raw[i] = 200 + (raw[i]! % 56);
  const qr = await qrPng(QR_TEXT, 10, 4);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .composite([{ input: qr.png, gravity: 'centre' }])
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** A PNG cut short: the signature and header are right, the pixel data ends early. */
export function truncatedPng(png: Buffer): Buffer {
  return png.subarray(0, Math.floor(png.length / 3));
}

/** Bytes that are no image at all (sent as valid base64). */
export function notAnImage(): Buffer {
  return noise(4096, 0xbad);
}

/** The 1080×2340 health-code screenshot used for the OCR scenarios. */
export const HEALTH_CODE_FIXTURE = 'fixtures/healthcode/shanghai-1080x2340-20220112-clean.png';

export function healthCodeScreenshot(): Buffer {
  return readFileSync(path.join(repoRoot, HEALTH_CODE_FIXTURE));
}
