import sharp from 'sharp';
import { checkPassBudget } from '../image-limits.js';
import { type Box, type Decoded, INK, PASS_MAX_PIXELS, toPgm } from './image.js';
import { darkBackgroundCells, removeFramesAndRules } from './page-masks.js';

/**
 * The page tesseract reads: rescaled darkest channel, QR box painted white, dark backgrounds
 * inverted, flattened, thresholded, frames and rules erased, then ink tones (see ocrPage).
 */

export interface OcrPage {
  /** The page tesseract reads: PGM (P5), ink tones on white (see inkTones). */
  image: Uint8Array;
  /** The flattened greyscale page before the threshold (for crops). */
  grey: Uint8Array;
  width: number;
  height: number;
  /** OCR-image pixels per source pixel. */
  scale: number;
  threshold: number;
}

export interface OcrPageOptions {
  /** Pages are rescaled to this width (within ×0.4 … ×2.5): text then has the size the model reads best. */
  targetWidth: number;
  /** Threshold on the flattened image (0–255). */
  threshold: number;
}

export const DEFAULT_PAGE_OPTIONS: OcrPageOptions = { targetWidth: 640, threshold: 195 };
/** Screenshots narrower than this (half-size phone captures) are read at SMALL_PAGE_TARGET wide. */
export const SMALL_PAGE_WIDTH = 540;
export const SMALL_PAGE_TARGET = 800;

/**
 * Darkest channel → QR code painted white → local background estimated with a median at
 * coarse scale → regions on a dark background (pills, bands) inverted, so white-on-colour text
 * becomes dark-on-light → divided by the background (flat white) → upscaled if narrow →
 * fixed threshold (frames and rules found on it are erased) → ink tones as PGM (inkTones).
 */
