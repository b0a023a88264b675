/**
 * Uploaded bytes → pixels, with sharp. The raw pixel grid is used as stored (EXIF orientation is
 * not applied), so positions refer to the image as the caller's decoder would see it.
 */
import sharp, { type Metadata } from 'sharp';
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


/** Decodes an upload to RGBA (transparent areas flattened onto white); `maxPixels` (width × height)
 * is enforced before any pixel is decoded. */
export async function loadImage(bytes: Uint8Array, maxPixels: number): Promise<Raster> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageError('FailedOperation.ImageDecodeFailed', `The image could not be decoded: ${reason(err)}`);
  }
  const { width, height } = meta;
  if (width === undefined || height === undefined || width < 1 || height < 1) {
    throw new ImageError('FailedOperation.ImageDecodeFailed', 'The image has no pixel dimensions.');
  }
  if (width * height > maxPixels) {
    throw new ImageError(
      'FailedOperation.ImageSizeTooLarge',
      `The image has ${width}×${height} = ${width * height} pixels, more than the limit of ${maxPixels}.`,
    );
  }
  try {
    let pipeline = sharp(bytes, { limitInputPixels: maxPixels });
    if (meta.hasAlpha === true) pipeline = pipeline.flatten({ background: '#ffffff' });
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`unexpected channel count ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    if (/pixel limit/i.test(reason(err))) {
      throw new ImageError('FailedOperation.ImageSizeTooLarge', `The image has more than ${maxPixels} pixels.`);
    }
    throw new ImageError('FailedOperation.ImageDecodeFailed', `The image could not be decoded: ${reason(err)}`);
  }
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
