import sharp, { type Sharp } from 'sharp';
import { ApiError } from '../errors/api-error.js';

/**
 * Image quality for QrcodeOCR's "no symbol found" path: was the image too blurry to read
 * (FailedOperation.ImageBlur), or is there simply nothing to read (FailedOperation.ImageNoText)?
 *
 * Sharpness is measured as edge steepness, not as the usual variance of the Laplacian: the
 * steepest edges of a Gaussian-blurred step have slope contrast / (sigma * sqrt(2 pi)), so the
 * 99th percentile of the gradient magnitude divided by the image's contrast gives the blur sigma
 * directly, whatever the content. The figure reported is the image's longest side divided by that
 * sigma ("how many blur widths fit across the image"), computed on a copy whose longest side is
 * ANALYSIS_SIZE, so it does not depend on the resolution the image was uploaded at.
 * docs/image-quality.md has the calibration (bench/blur-curve.ts) and why not the Laplacian.
 */

/** Longest side of the greyscale copy that is measured. Small enough to average sensor noise away. */
export const ANALYSIS_SIZE = 256;

/**
 * Sharpness below which an image without a symbol is called blurry: a blur sigma of about 1% of
 * the longest side, above the point where any QR or DataMatrix stops decoding. Calibrated with
 * `npm run calibrate:blur`; see docs/image-quality.md.
 */
export const DEFAULT_BLUR_THRESHOLD = 100;

/** Greyscale standard deviation (0–255) below which an image is blank: nothing in it to be blurred. */
export const BLANK_STDDEV = 2;

/** Percentile of the gradient magnitudes taken as "the steepest edges". */
const EDGE_PERCENTILE = 0.99;

/** Decoded pixels; `channels` defaults to data.length / (width * height). */
export interface RawImage {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels?: 1 | 2 | 3 | 4;
}

export interface ImageQuality {
  /** Longest side / estimated blur sigma; higher is sharper. +Infinity for a blank image. */
  readonly sharpness: number;
  /** Estimated blur sigma as a percentage of the longest side (100 / sharpness). */
  readonly blurPercent: number;
  /** Standard deviation of the greyscale pixel values (0–255). */
  readonly stdDev: number;
  /** Spread between the 0.1th and 99.9th percentile grey levels (0–255). */
  readonly contrast: number;
  /** Near-uniform image (stdDev < BLANK_STDDEV): no-text, never blur. */
  readonly blank: boolean;
}

export type NoSymbolVerdict = 'blur' | 'no-text';

function isRaw(image: Uint8Array | RawImage): image is RawImage {
  return !(image instanceof Uint8Array);
}

/** A greyscale copy with its longest side ANALYSIS_SIZE (transparent areas count as white). */
async function analysisCopy(image: Uint8Array | RawImage): Promise<{ data: Buffer; width: number; height: number }> {
  let input: Sharp;
  if (isRaw(image)) {
    const { data, width, height } = image;
    const channels = image.channels ?? data.length / (width * height);
    if (!Number.isInteger(channels) || channels < 1 || channels > 4) {
      throw new TypeError(`raw image of ${width}x${height} with ${data.length} bytes is not 1-4 channels`);
    }
    input = sharp(data, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } });
  } else {
    input = sharp(image, { failOn: 'none' });
  }
  try {
    const { data, info } = await input
      .flatten({ background: '#ffffff' })
      .greyscale()
      .resize({ width: ANALYSIS_SIZE, height: ANALYSIS_SIZE, fit: 'inside', kernel: 'lanczos3' })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw new ApiError('FailedOperation.ImageDecodeFailed', [], { cause: error });
  }
}

/** Value at fraction `p` of a histogram whose bin i holds values in [i*step, (i+1)*step). */
function histogramPercentile(histogram: Uint32Array, total: number, p: number, step = 1): number {
  const target = p * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 1) {
    seen += histogram[i] ?? 0;
    if (seen > target) return i * step;
  }
  return (histogram.length - 1) * step;
}