export async function ocrPage(
  img: Decoded,
  qr: Box | undefined,
  options: OcrPageOptions = DEFAULT_PAGE_OPTIONS,
): Promise<OcrPage> {
  // Everything below runs at the OCR page's size (about 640 wide): rescaling first is cheaper
  // than working on a 1080×2340 screenshot and gives the same page.
  const target = img.width < SMALL_PAGE_WIDTH ? Math.max(options.targetWidth, SMALL_PAGE_TARGET) : options.targetWidth;
  const scale = Math.min(2.5, Math.max(0.4, target / img.width));
  const width = Math.round(img.width * scale);
  const height = Math.round(img.height * scale);
  checkPassBudget('OCR page', width, height, PASS_MAX_PIXELS);
  const v: Uint8Array =
    Math.abs(scale - 1) > 0.02
      ? await sharp(img.dark, { raw: { width: img.width, height: img.height, channels: 1 } })
          .resize(width, height, { kernel: 'cubic' })
          .toColourspace('b-w')
          .raw()
          .toBuffer()
      : Uint8Array.from(img.dark);
  if (qr) {
    const x0 = Math.max(0, Math.floor(qr.x * scale));
    const x1 = Math.min(width, Math.ceil((qr.x + qr.w) * scale));
    for (let y = Math.max(0, Math.floor(qr.y * scale)); y < Math.min(height, Math.ceil((qr.y + qr.h) * scale)); y++) {
      v.fill(255, y * width + x0, y * width + x1);
    }
  }
  // Local background: median over a window about 1/30 of the page width, at quarter scale.
  const smallW = Math.max(32, Math.round(width / 4));
  const smallH = Math.max(32, Math.round((height * smallW) / width));
  const win = Math.max(3, Math.round(smallW / 30) | 1);
  const small = await sharp(v, { raw: { width, height, channels: 1 } })
    .resize(smallW, smallH, { kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const bg = await sharp(small, { raw: { width: smallW, height: smallH, channels: 1 } })
    .median(win)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const darkRegion = darkBackgroundCells(bg, small, smallW, smallH, { v, width, height });
  const flat = new Uint8Array(width * height);
  const sx = smallW / width;
  const sy = smallH / height;
  const colIndex = new Int32Array(width);
  for (let x = 0; x < width; x++) colIndex[x] = Math.min(smallW - 1, Math.floor(x * sx));
  // n = p·255 / max(b, 200), looked up: FLAT[(max(b,200) − 200)·256 + p].
  const lut = flatLut();
  const invert = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    const cellRow = Math.min(smallH - 1, Math.floor(y * sy)) * smallW;
    const row = y * width;
    let anyDark = false;
    for (let c = 0; c < smallW; c++) {
      if (darkRegion[cellRow + c]) {
        anyDark = true;
        break;
      }
    }
    if (!anyDark) {
      for (let x = 0; x < width; x++) {
        const b = bg[cellRow + colIndex[x]!]!;
        flat[row + x] = lut[(b > 200 ? b - 200 : 0) * 256 + v[row + x]!]!;
      }
      continue;
    }
    // Within each horizontal span of dark-background cells, invert from the first to the last
    // ink pixel only: the light page just outside a pill's rounded edge stays as it is.
    invert.fill(0);
    for (let x = 0; x < width; ) {
      if (!darkRegion[cellRow + colIndex[x]!]) {
        x++;
        continue;
      }
      let end = x;
      while (end < width && darkRegion[cellRow + colIndex[end]!]) end++;
      let first = x;
      while (first < end && v[row + first]! >= INK) first++;
      let last = end - 1;
      while (last > first && v[row + last]! >= INK) last--;
      if (first < end) invert.fill(1, first, last + 1);
      x = end;
    }
    for (let x = 0; x < width; x++) {
      let b = bg[cellRow + colIndex[x]!]!;
      let p = v[row + x]!;
      if (invert[x]) {
        b = 255 - b;
        p = 255 - p;
      }
      flat[row + x] = lut[(b > 200 ? b - 200 : 0) * 256 + p]!;
    }
  }
  const grey = flat;
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = grey[i]! < options.threshold ? 1 : 0;
  removeFramesAndRules(ink, width, height);
  return {
    image: toPgm(inkTones(grey, ink, width, height, options.threshold), width, height),
    grey,
    width,
    height,
    scale,
    threshold: options.threshold,
  };
}

/** Grey level the threshold maps to on the page tesseract reads (ink below, paper above). */
export const INK_TOP = 100;
/** Grey level the rim just above the threshold starts at: light enough to stay paper in tesseract's own binarisation. */
export const RIM_TOP = 200;
/** Above the threshold by this much is paper: pure white (JPEG noise, faint halos). */
export const PAPER_SLACK = 30;

/**
 * The tones tesseract reads: ink (below `threshold`) stretched to 0…INK_TOP; the anti-aliased
 * rim just above the threshold to INK_TOP…255 where it touches ink that is kept; everything else
 * pure white (paper, JPEG noise, erased frames and rules and their halo). Tesseract lays the
 * page out on its own binarisation of this (the same ink as the fixed threshold) but its LSTM
 * reads the grey levels, which keep the shape of bold strokes that a 1-bit page merges.
 * `ink` is the thresholded page after frames and rules were erased.
 */
export function inkTones(
  grey: Uint8Array,
  ink: Uint8Array,
  width: number,
  height: number,
  threshold: number,
): Uint8Array {
  const lut = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    lut[x] =
      x < threshold
        ? Math.round((x * INK_TOP) / threshold)
        : x >= threshold + PAPER_SLACK
          ? 255
          : Math.round(RIM_TOP + ((x - threshold) * (255 - RIM_TOP)) / PAPER_SLACK);
  }
  const out = new Uint8Array(grey.length).fill(255);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (ink[i]) {
        out[i] = lut[grey[i]!]!;
        continue;
      }
      if (grey[i]! >= threshold + PAPER_SLACK) continue;
      const near =
        (x > 0 && ink[i - 1]) ||
        (x < width - 1 && ink[i + 1]) ||
        (y > 0 && ink[i - width]) ||
        (y < height - 1 && ink[i + width]);
      // A dark pixel that is not ink was erased (a frame or rule); a light one is a rim.
      if (near && grey[i]! >= threshold) out[i] = lut[grey[i]!]!;
    }
  }
  return out;
}

let FLAT: Uint8Array | undefined;

function flatLut(): Uint8Array {
  if (FLAT) return FLAT;
  FLAT = new Uint8Array(56 * 256);
  for (let b = 200; b <= 255; b++) {
    for (let p = 0; p < 256; p++) FLAT[(b - 200) * 256 + p] = Math.min(255, Math.round((p * 255) / b));
  }
  return FLAT;
}
