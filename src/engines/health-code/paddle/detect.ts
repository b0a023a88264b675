/**
 * PP-OCR text detection (DB, differentiable binarisation): the image resized so its longest side
 * is at most `limitSide` (multiples of 32; det-input.ts), the model's text-probability map
 * thresholded, each connected region turned into its minimum-area rectangle, scored, grown back
 * by the unclip ratio and mapped into the uploaded image's pixels. PaddleOCR's defaults unless
 * noted.
 */
import type * as Ort from 'onnxruntime-node';
import { detectorInput } from './det-input.js';
import { type Quad, convexHull, minAreaRect, rectCorners, unclip } from './geometry.js';
import type { Rgb } from './tensor.js';

export interface DetectOptions {
  /** Longest side the detector sees… */
  limitSide: number;
  /** …unless that makes the short side smaller than this (tall screenshots keep their small text). */
  minShortSide: number;
  /** Probability over which a pixel is text (PaddleOCR: 0.3). */
  threshold: number;
  /** Mean probability a region needs to count as a text line (PaddleOCR: 0.6). */
  boxThreshold: number;
  /** How far the shrunk kernel is grown back (PaddleOCR: 1.5). */
  unclipRatio: number;
}

export const DEFAULT_DETECT: DetectOptions = {
  limitSide: 960,
  minShortSide: 640,
  threshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
};

/**
 * Buffers reused from page to page (a worker reads one page at a time): a 1080×2340 page needs
 * 10 MB of input floats and 3.5 MB of labels, and allocating them anew each time keeps the
 * worker's garbage collector busy.
 */
const KEEP_FLOATS = 3 * 720 * 1600;
const scratch = (() => {
  let floats = new Float32Array(0);
  let labels = new Int32Array(0);
  return {
    floats(n: number): Float32Array {
      // An unusually long page gets its own buffer rather than one kept for the worker's life.
      if (n > KEEP_FLOATS) return new Float32Array(n);
      if (floats.length < n) floats = new Float32Array(n);
      return floats.subarray(0, n);
    },
    labels(n: number): Int32Array {
      if (n > KEEP_FLOATS / 3) return new Int32Array(n);
      if (labels.length < n) labels = new Int32Array(n);
      const view = labels.subarray(0, n);
      view.fill(0);
      return view;
    },
  };
})();

export interface TextBox {
  quad: Quad;
  /** Mean text probability of the region. */
  score: number;
}

/** The detector's input size for an image: longest side ≤ limit, both sides multiples of 32. */
export function detectSize(
  width: number,
  height: number,
  limitSide: number,
  minShortSide = 0,
): { width: number; height: number } {
  let scale = Math.min(1, limitSide / Math.max(width, height));
  if (Math.min(width, height) * scale < minShortSide) scale = Math.min(1, minShortSide / Math.min(width, height));
  const round = (v: number) => Math.max(32, Math.round((v * scale) / 32) * 32);
  return { width: round(width), height: round(height) };
}

export async function detect(
  session: Ort.InferenceSession,
  ort: typeof Ort,
  img: Rgb,
  options: DetectOptions = DEFAULT_DETECT,
): Promise<TextBox[]> {
  const size = detectSize(img.width, img.height, options.limitSide, options.minShortSide);
  const input = scratch.floats(3 * size.width * size.height);
  await detectorInput(img, size.width, size.height, input);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, size.height, size.width]) };
  const result = await session.run(feeds);
  const map = result[session.outputNames[0]!]!.data as Float32Array;
  const boxes = boxesFromMap(map, size.width, size.height, options);
  const sx = img.width / size.width;
  const sy = img.height / size.height;
  for (const box of boxes) {
    for (const p of box.quad) {
      p.x *= sx;
      p.y *= sy;
    }
  }
  return boxes;
}

/** Connected regions of the thresholded map (8-connected) → scored, unclipped rectangles in map pixels. */
export function boxesFromMap(map: Float32Array, width: number, height: number, options: DetectOptions): TextBox[] {
  const label = scratch.labels(width * height);
  const stack: number[] = [];
  const boxes: TextBox[] = [];
  // Per row of the region being filled: its leftmost and rightmost pixel (their hull is the
  // region's hull), -1 for a row it has not reached; `rows` lists the rows reached.
  const rowMin = new Int32Array(height).fill(-1);
  const rowMax = new Int32Array(height).fill(-1);
  const rows: number[] = [];
  let next = 0;
  for (let start = 0; start < map.length; start++) {
    if (label[start] !== 0 || map[start]! <= options.threshold) continue;
    next++;
    label[start] = next;
    stack.push(start);
    let count = 0;
    let sum = 0;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      count++;
      sum += map[i]!;
      if (rowMin[y] === -1) {
        rowMin[y] = x;
        rowMax[y] = x;
        rows.push(y);
      } else if (x < rowMin[y]!) rowMin[y] = x;
      else if (x > rowMax[y]!) rowMax[y] = x;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (label[j] === 0 && map[j]! > options.threshold) {
            label[j] = next;
            stack.push(j);
          }
        }
      }
    }
    const keep = count >= 4 && sum / count >= options.boxThreshold;
    const points = [];
    for (const y of rows) {
      if (keep) {
        const x0 = rowMin[y]!;
        const x1 = rowMax[y]!;
        points.push({ x: x0, y }, { x: x0, y: y + 1 }, { x: x1 + 1, y }, { x: x1 + 1, y: y + 1 });
      }
      rowMin[y] = -1;
      rowMax[y] = -1;
    }
    rows.length = 0;
    if (!keep) continue;
    const rect = minAreaRect(convexHull(points));
    if (Math.min(rect.w, rect.h) < 3) continue;
    const grown = unclip(rect, options.unclipRatio);
    if (Math.min(grown.w, grown.h) < 5) continue;
    boxes.push({ quad: rectCorners(grown), score: sum / count });
  }
  return boxes;
}
