import sharp, { type OutputInfo } from 'sharp';
import { ApiError } from '../../errors/api-error.js';

/**
 * Pixel work for health-code screenshots, done before OCR: decoding (sharp, on libuv's pool),
 * locating the big QR code by its finder patterns, the code's colour from the hue of its dark
 * modules, and the binarised page tesseract reads. The JS loops here are single passes over
 * one byte per pixel (a few milliseconds for a 1080×2340 screenshot).
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

export interface QrLocation extends Box {
  /** Module size in pixels. */
  module: number;
}

export type CodeColour = '绿色' | '黄色' | '红色' | '';

/** Min(R,G,B) below this is "ink" for finder patterns and colour sampling. */
const INK = 128;

export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<Decoded> {
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
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

// ---- QR code location -----------------------------------------------------------------------

interface Finder {
  x: number;
  y: number;
  unit: number;
  hits: number;
}

/** Checks five run lengths against the 1:1:3:1:1 finder-pattern ratio; returns the module size. */
function finderUnit(a: number, b: number, c: number, d: number, e: number): number {
  const total = a + b + c + d + e;
  if (total < 14) return 0;
  const u = total / 7;
  const tol = u * 0.6;
  if (Math.abs(a - u) > tol || Math.abs(b - u) > tol || Math.abs(d - u) > tol || Math.abs(e - u) > tol) return 0;
  if (Math.abs(c - 3 * u) > 2 * tol) return 0;
  return u;
}

/** Vertical run check through (x, y): returns the refined centre y and unit, or undefined. */
function verticalCheck(dark: Uint8Array, width: number, height: number, x: number, y: number, unit: number): { y: number; unit: number } | undefined {
  const isInk = (yy: number) => dark[yy * width + x]! < INK;
  if (!isInk(y)) return undefined;
  const limit = Math.ceil(unit * 6);
  let up = y;
  while (up > 0 && isInk(up - 1) && y - up < limit) up--;
  let down = y;
  while (down < height - 1 && isInk(down + 1) && down - y < limit) down++;
  const c = down - up + 1;
  // Walk outwards: light, dark on each side.
  const run = (start: number, step: number, ink: boolean): number => {
    let n = 0;
    let yy = start;
    while (yy >= 0 && yy < height && isInk(yy) === ink && n <= limit) {
      n++;
      yy += step;
    }
    return n;
  };
  const b = run(up - 1, -1, false);
  const a = run(up - 1 - b, -1, true);
  const d = run(down + 1, 1, false);
  const e = run(down + 1 + d, 1, true);
  const u = finderUnit(a, b, c, d, e);
  if (!u || u / unit > 1.6 || unit / u > 1.6) return undefined;
  return { y: (up + down) / 2, unit: u };
}

/**
 * Finds the largest QR code by its three finder patterns (screenshots are upright, so only the
 * axis-aligned case matters). Returns its bounding box including the finder patterns' outer edge.
 */
export function locateQrCode(img: Pick<Decoded, 'width' | 'height' | 'dark'>): QrLocation | undefined {
  // Large screenshots are searched at half resolution: modules stay several pixels wide.
  const f = img.width >= 900 ? 2 : 1;
  const width = Math.floor(img.width / f);
  const height = Math.floor(img.height / f);
  let dark = img.dark;
  if (f > 1) {
    dark = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      const src = y * f * img.width;
      const dst = y * width;
      for (let x = 0; x < width; x++) dark[dst + x] = img.dark[src + x * f]!;
    }
  }
  const found = locateAtScale(dark, width, height);
  if (!found || f === 1) return found;
  const x = found.x * f;
  const y = found.y * f;
  return { x, y, w: Math.min(img.width - x, found.w * f), h: Math.min(img.height - y, found.h * f), module: found.module * f };
}