/** Gradient bins per grey level: Sobel magnitudes are at most 255 / 2 * sqrt(2). */
const GRADIENT_BINS_PER_LEVEL = 16;

/** Measures a greyscale buffer (exported for the calibration script). */
export function measureGrey(data: Uint8Array, width: number, height: number): ImageQuality {
  const levels = new Uint32Array(256);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < width * height; i += 1) {
    const v = data[i] ?? 0;
    levels[v] = (levels[v] ?? 0) + 1;
    sum += v;
    sumSquares += v * v;
  }
  const n = width * height;
  const mean = sum / n;
  const stdDev = Math.sqrt(Math.max(0, sumSquares / n - mean * mean));
  const contrast = histogramPercentile(levels, n, 0.999) - histogramPercentile(levels, n, 0.001);
  if (stdDev < BLANK_STDDEV || width < 3 || height < 3) {
    return { sharpness: Number.POSITIVE_INFINITY, blurPercent: 0, stdDev, contrast, blank: true };
  }

  // Sobel gradient, scaled to grey levels per pixel (a step between two pixels gives contrast / 2).
  const gradients = new Uint32Array(Math.ceil(200 * GRADIENT_BINS_PER_LEVEL));
  const at = (x: number, y: number): number => data[y * width + x] ?? 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const a = at(x - 1, y - 1);
      const b = at(x, y - 1);
      const c = at(x + 1, y - 1);
      const d = at(x - 1, y);
      const f = at(x + 1, y);
      const g = at(x - 1, y + 1);
      const h = at(x, y + 1);
      const k = at(x + 1, y + 1);
      const gx = (c + 2 * f + k - a - 2 * d - g) / 8;
      const gy = (g + 2 * h + k - a - 2 * b - c) / 8;
      const bin = Math.min(gradients.length - 1, Math.floor(Math.hypot(gx, gy) * GRADIENT_BINS_PER_LEVEL));
      gradients[bin] = (gradients[bin] ?? 0) + 1;
    }
  }
  const steepest =
    histogramPercentile(gradients, (width - 2) * (height - 2), EDGE_PERCENTILE, 1 / GRADIENT_BINS_PER_LEVEL) +
    0.5 / GRADIENT_BINS_PER_LEVEL;
  // slope = contrast / (sigma * sqrt(2 pi))  =>  sigma = contrast / (slope * sqrt(2 pi))
  const sigma = Math.max(contrast, 1) / (steepest * Math.sqrt(2 * Math.PI));
  const sharpness = Math.max(width, height) / sigma;
  return { sharpness, blurPercent: 100 / sharpness, stdDev, contrast, blank: false };
}

/** Sharpness, blankness and contrast of an encoded image (PNG, JPEG, …) or of raw pixels. */
export async function assessImageQuality(image: Uint8Array | RawImage): Promise<ImageQuality> {
  const { data, width, height } = await analysisCopy(image);
  return measureGrey(data, width, height);
}

/**
 * Sharpness of an image: its longest side divided by the estimated blur sigma, independent of the
 * resolution it comes in. A blank image reports +Infinity: it has no edges that could be blurred.
 */
export async function measureSharpness(image: Uint8Array | RawImage): Promise<number> {
  return (await assessImageQuality(image)).sharpness;
}

/**
 * Why no symbol was found: 'blur' when the image is less sharp than `threshold`, else 'no-text'.
 * A blank image (or a sharpness of +Infinity, which is how measureSharpness reports one) is always
 * 'no-text'.
 */
export function classifyNoSymbol(
  quality: number | ImageQuality,
  threshold: number = DEFAULT_BLUR_THRESHOLD,
): NoSymbolVerdict {
  if (typeof quality !== 'number' && quality.blank) return 'no-text';
  const sharpness = typeof quality === 'number' ? quality : quality.sharpness;
  if (Number.isNaN(sharpness)) return 'no-text';
  return sharpness < threshold ? 'blur' : 'no-text';
}
