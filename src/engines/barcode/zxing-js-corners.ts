/**
 * Four corners from @zxing/library's result points, which are not corners:
 * - QR: finder-pattern centres (BL, TL, TR[, alignment]); the symbol size N = 4V + 17 follows from
 *   their distance and the estimated module size, as ZXing's own detector computes it.
 * - DataMatrix: points (TL, BL, BR, TR) that the library's detector shifted a quarter module inwards
 *   along both edges; pushed back out, with the module count from re-running that detector on the
 *   same binarised image.
 * - PDF417: points 0, 2, 3, 1 are the outer corners (start and stop patterns).
 * - 1-D: two points on one scan row; the bar height is measured on the image (best effort).
 */
import { createRequire } from 'node:module';
import type { BitMatrix, ResultPoint } from '@zxing/library';
import type { Corners, Point } from './types.js';

export interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface ResultPt extends Point {
  /** Finder patterns carry the module size ZXing estimated for them. */
  moduleSize: number | undefined;
}

interface DataMatrixDetector {
  detect(): { getBits(): BitMatrix; getPoints(): ResultPoint[] };
}

// The detector is not exported from the package index: load it from the CommonJS build.
const require = createRequire(import.meta.url);
const DataMatrixDetectorClass = (
  require('@zxing/library/cjs/core/datamatrix/detector/Detector') as {
    default: new (image: BitMatrix) => DataMatrixDetector;
  }
).default;

const add = (a: Point, b: Point, k = 1): Point => ({ x: a.x + k * b.x, y: a.y + k * b.y });
const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
const scale = (a: Point, k: number): Point => ({ x: a.x * k, y: a.y * k });
const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

export function cornersQr(pts: readonly (ResultPt | undefined)[]): Corners | null {
  const [bl, tl, tr] = pts;
  if (bl === undefined || tl === undefined || tr === undefined) return null;
  const sizes = [bl, tl, tr].map((p) => p.moduleSize).filter((m): m is number => m !== undefined && m > 0);
  if (sizes.length === 0) return null;
  const moduleSize = sizes.reduce((s, m) => s + m, 0) / sizes.length;
  const n = qrDimension(dist(tl, tr) / moduleSize, dist(tl, bl) / moduleSize);
  const u = scale(sub(tr, tl), 1 / (n - 7));
  const v = scale(sub(bl, tl), 1 / (n - 7));
  return {
    topLeft: add(add(tl, u, -3.5), v, -3.5),
    topRight: add(add(tr, u, 3.5), v, -3.5),
    bottomRight: add(tl, add(u, v), n - 3.5),
    bottomLeft: add(add(bl, u, -3.5), v, 3.5),
  };
}

/** ZXing's computeDimension: finder centres are N − 7 modules apart; N ≡ 1 (mod 4). */
function qrDimension(tltrModules: number, tlblModules: number): number {
  const raw = (Math.round(tltrModules) + Math.round(tlblModules)) / 2 + 7;
  let n = Math.floor(raw);
  switch (n & 3) {
    case 0:
      n += 1;
      break;
    case 2:
      n -= 1;
      break;
    case 3:
      n += raw - n >= 0 ? 2 : -2;
      break;
  }
  return Math.max(21, n);
}

export function cornersDataMatrix(pts: readonly (ResultPt | undefined)[], matrix: BitMatrix): Corners | null {
  const [tl, bl, br, tr] = pts;
  if (tl === undefined || bl === undefined || br === undefined || tr === undefined) return null;
  let cols: number;
  let rows: number;
  try {
    const bits = new DataMatrixDetectorClass(matrix).detect().getBits();
    cols = bits.getWidth();
    rows = bits.getHeight();
  } catch {
    return { topLeft: tl, topRight: tr, bottomRight: br, bottomLeft: bl };
  }
  // The points are a quarter module in from each end of an edge, so they span (n − ½) modules.
  const q = (n: number): number => 0.25 / (n - 0.5);
  const uTop = scale(sub(tr, tl), q(cols));
  const uBottom = scale(sub(br, bl), q(cols));
  const vLeft = scale(sub(bl, tl), q(rows));
  const vRight = scale(sub(br, tr), q(rows));
  return {
    topLeft: add(add(tl, uTop, -1), vLeft, -1),
    topRight: add(add(tr, uTop), vRight, -1),
    bottomRight: add(add(br, uBottom), vRight),
    bottomLeft: add(add(bl, uBottom, -1), vLeft),
  };
}