function locateAtScale(dark: Uint8Array, width: number, height: number): QrLocation | undefined {
  const finders: Finder[] = [];
  const step = Math.max(1, Math.floor(height / 900));
  const runs = new Int32Array(width + 1);
  const starts = new Int32Array(width + 1);
  for (let y = 0; y < height; y += step) {
    let nRuns = 0;
    const row = y * width;
    let cur = dark[row]! < INK;
    let len = 0;
    let start = 0;
    for (let x = 0; x <= width; x++) {
      const ink = x < width ? dark[row + x]! < INK : !cur;
      if (ink === cur) {
        len++;
        continue;
      }
      runs[nRuns] = cur ? len : -len;
      starts[nRuns++] = start;
      cur = ink;
      len = 1;
      start = x;
    }
    for (let i = 0; i + 4 < nRuns; i++) {
      const a = runs[i]!;
      if (a <= 0) continue;
      const u = finderUnit(a, -runs[i + 1]!, runs[i + 2]!, -runs[i + 3]!, runs[i + 4]!);
      if (!u) continue;
      const cx = Math.round(starts[i + 2]! + runs[i + 2]! / 2);
      const v = verticalCheck(dark, width, height, cx, y, u);
      if (!v) continue;
      const unit = (u + v.unit) / 2;
      const near = finders.find((f) => Math.abs(f.x - cx) < unit * 3 && Math.abs(f.y - v.y) < unit * 3);
      if (near) {
        near.x = (near.x * near.hits + cx) / (near.hits + 1);
        near.y = (near.y * near.hits + v.y) / (near.hits + 1);
        near.unit = (near.unit * near.hits + unit) / (near.hits + 1);
        near.hits++;
      } else {
        finders.push({ x: cx, y: v.y, unit, hits: 1 });
      }
    }
  }
  // A real finder pattern is crossed by every scan line over its 7 modules; a chance
  // 1:1:3:1:1 run in the data area or in text by a few only.
  const maxHits = Math.max(0, ...finders.map((f) => f.hits));
  const solid = finders.filter((f) => f.hits >= Math.max(2, 0.45 * maxHits));
  let best: QrLocation | undefined;
  let bestArea = 0;
  for (let i = 0; i < solid.length; i++) {
    for (let j = 0; j < solid.length; j++) {
      for (let k = j + 1; k < solid.length; k++) {
        if (i === j || i === k) continue;
        const corner = solid[i]!;
        const p = solid[j]!;
        const q = solid[k]!;
        const unit = (corner.unit + p.unit + q.unit) / 3;
        if (Math.max(corner.unit, p.unit, q.unit) / Math.min(corner.unit, p.unit, q.unit) > 1.5) continue;
        const v1x = p.x - corner.x;
        const v1y = p.y - corner.y;
        const v2x = q.x - corner.x;
        const v2y = q.y - corner.y;
        const l1 = Math.hypot(v1x, v1y);
        const l2 = Math.hypot(v2x, v2y);
        if (l1 < unit * 13 || l2 < unit * 13) continue;
        if (Math.abs(l1 - l2) > 0.12 * Math.max(l1, l2)) continue;
        const cos = (v1x * v2x + v1y * v2y) / (l1 * l2);
        if (Math.abs(cos) > 0.12) continue;
        const xs = [corner.x, p.x, q.x, p.x + q.x - corner.x];
        const ys = [corner.y, p.y, q.y, p.y + q.y - corner.y];
        const pad = unit * 4;
        const x0 = Math.max(0, Math.floor(Math.min(...xs) - pad));
        const y0 = Math.max(0, Math.floor(Math.min(...ys) - pad));
        const x1 = Math.min(width, Math.ceil(Math.max(...xs) + pad));
        const y1 = Math.min(height, Math.ceil(Math.max(...ys) + pad));
        const area = (x1 - x0) * (y1 - y0);
        if (area > bestArea) {
          bestArea = area;
          best = { x: x0, y: y0, w: x1 - x0, h: y1 - y0, module: unit };
        }
      }
    }
  }
  return best;
}

// ---- colour ---------------------------------------------------------------------------------

