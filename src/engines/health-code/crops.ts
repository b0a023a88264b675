import sharp from 'sharp';
import { checkPassBudget } from '../image-limits.js';
import { type Box, type Decoded, PASS_MAX_PIXELS, toPbm, toPgm } from './image.js';
import type { OcrPage } from './page.js';

/** Crops for second readings: of the OCR page (ID digits, glyphs) and of the original screenshot (lines). */

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
  for (let y = 0; y < h; y++)
    crop.set(img.dark.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  // Background from the crop's border: dark means light text on a band or pill.
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(crop[x]!, crop[(h - 1) * w + x]!);
  for (let y = 0; y < h; y++) border.push(crop[y * w]!, crop[y * w + w - 1]!);
  border.sort((a, b) => a - b);
  if (border[border.length >> 1]! < 128) for (let i = 0; i < crop.length; i++) crop[i] = 255 - crop[i]!;
  const zoom = Math.max(1, Math.min(4, textHeight / Math.max(1, lineHeight)));
  const W = Math.max(1, Math.round(w * zoom));
  const H = Math.max(1, Math.round(h * zoom));
  checkPassBudget('line crop', W, H, PASS_MAX_PIXELS);
  const margin = Math.round(textHeight / 2);
  const out = await sharp(crop, { raw: { width: w, height: h, channels: 1 } })
    .resize(W, H, { kernel: 'cubic' })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  // parseTsv(tsv, scale, dx, dy) maps the words read back to source pixels.
  return {
    image: toPgm(out, W + 2 * margin, H + 2 * margin),
    scale: zoom,
    dx: x0 - margin / zoom,
    dy: y0 - margin / zoom,
  };
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
    if (
      stars >= minStars &&
      width >= 0.75 * minStars * tall &&
      (!best || width > sorted[best[1]]!.x1 - sorted[best[0]]!.x0)
    )
      best = [i, j];
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