export function cornersPdf417(pts: readonly (ResultPt | undefined)[]): Corners | null {
  const [p0, p1, p2, p3] = pts;
  if (p0 === undefined || p1 === undefined || p2 === undefined || p3 === undefined) return null;
  return { topLeft: p0, topRight: p2, bottomRight: p3, bottomLeft: p1 };
}

/**
 * A 1-D read gives two points on the scan row (left → right in reading direction), inside the start
 * and stop patterns. Along the row they are pushed out to the outermost bars (up to the quiet zone);
 * the bars extend up and down from that row as long as rows keep the same black/white pattern.
 */
export function corners1D(pts: readonly (ResultPt | undefined)[], grid: Grey): Corners | null {
  const [p, q] = pts;
  if (p === undefined || q === undefined) return null;
  const y = Math.round((p.y + q.y) / 2);
  if (y < 0 || y >= grid.height) return null;
  const [left, right] = outerBars(grid, y, Math.min(p.x, q.x), Math.max(p.x, q.x));
  const a = { x: p.x <= q.x ? left : right, y };
  const b = { x: p.x <= q.x ? right : left, y };
  const x0 = Math.max(0, Math.floor(left));
  const x1 = Math.min(grid.width - 1, Math.ceil(right) - 1);
  const { above, below } = barExtent(grid, y, x0, x1);
  const top = y - above;
  const bottom = y + below + 1;
  if (a.x <= b.x) {
    return {
      topLeft: { x: a.x, y: top },
      topRight: { x: b.x, y: top },
      bottomRight: { x: b.x, y: bottom },
      bottomLeft: { x: a.x, y: bottom },
    };
  }
  // Read right to left: the symbol is upside down in the image.
  return {
    topLeft: { x: a.x, y: bottom },
    topRight: { x: b.x, y: bottom },
    bottomRight: { x: b.x, y: top },
    bottomLeft: { x: a.x, y: top },
  };
}

/**
 * Pixel edges of the outermost bars on row y around [xa, xb]: keep walking outwards while the next
 * dark pixel is closer than a quiet zone (taken as 5 × the narrowest run between the two points).
 */
function outerBars(grid: Grey, y: number, xa: number, xb: number): [number, number] {
  const x0 = Math.max(0, Math.floor(xa));
  const x1 = Math.min(grid.width - 1, Math.ceil(xb));
  if (x1 <= x0) return [xa, xb];
  const bits = rowBits(grid, y, 0, grid.width - 1);
  let narrowest = Number.POSITIVE_INFINITY;
  let run = 1;
  for (let x = x0 + 1; x <= x1; x++) {
    if (bits[x] === bits[x - 1]) run++;
    else {
      narrowest = Math.min(narrowest, run);
      run = 1;
    }
  }
  if (!Number.isFinite(narrowest)) return [xa, xb];
  const quiet = Math.max(3, 5 * narrowest);
  let left = x0;
  for (let x = x0, gap = 0; x >= 0 && gap < quiet; x--) {
    if (bits[x] === 1) {
      left = x;
      gap = 0;
    } else gap++;
  }
  let right = x1;
  for (let x = x1, gap = 0; x < grid.width && gap < quiet; x++) {
    if (bits[x] === 1) {
      right = x;
      gap = 0;
    } else gap++;
  }
  return [left, right + 1];
}

function barExtent(grid: Grey, y: number, x0: number, x1: number): { above: number; below: number } {
  if (y < 0 || y >= grid.height || x1 <= x0) return { above: 0, below: 0 };
  const reference = rowBits(grid, y, x0, x1);
  const matches = (row: number): boolean => {
    const bits = rowBits(grid, row, x0, x1);
    let same = 0;
    for (let i = 0; i < bits.length; i++) if (bits[i] === reference[i]) same++;
    return same >= 0.85 * bits.length;
  };
  let above = 0;
  while (y - above - 1 >= 0 && matches(y - above - 1)) above++;
  let below = 0;
  while (y + below + 1 < grid.height && matches(y + below + 1)) below++;
  return { above, below };
}

/** A row segment thresholded at its own mean. */
function rowBits(grid: Grey, y: number, x0: number, x1: number): Uint8Array {
  const start = y * grid.width;
  let sum = 0;
  for (let x = x0; x <= x1; x++) sum += grid.data[start + x]!;
  const mean = sum / (x1 - x0 + 1);
  const bits = new Uint8Array(x1 - x0 + 1);
  for (let x = x0; x <= x1; x++) bits[x - x0] = grid.data[start + x]! < mean ? 1 : 0;
  return bits;
}