/** The code's colour from the hue of the QR code's ink pixels; "" when they are not clearly coloured. */
export function qrColour(img: Decoded, box: Box): CodeColour {
  const { width, rgb, dark } = img;
  let inkCount = 0;
  let colourCount = 0;
  let sr = 0;
  let sg = 0;
  let sb = 0;
  const stepPx = Math.max(1, Math.floor(Math.min(box.w, box.h) / 200));
  for (let y = box.y; y < box.y + box.h; y += stepPx) {
    for (let x = box.x; x < box.x + box.w; x += stepPx) {
      const i = y * width + x;
      if (dark[i]! >= INK) continue;
      inkCount++;
      const r = rgb[i * 3]!;
      const g = rgb[i * 3 + 1]!;
      const b = rgb[i * 3 + 2]!;
      const max = Math.max(r, g, b);
      if (max < 90 || (max - dark[i]!) / max < 0.45) continue;
      colourCount++;
      sr += r;
      sg += g;
      sb += b;
    }
  }
  if (inkCount === 0 || colourCount < inkCount * 0.5) return '';
  const hue = hueOf(sr / colourCount, sg / colourCount, sb / colourCount);
  if (hue >= 75 && hue <= 170) return '绿色';
  if (hue >= 30 && hue < 75) return '黄色';
  if (hue < 20 || hue >= 330) return '红色';
  return '';
}

export function hueOf(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) return 0;
  const d = max - min;
  let h: number;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  h *= 60;
  return h < 0 ? h + 360 : h;
}

// ---- the page tesseract reads ---------------------------------------------------------------

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
export async function ocrPage(img: Decoded, qr: Box | undefined, options: OcrPageOptions = DEFAULT_PAGE_OPTIONS): Promise<OcrPage> {
  // Everything below runs at the OCR page's size (about 640 wide): rescaling first is cheaper
  // than working on a 1080×2340 screenshot and gives the same page.
  const target = img.width < SMALL_PAGE_WIDTH ? Math.max(options.targetWidth, SMALL_PAGE_TARGET) : options.targetWidth;
  const scale = Math.min(2.5, Math.max(0.4, target / img.width));
  const width = Math.round(img.width * scale);
  const height = Math.round(img.height * scale);
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
  return { image: toPgm(inkTones(grey, ink, width, height, options.threshold), width, height), grey, width, height, scale, threshold: options.threshold };
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
export function inkTones(grey: Uint8Array, ink: Uint8Array, width: number, height: number, threshold: number): Uint8Array {
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
        (x > 0 && ink[i - 1]) || (x < width - 1 && ink[i + 1]) || (y > 0 && ink[i - width]) || (y < height - 1 && ink[i + width]);
      // A dark pixel that is not ink was erased (a frame or rule); a light one is a rim.
      if (near && grey[i]! >= threshold) out[i] = lut[grey[i]!]!;
    }
  }
  return out;
}

