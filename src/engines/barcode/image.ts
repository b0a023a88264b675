/**
 * Uploaded bytes → pixels, with sharp. The raw pixel grid is used as stored (EXIF orientation is
 * not applied), so positions refer to the image as the caller's decoder would see it.
 */
import sharp from 'sharp';
import { checkShape } from '../image-limits.js';
import { withLibuvSlot } from '../pool/libuv-slots.js';
import type { Raster } from './raster.js';

export type ImageErrorCode = 'FailedOperation.ImageDecodeFailed' | 'FailedOperation.ImageSizeTooLarge';

/** An image problem the worker reports back as a Tencent error code. */
export class ImageError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

/**
 * Decodes an upload to RGBA (transparent areas flattened onto white). The header is checked first
 * (`maxPixels`, and no side over MAX_IMAGE_SIDE: FailedOperation.ImageSizeTooLarge as an ApiError),
 * so decompression bombs and absurd shapes never reach the decoder.
 * Most uploads that carry an alpha channel are opaque (the `qrcode` package writes RGBA PNGs), so
 * the flatten runs here, on the decoded pixels, and only when some pixel is not opaque: a libvips
 * flatten would cost twice the decode for every such image.
 */
export async function loadImage(bytes: Uint8Array, maxPixels: number): Promise<Raster> {
  await checkShape(bytes, { maxPixels });
  try {
    const { data, info } = await withLibuvSlot(() =>
      sharp(bytes, { limitInputPixels: maxPixels })
        .toColourspace('srgb')
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true }),
    );
    if (info.channels !== 4) throw new Error(`unexpected channel count ${info.channels}`);
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
    flattenOntoWhite(pixels);
    return { data: pixels, width: info.width, height: info.height };
  } catch (err) {
    if (/pixel limit/i.test(reason(err))) throw await tooLarge(bytes, maxPixels);
    throw new ImageError('FailedOperation.ImageDecodeFailed', `The image could not be decoded: ${reason(err)}`);
  }
}

/** Blends every pixel that is not opaque onto white, in place; leaves opaque images untouched. */
export function flattenOntoWhite(rgba: Uint8Array): void {
  for (let j = 3; j < rgba.length; j += 4) {
    const alpha = rgba[j]!;
    if (alpha === 255) continue;
    const white = 255 * (255 - alpha);
    rgba[j - 3] = (rgba[j - 3]! * alpha + white + 127) / 255;
    rgba[j - 2] = (rgba[j - 2]! * alpha + white + 127) / 255;
    rgba[j - 1] = (rgba[j - 1]! * alpha + white + 127) / 255;
    rgba[j] = 255;
  }
}

async function tooLarge(bytes: Uint8Array, maxPixels: number): Promise<ImageError> {
  const { width, height } = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => ({ width: undefined, height: undefined }));
  const size =
    width !== undefined && height !== undefined ? `${width}×${height} = ${width * height} pixels` : 'more pixels';
  return new ImageError(
    'FailedOperation.ImageSizeTooLarge',
    `The image has ${size}, more than the limit of ${maxPixels}.`,
  );
}

/** The same weights zxing-wasm uses (ITU-R BT.601 in 10-bit fixed point). */
export function luminance(raster: Raster): Uint8Array {
  const { data } = raster;
  const grey = new Uint8Array(raster.width * raster.height);
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
    grey[i] = (306 * data[j]! + 601 * data[j + 1]! + 117 * data[j + 2]! + 512) >> 10;
  }
  return grey;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
