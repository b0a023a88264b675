/**
 * Uploaded bytes → pixels, with sharp. The raw pixel grid is used as stored (EXIF orientation is
 * not applied), so positions refer to the image as the caller's decoder would see it.
 */
import sharp from 'sharp';
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
 * Decodes an upload to RGBA (transparent areas flattened onto white). sharp checks `maxPixels`
 * (width × height) from the header before decoding any pixel, so decompression bombs are cheap.
 */
export async function loadImage(bytes: Uint8Array, maxPixels: number): Promise<Raster> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`unexpected channel count ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    if (/pixel limit/i.test(reason(err))) throw await tooLarge(bytes, maxPixels);
    throw new ImageError('FailedOperation.ImageDecodeFailed', `The image could not be decoded: ${reason(err)}`);
  }
}

async function tooLarge(bytes: Uint8Array, maxPixels: number): Promise<ImageError> {
  const { width, height } = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => ({ width: undefined, height: undefined }));
  const size = width !== undefined && height !== undefined ? `${width}×${height} = ${width * height} pixels` : 'more pixels';
  return new ImageError('FailedOperation.ImageSizeTooLarge', `The image has ${size}, more than the limit of ${maxPixels}.`);
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
