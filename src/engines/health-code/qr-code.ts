import { type Box, type Decoded, INK } from './image.js';

/**
 * The big QR code of a health-code page: located by its finder patterns, and its colour from
 * the hue of its dark modules (PROTOCOL.md §6.2: 绿色 / 黄色 / 红色).
 */

export interface QrLocation extends Box {
  /** Module size in pixels. */
  module: number;
}

export type CodeColour = '绿色' | '黄色' | '红色' | '';

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
function verticalCheck(
  dark: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
  unit: number,
): { y: number; unit: number } | undefined {
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
  return {
    x,
    y,
    w: Math.min(img.width - x, found.w * f),
    h: Math.min(img.height - y, found.h * f),
    module: found.module * f,
  };
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
  return hueColour(hueOf(sr / colourCount, sg / colourCount, sb / colourCount));
}

/** A hue in degrees as the API's colour name ("" between the bands). */
export function hueColour(hue: number): CodeColour {
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
