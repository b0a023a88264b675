/**
 * Pixel budgets, checked before any pixel is decoded or resampled. Decoders cost time per row
 * and per pixel whatever the file size: a 97 KB PNG of 1 × 50,000,000 took sharp 55 s to decode
 * and a 6 KB one of 50,000,000 × 1 took 8 s, each holding one of libuv's four shared threads the
 * whole time (downloads and DNS wait behind them) — and terminating the worker that asked does not
 * stop libvips. So the shape is checked from the header first, and every resize or upscale pass
 * checks the size it would produce. See docs/barcode-engine.md and docs/health-code.md.
 */
import sharp from 'sharp';
import { ApiError } from '../errors/api-error.js';
import { readDimensions, sniffFormat } from './image-input.js';

/** Longest side an engine decodes, in pixels (the largest JPEG is 65,535; real photos are < 16k). */
export const MAX_IMAGE_SIDE = 16_384;

export interface ShapeLimits {
  maxPixels: number;
  /** Longest side (default MAX_IMAGE_SIDE). */
  maxSide?: number;
  /** Largest ratio of the longer side to the shorter one (default: no limit). */
  maxAspect?: number;
}

/**
 * Width and height from the header (PNG and JPEG in plain code, other formats from sharp's header
 * read), checked against the limits: FailedOperation.ImageSizeTooLarge when over, with the reason
 * as the cause. Bytes whose header cannot be read are left to the decoder (ImageDecodeFailed).
 */
export async function checkShape(
  bytes: Uint8Array,
  limits: ShapeLimits,
): Promise<{ width: number; height: number } | undefined> {
  const format = sniffFormat(bytes);
  const size = format
    ? readDimensions(bytes, format)
    : await sharp(bytes, { limitInputPixels: false })
        .metadata()
        .then(({ width, height }) => (width && height ? { width, height } : undefined))
        .catch(() => undefined);
  if (!size || size.width === 0 || size.height === 0) return undefined;
  const { width, height } = size;
  const maxSide = limits.maxSide ?? MAX_IMAGE_SIDE;
  const shape = `${width}×${height}`;
  if (width * height > limits.maxPixels)
    throw tooLarge(`The image has ${shape} = ${width * height} pixels, more than the limit of ${limits.maxPixels}.`);
  if (Math.max(width, height) > maxSide) throw tooLarge(`The image is ${shape}: a side over ${maxSide} pixels.`);
  const aspect = Math.max(width, height) / Math.min(width, height);
  if (limits.maxAspect !== undefined && aspect > limits.maxAspect) {
    throw tooLarge(`The image is ${shape}: one side more than ${limits.maxAspect} times the other.`);
  }
  return size;
}

/** A resize or upscale pass that would produce more than `budget` pixels: ImageSizeTooLarge. */
export function checkPassBudget(pass: string, width: number, height: number, budget: number): void {
  if (width * height > budget)
    throw tooLarge(`The ${pass} pass would make ${width}×${height} pixels, over its budget of ${budget}.`);
}

function tooLarge(reason: string): ApiError {
  return new ApiError('FailedOperation.ImageSizeTooLarge', [], { cause: new Error(reason) });
}
