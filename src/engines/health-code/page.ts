import sharp from 'sharp';
import { checkPassBudget } from '../image-limits.js';
import { type Box, type Decoded, INK, PASS_MAX_PIXELS, toPgm } from './image.js';

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

/**
 * Cells of the coarse median image that lie on a dark background (a pill, a coloured band):
 * connected dark cells forming an area much larger than a glyph stroke. Bold text also darkens
 * the median, but only in small scattered patches, which are left alone. Enclosed small light
 * areas (white text on a band) join the band; the mask is then dilated a little so a pill's
 * anti-aliased rim is covered (only ink-to-ink spans are inverted later).
 */
export function darkBackgroundCells(
  bg: Uint8Array,
  small: Uint8Array,
  w: number,
  h: number,
  full?: { v: Uint8Array; width: number; height: number },
): Uint8Array {
  const n = w * h;
  const dark = new Uint8Array(n);
  for (let i = 0; i < n; i++) dark[i] = bg[i]! < 140 ? 1 : 0;
  const minSide = Math.max(3, Math.round(w / 60));
  const minArea = Math.max(24, Math.round((w / 30) ** 2 * 3));
  const mask = new Uint8Array(n);
  const label = new Int32Array(n);
  const stack = new Int32Array(n);
  // Pass 1: big dark components → mask.
  forEachComponent(dark, 1, w, h, label, stack, (count, x0, y0, x1, y1, members) => {
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (count < minArea || bw < minSide * 2 || bh < minSide || count < 0.5 * bw * bh) return;
    // A real background is mostly ink at this scale; dense bold text is not.
    let inked = 0;
    for (let k = 0; k < count; k++) if (small[members[k]!]! < INK) inked++;
    if (inked < 0.7 * count) return;
    // A background is solid: many of its pixel rows (the margins around the text) are ink
    // almost from edge to edge. A line of dense bold text never is: characters leave gaps.
    if (
      full &&
      solidRowShare(
        full.v,
        full.width,
        full.height,
        (x0 * full.width) / w,
        (y0 * full.height) / h,
        ((x1 + 1) * full.width) / w,
        ((y1 + 1) * full.height) / h,
      ) < 0.15
    )
      return;
    for (let k = 0; k < count; k++) mask[members[k]!] = 1;
  });
  // Pass 2: small enclosed light components → mask.
  const maxHole = Math.round((w / 8) ** 2);
  label.fill(0);
  forEachComponent(mask, 0, w, h, label, stack, (count, x0, y0, x1, y1, members) => {
    if (x0 > 0 && y0 > 0 && x1 < w - 1 && y1 < h - 1 && count <= maxHole) {
      for (let k = 0; k < count; k++) mask[members[k]!] = 1;
    }
  });
  return dilate(mask, w, h, Math.max(1, Math.round(w / 120)));
}

/** Share of the box's pixel rows holding an ink run at least 60 % of the box wide. */
function solidRowShare(
  v: Uint8Array,
  width: number,
  height: number,
  fx0: number,
  fy0: number,
  fx1: number,
  fy1: number,
): number {
  const x0 = Math.max(0, Math.floor(fx0));
  const x1 = Math.min(width, Math.ceil(fx1));
  const y0 = Math.max(0, Math.floor(fy0));
  const y1 = Math.min(height, Math.ceil(fy1));
  const need = 0.6 * (x1 - x0);
  let rows = 0;
  let solid = 0;
  for (let y = y0; y < y1; y += 2) {
    rows++;
    let run = 0;
    let best = 0;
    const row = y * width;
    for (let x = x0; x < x1; x++) {
      if (v[row + x]! < INK) {
        run++;
        if (run > best) best = run;
      } else run = 0;
    }
    if (best >= need) solid++;
  }
  return rows ? solid / rows : 0;
}

/**
 * Calls `visit` for each 4-connected component of cells equal to `value`, with its size, bounding
 * box and member indices (valid only during the call). `label` and `stack` are scratch space.
 */
function forEachComponent(
  cells: Uint8Array,
  value: number,
  w: number,
  h: number,
  label: Int32Array,
  stack: Int32Array,
  visit: (count: number, x0: number, y0: number, x1: number, y1: number, members: Int32Array) => void,
): void {
  const members = new Int32Array(w * h);
  let id = 0;
  for (let start = 0; start < cells.length; start++) {
    if (cells[start] !== value || label[start]) continue;
    id++;
    let sp = 0;
    let count = 0;
    stack[sp++] = start;
    label[start] = id;
    let x0 = w;
    let x1 = 0;
    let y0 = h;
    let y1 = 0;
    while (sp > 0) {
      const i = stack[--sp]!;
      members[count++] = i;
      const x = i % w;
      const y = (i - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && cells[i - 1] === value && !label[i - 1]) {
        label[i - 1] = id;
        stack[sp++] = i - 1;
      }
      if (x < w - 1 && cells[i + 1] === value && !label[i + 1]) {
        label[i + 1] = id;
        stack[sp++] = i + 1;
      }
      if (y > 0 && cells[i - w] === value && !label[i - w]) {
        label[i - w] = id;
        stack[sp++] = i - w;
      }
      if (y < h - 1 && cells[i + w] === value && !label[i + w]) {
        label[i + w] = id;
        stack[sp++] = i + w;
      }
    }
    visit(count, x0, y0, x1, y1, members);
  }
}

/** Square dilation of a 0/1 mask by `r` cells (separable). */
function dilate(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (mask[row + x]) tmp.fill(1, row + Math.max(0, x - r), row + Math.min(w, x + r + 1));
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!tmp[row + x]) continue;
      const ya = Math.max(0, y - r);
      const yb = Math.min(h - 1, y + r);
      for (let yy = ya; yy <= yb; yy++) out[yy * w + x] = 1;
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

/**
 * Erases the ink that is not text but hurts tesseract's sparse mode: outlines around chips and
 * cards (text inside a frame is skipped as "image") and long thin rules (read as 一/-).
 * A frame is a large, hollow component; a rule a long component only a few pixels thick.
 * `ink` is a 0/1 mask, changed in place.
 */
export function removeFramesAndRules(ink: Uint8Array, width: number, height: number): void {
  const ruleMax = Math.max(2, Math.round(width / 160));
  const textMax = width / 12;
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  forEachComponent(ink, 1, width, height, label, stack, (count, x0, y0, x1, y1, members) => {
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    const fill = count / (bw * bh);
    const rule = bh <= ruleMax && bw >= 6 * ruleMax * 4 && bw >= textMax;
    const vrule = bw <= ruleMax && bh >= textMax * 1.5;
    let frame = fill < 0.2 && ((bw >= 2.5 * bh && bw >= textMax) || (bw >= textMax * 1.5 && bh >= textMax * 1.5));
    if (frame) {
      // A frame has long straight top and bottom edges; a chain of touching stars or
      // characters does not.
      let top = 0;
      let bottom = 0;
      for (let k = 0; k < count; k++) {
        const y = Math.floor(members[k]! / width);
        if (y <= y0 + 1) top++;
        else if (y >= y1 - 1) bottom++;
      }
      frame = top >= 0.5 * bw && bottom >= 0.5 * bw;
    }
    // A solid bar half a page wide (the edge of a band or card) is no text. Touching glyphs
    // (a run of stars at a low threshold) can be as wide, but are far from solid.
    const bar = bw >= width * 0.45 && fill >= 0.6;
    if (rule || vrule || frame || bar) for (let k = 0; k < count; k++) ink[members[k]!] = 0;
  });
}
