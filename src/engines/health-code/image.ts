import sharp, { type OutputInfo } from 'sharp';
import { ApiError } from '../../errors/api-error.js';
import { checkShape } from '../image-limits.js';
import { withLibuvSlot } from '../pool/libuv-slots.js';

/**
 * Health-code screenshots as pixels: decoding (sharp, holding a libuv slot: ../pool/libuv-slots.ts)
 * to RGB and the darkest channel, the blank check, and the PBM/PGM formats tesseract reads. The rest of the pixel work
 * is in qr-code.ts (the big QR code and its colour), page.ts (the page tesseract reads) and
 * crops.ts (crops for second readings). The JS loops are single passes over one byte per pixel
 * (a few milliseconds for a 1080×2340 screenshot).
 */

export interface Decoded {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel, alpha flattened onto white. */
  rgb: Buffer;
  /** Darkest channel per pixel: coloured ink (green, yellow, red) becomes dark. */
  dark: Uint8Array;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Min(R,G,B) below this is "ink" for finder patterns and colour sampling. */
export const INK = 128;

/**
 * Longest side over shortest side a screenshot may have (phones ≈ 2.2, long scrolling captures
 * ≈ 8): beyond it FailedOperation.ImageSizeTooLarge before decoding (a 1 × 50,000,000 PNG of
 * 97 KB otherwise costs a minute of decoding and a page of 3 × 10^10 pixels).
 */
export const MAX_ASPECT = 12;
/**
 * Pixels any resize pass (the OCR page, a line crop) may produce: the page of a screenshot within
 * MAX_ASPECT is at most about 5 MP (640 px wide), a line crop far less.
 */
export const PASS_MAX_PIXELS = 8_000_000;

export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<Decoded> {
  await checkShape(bytes, { maxPixels, maxAspect: MAX_ASPECT });
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await withLibuvSlot(() =>
      sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
        // A camera's photo stored sideways with an EXIF orientation is shown upright, as a phone shows it.
        .rotate()
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true }),
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(message)) throw new ApiError('FailedOperation.ImageSizeTooLarge', [], { cause: err });
    throw new ApiError('FailedOperation.ImageDecodeFailed', [], { cause: err });
  }
  const { width, height, channels } = out.info;
  let rgb = out.data;
  if (channels !== 3) {
    // Greyscale input: expand so the rest of the code sees one layout.
    const expanded = Buffer.alloc(width * height * 3);
    for (let i = 0, j = 0; i < width * height; i++, j += channels) {
      const v = rgb[j]!;
      expanded[i * 3] = v;
      expanded[i * 3 + 1] = v;
      expanded[i * 3 + 2] = v;
    }
    rgb = expanded;
  }
  const dark = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < dark.length; i++, j += 3) {
    const r = rgb[j]!;
    const g = rgb[j + 1]!;
    const b = rgb[j + 2]!;
    dark[i] = r < g ? (r < b ? r : b) : g < b ? g : b;
  }
  return { width, height, rgb, dark };
}

/** Binary PGM (P5), 8 bits. */
export function toPgm(grey: Uint8Array, width: number, height: number): Uint8Array {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
  const out = new Uint8Array(header.length + grey.length);
  out.set(header, 0);
  out.set(grey, header.length);
  return out;
}

/** Packs a greyscale image into binary PBM (P4): 1 = black. */
export function toPbm(grey: Uint8Array, width: number, height: number, threshold: number): Uint8Array {
  const header = Buffer.from(`P4\n${width} ${height}\n`, 'ascii');
  const rowBytes = Math.ceil(width / 8);
  const out = new Uint8Array(header.length + rowBytes * height);
  out.set(header, 0);
  let o = header.length;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let xb = 0; xb < rowBytes; xb++) {
      let byte = 0;
      const x0 = xb * 8;
      for (let bit = 0; bit < 8; bit++) {
        const x = x0 + bit;
        if (x < width && grey[row + x]! < threshold) byte |= 0x80 >> bit;
      }
      out[o++] = byte;
    }
  }
  return out;
}

/** True when the page has (almost) no ink at all: nothing to read. */
export function isBlank(img: Pick<Decoded, 'dark' | 'width' | 'height'>): boolean {
  const { dark } = img;
  let min = 255;
  let max = 0;
  const step = Math.max(1, Math.floor(dark.length / 200_000));
  for (let i = 0; i < dark.length; i += step) {
    const d = dark[i]!;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  return max - min < 40;
}