/** Binary PGM (P5), 8 bits. */
export function toPgm(grey: Uint8Array, width: number, height: number): Uint8Array {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
  const out = new Uint8Array(header.length + grey.length);
  out.set(header, 0);
  out.set(grey, header.length);
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
    if (full && solidRowShare(full.v, full.width, full.height, (x0 * full.width) / w, (y0 * full.height) / h, ((x1 + 1) * full.width) / w, ((y1 + 1) * full.height) / h) < 0.15) return;
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
function solidRowShare(v: Uint8Array, width: number, height: number, fx0: number, fy0: number, fx1: number, fy1: number): number {
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
      if (x > 0 && cells[i - 1] === value && !label[i - 1]) (label[i - 1] = id), (stack[sp++] = i - 1);
      if (x < w - 1 && cells[i + 1] === value && !label[i + 1]) (label[i + 1] = id), (stack[sp++] = i + 1);
      if (y > 0 && cells[i - w] === value && !label[i - w]) (label[i - w] = id), (stack[sp++] = i - w);
      if (y < h - 1 && cells[i + w] === value && !label[i + w]) (label[i + w] = id), (stack[sp++] = i + w);
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
 * A rectangle of the page (in page pixels) as PBM, with a white margin around it, enlarged
 * `zoom` times (bilinear on the flattened page, then the page's threshold): small digit
 * groups read better at twice the size. With `keep`, everything outside those boxes is blank.
 */
export function cropPage(
  page: OcrPage,
  box: { x0: number; y0: number; x1: number; y1: number },
  margin = 8,
  zoom = 1,
  keep?: readonly Box[],
): Uint8Array {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const x1 = Math.min(page.width, Math.ceil(box.x1));
  const y1 = Math.min(page.height, Math.ceil(box.y1));
  const cw = Math.max(1, x1 - x0);
  const ch = Math.max(1, y1 - y0);
  const w = Math.round(cw * zoom) + 2 * margin;
  const h = Math.round(ch * zoom) + 2 * margin;
  const out = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < Math.round(ch * zoom); y++) {
    const sy = Math.min(ch - 1, Math.max(0, (y + 0.5) / zoom - 0.5));
    const ya = Math.floor(sy);
    const yb = Math.min(ch - 1, ya + 1);
    const fy = sy - ya;
    for (let x = 0; x < Math.round(cw * zoom); x++) {
      const sx = Math.min(cw - 1, Math.max(0, (x + 0.5) / zoom - 0.5));
      const xa = Math.floor(sx);
      const xb = Math.min(cw - 1, xa + 1);
      const fx = sx - xa;
      const g = (yy: number, xx: number) => {
        const px = x0 + xx;
        const py = y0 + yy;
        // With `keep`, only pixels inside those boxes (the digits) are copied; the rest is white.
        if (keep && !keep.some((k) => px >= k.x && px < k.x + k.w && py >= k.y - 1 && py <= k.y + k.h)) return 255;
        return page.grey[py * page.width + px]!;
      };
      const top = g(ya, xa) * (1 - fx) + g(ya, xb) * fx;
      const bottom = g(yb, xa) * (1 - fx) + g(yb, xb) * fx;
      out[(y + margin) * w + x + margin] = top * (1 - fy) + bottom * fy;
    }
  }
  return toPbm(out, w, h, page.threshold);
}

/**
 * A rectangle of the ORIGINAL screenshot (source pixels), darkest channel, not binarised, as
 * PGM for a single-line reading: light text on a dark band is inverted, the crop is scaled so
 * its text is about `textHeight` pixels tall (never below native size) and given a white margin.
 */
export async function cropOriginal(
  img: Pick<Decoded, 'width' | 'height' | 'dark'>,
  box: { x0: number; y0: number; x1: number; y1: number },
  textHeight: number,
  lineHeight: number,
): Promise<{ image: Uint8Array; scale: number; dx: number; dy: number }> {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const w = Math.max(1, Math.min(img.width, Math.ceil(box.x1)) - x0);
  const h = Math.max(1, Math.min(img.height, Math.ceil(box.y1)) - y0);
  const crop = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) crop.set(img.dark.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  // Background from the crop's border: dark means light text on a band or pill.
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(crop[x]!, crop[(h - 1) * w + x]!);
  for (let y = 0; y < h; y++) border.push(crop[y * w]!, crop[y * w + w - 1]!);
  border.sort((a, b) => a - b);
  if (border[border.length >> 1]! < 128) for (let i = 0; i < crop.length; i++) crop[i] = 255 - crop[i]!;
  const zoom = Math.max(1, Math.min(4, textHeight / Math.max(1, lineHeight)));
  const W = Math.max(1, Math.round(w * zoom));
  const H = Math.max(1, Math.round(h * zoom));
  const margin = Math.round(textHeight / 2);
  const out = await sharp(crop, { raw: { width: w, height: h, channels: 1 } })
    .resize(W, H, { kernel: 'cubic' })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  // parseTsv(tsv, scale, dx, dy) maps the words read back to source pixels.
  return { image: toPgm(out, W + 2 * margin, H + 2 * margin), scale: zoom, dx: x0 - margin / zoom, dy: y0 - margin / zoom };
}

interface Blob {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  n: number;
}

/**
 * The glyphs (page boxes, left to right) laid out again with a clear gap between each, zoomed,
 * as PBM: tesseract's LSTM merges identical neighbours ("11" → "1") when they sit close.
 */
export function spacedGlyphs(page: OcrPage, glyphs: readonly Box[], zoom = 2): Uint8Array {
  const tall = Math.max(...glyphs.map((g) => g.h));
  const gap = Math.round(0.2 * tall * zoom);
  const margin = Math.round(tall * zoom * 0.6);
  const top = Math.min(...glyphs.map((g) => g.y));
  const bottom = Math.max(...glyphs.map((g) => g.y + g.h));
  const h = Math.round((bottom - top + 2) * zoom) + 2 * margin;
  const widths = glyphs.map((g) => Math.round((g.w + 2) * zoom));
  const w = widths.reduce((a, b) => a + b, 0) + gap * (glyphs.length - 1) + 2 * margin;
  const out = new Uint8Array(w * h).fill(255);
  let ox = margin;
  glyphs.forEach((g, i) => {
    const gx0 = g.x - 1;
    const gy0 = top - 1;
    const gw = g.w + 2;
    const gh = bottom - top + 2;
    for (let y = 0; y < Math.round(gh * zoom); y++) {
      const sy = Math.min(gh - 1, Math.floor(y / zoom));
      for (let x = 0; x < widths[i]!; x++) {
        const sx = Math.min(gw - 1, Math.floor(x / zoom));
        const px = gx0 + sx;
        const py = gy0 + sy;
        if (px < 0 || py < 0 || px >= page.width || py >= page.height) continue;
        // Only this glyph's box: a neighbour's edge must not leak in.
        if (px < g.x || px >= g.x + g.w) continue;
        out[(y + margin) * w + ox + x] = page.grey[py * page.width + px]!;
      }
    }
    ox += widths[i]! + gap;
  });
  return toPbm(out, w, h, page.threshold);
}

/**
 * Splits a masked-ID line ("11**************01") into the digits before and after the run of
 * stars, by the shape of its connected components: digits are full height, stars are short
 * and sit high. Returns the two digit groups as page boxes; the caller reads them with a digit
 * whitelist. `undefined` when no star run is found.
 */
export function maskedIdParts(
  page: OcrPage,
  box: { x0: number; y0: number; x1: number; y1: number },
  minStars = 2,
): { head: Box[]; tail: Box[] } | undefined {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const w = Math.min(page.width, Math.ceil(box.x1)) - x0;
  const h = Math.min(page.height, Math.ceil(box.y1)) - y0;
  if (w < 8 || h < 6) return undefined;
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) ink[y * w + x] = page.grey[(y + y0) * page.width + x + x0]! < page.threshold ? 1 : 0;
  }
  const blobs: Blob[] = [];
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    let sp = 0;
    stack[sp++] = start;
    seen[start] = 1;
    const b: Blob = { x0: w, y0: h, x1: 0, y1: 0, n: 0 };
    while (sp > 0) {
      const i = stack[--sp]!;
      const x = i % w;
      const y = (i - x) / w;
      b.n++;
      if (x < b.x0) b.x0 = x;
      if (x > b.x1) b.x1 = x;
      if (y < b.y0) b.y0 = y;
      if (y > b.y1) b.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const j = yy * w + xx;
          if (ink[j] && !seen[j]) {
            seen[j] = 1;
            stack[sp++] = j;
          }
        }
      }
    }
    if (b.n >= 3) blobs.push(b);
  }
  if (blobs.length < 4) return undefined;
  const heights = blobs.map((b) => b.y1 - b.y0 + 1).sort((a, b) => a - b);
  const tall = heights[Math.floor(heights.length * 0.85)]!;
  if (tall < 5) return undefined;
  const tallBlobs = blobs.filter((b) => b.y1 - b.y0 + 1 >= 0.75 * tall);
  const top = tallBlobs.map((b) => b.y0).sort((a, b) => a - b)[Math.floor(tallBlobs.length / 2)] ?? 0;
  const kind = (b: Blob): 'digit' | 'star' | 'other' => {
    const bh = b.y1 - b.y0 + 1;
    // Digits are narrow; a Chinese label character just left of them is about square, a
    // separator bar ("|") a hairline taller than the digits.
    const bw = b.x1 - b.x0 + 1;
    if (bh >= 1.15 * tall && bw <= 0.2 * tall) return 'other';
    if (bh >= 0.75 * tall) return bw <= 0.85 * tall ? 'digit' : 'other';
    if (bh <= 0.65 * tall && b.y0 >= top - 0.2 * tall && b.y1 <= top + 0.75 * tall) return 'star';
    return 'other';
  };
  // Only the ID's own line: parts of neighbouring lines caught in the crop are dropped.
  const inLine = blobs.filter((b) => {
    const cy = (b.y0 + b.y1) / 2;
    return cy >= top - 0.2 * tall && cy <= top + 1.2 * tall;
  });
  const sorted = inLine.sort((a, b) => a.x0 - b.x0);
  const kinds = sorted.map(kind);
  // Longest run of stars (specks between them tolerated).
  let best: [number, number] | undefined;
  for (let i = 0; i < sorted.length; i++) {
    if (kinds[i] !== 'star') continue;
    let j = i;
    while (j + 1 < sorted.length && kinds[j + 1] !== 'digit') j++;
    const stars = kinds.slice(i, j + 1).filter((k) => k === 'star').length;
    const width = sorted[j]!.x1 - sorted[i]!.x0;
    if (stars >= minStars && width >= 0.75 * minStars * tall && (!best || width > sorted[best[1]]!.x1 - sorted[best[0]]!.x0)) best = [i, j];
    i = j;
  }
  if (!best) return undefined;
  const group = (from: number, step: 1 | -1): Box[] | undefined => {
    const members: Blob[] = [];
    for (let k = from; k >= 0 && k < sorted.length; k += step) {
      const b = sorted[k]!;
      if (kinds[k] !== 'digit') {
        // Only a stray star or speck may sit between the run and the digits.
        if (members.length || kinds[k] === 'other') break;
        continue;
      }
      const prev = members[members.length - 1] ?? (step > 0 ? sorted[best![1]] : sorted[best![0]]);
      // Digits of one number sit close together; a wider gap is another word.
      if (prev && (step > 0 ? b.x0 - prev.x1 : prev.x0 - b.x1) > 0.5 * tall) break;
      members.push(b);
    }
    if (!members.length) return undefined;
    return members
      .sort((a, b) => a.x0 - b.x0)
      .map((b) => ({ x: x0 + b.x0, y: y0 + b.y0, w: b.x1 - b.x0 + 1, h: b.y1 - b.y0 + 1 }));
  };
  const head = group(best[0] - 1, -1);
  const tail = group(best[1] + 1, 1);
  return head && tail ? { head, tail } : undefined;
}

/**
 * Erases the ink that is not text but hurts tesseract's sparse mode: outlines around chips and
 * cards (text inside a frame is skipped as "image") and long thin rules (read as 一/-).
 * A frame is a large, hollow component; a rule a long component only a few pixels thick.
 */
export function removeFramesAndRules(ink: Uint8Array, width: number, height: number): void {
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const members = new Int32Array(width * height);
  const ruleMax = Math.max(2, Math.round(width / 160));
  const textMax = width / 12;
  let id = 0;
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || label[start]) continue;
    id++;
    let sp = 0;
    let count = 0;
    stack[sp++] = start;
    label[start] = id;
    let x0 = width;
    let x1 = 0;
    let y0 = height;
    let y1 = 0;
    while (sp > 0) {
      const i = stack[--sp]!;
      members[count++] = i;
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && ink[i - 1] && !label[i - 1]) (label[i - 1] = id), (stack[sp++] = i - 1);
      if (x < width - 1 && ink[i + 1] && !label[i + 1]) (label[i + 1] = id), (stack[sp++] = i + 1);
      if (y > 0 && ink[i - width] && !label[i - width]) (label[i - width] = id), (stack[sp++] = i - width);
      if (y < height - 1 && ink[i + width] && !label[i + width]) (label[i + width] = id), (stack[sp++] = i + width);
    }
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
  }
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
