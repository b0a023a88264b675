/**
 * Pixels into the models' input tensors, in the worker thread: RGB is sampled into planar BGR
 * floats (PaddleOCR's models were trained on OpenCV's BGR order) with each model's
 * normalisation. Downscaling averages a small grid of bilinear samples per output pixel, so thin
 * strokes survive a large reduction. The detector's shrunk page comes from libvips (det-input.ts)
 * and is only laid out here (planarInto).
 */
import type { Point } from './geometry.js';

export interface Rgb {
  width: number;
  height: number;
  /** 3 bytes per pixel. */
  data: Uint8Array;
}

export interface Normalisation {
  /** Per BGR plane: (value / 255 − mean) / std. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** The detector's ImageNet normalisation. */
export const DET_NORM: Normalisation = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
/** The recogniser's [-1, 1] scaling. */
export const REC_NORM: Normalisation = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** A normalisation as value × scale − shift per BGR plane (`gain`: a factor taken into the scale). */
function affine(norm: Normalisation, gain = 1): { scale: number[]; shift: number[] } {
  return {
    scale: [0, 1, 2].map((c) => gain / (255 * norm.std[c]!)),
    shift: [0, 1, 2].map((c) => norm.mean[c]! / norm.std[c]!),
  };
}

/**
 * Samples the parallelogram origin + u·ex + v·ey (u, v in [0, 1]) of `img` into `out` at
 * (batch index `n`, a `height` × `stride` plane per channel), `width` columns wide; columns
 * past `width` are left as they are (zero padding).
 */
export function sampleInto(
  img: Rgb,
  origin: Point,
  ex: Point,
  ey: Point,
  width: number,
  height: number,
  out: Float32Array,
  n: number,
  stride: number,
  norm: Normalisation,
): void {
  if (ex.y === 0 && ey.x === 0) {
    sampleUpright(img, origin, ex.x, ey.y, width, height, out, n, stride, norm);
    return;
  }
  const { data, width: W, height: H } = img;
  // Source pixels per output pixel along each axis: average that many samples (at most 4).
  const kx = Math.min(4, Math.max(1, Math.ceil(Math.hypot(ex.x, ex.y) / width)));
  const ky = Math.min(4, Math.max(1, Math.ceil(Math.hypot(ey.x, ey.y) / height)));
  const plane = height * stride;
  const base = n * 3 * plane;
  const { scale, shift } = affine(norm);
  const inv = 1 / (kx * ky);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < ky; sy++) {
        const v = (y + (sy + 0.5) / ky) / height;
        for (let sx = 0; sx < kx; sx++) {
          const u = (x + (sx + 0.5) / kx) / width;
          let px = origin.x + u * ex.x + v * ey.x - 0.5;
          let py = origin.y + u * ex.y + v * ey.y - 0.5;
          px = px < 0 ? 0 : px > W - 1 ? W - 1 : px;
          py = py < 0 ? 0 : py > H - 1 ? H - 1 : py;
          const x0 = px | 0;
          const y0 = py | 0;
          const x1 = x0 + 1 < W ? x0 + 1 : x0;
          const y1 = y0 + 1 < H ? y0 + 1 : y0;
          const fx = px - x0;
          const fy = py - y0;
          const i00 = (y0 * W + x0) * 3;
          const i01 = (y0 * W + x1) * 3;
          const i10 = (y1 * W + x0) * 3;
          const i11 = (y1 * W + x1) * 3;
          const w00 = (1 - fx) * (1 - fy);
          const w01 = fx * (1 - fy);
          const w10 = (1 - fx) * fy;
          const w11 = fx * fy;
          r += data[i00]! * w00 + data[i01]! * w01 + data[i10]! * w10 + data[i11]! * w11;
          g += data[i00 + 1]! * w00 + data[i01 + 1]! * w01 + data[i10 + 1]! * w10 + data[i11 + 1]! * w11;
          b += data[i00 + 2]! * w00 + data[i01 + 2]! * w01 + data[i10 + 2]! * w10 + data[i11 + 2]! * w11;
        }
      }
      const o = base + y * stride + x;
      out[o] = b * inv * scale[0]! - shift[0]!;
      out[o + plane] = g * inv * scale[1]! - shift[1]!;
      out[o + 2 * plane] = r * inv * scale[2]! - shift[2]!;
    }
  }
}

/** Packed RGB of exactly `width` × `height` into one planar BGR input (batch index 0), normalised. */
export function planarInto(
  rgb: Uint8Array,
  width: number,
  height: number,
  out: Float32Array,
  norm: Normalisation,
): void {
  const plane = width * height;
  const { scale, shift } = affine(norm);
  const [sb, sg, sr] = scale as [number, number, number];
  const [hb, hg, hr] = shift as [number, number, number];
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    out[i] = rgb[j + 2]! * sb - hb;
    out[i + plane] = rgb[j + 1]! * sg - hg;
    out[i + 2 * plane] = rgb[j]! * sr - hr;
  }
}

/** One axis of an upright resampling: for each output position, its samples' source index pairs and weights. */
function taps(
  origin: number,
  span: number,
  outSize: number,
  srcSize: number,
): { i0: Int32Array; i1: Int32Array; f: Float32Array; k: number } {
  const k = Math.min(4, Math.max(1, Math.ceil(Math.abs(span) / outSize)));
  const i0 = new Int32Array(outSize * k);
  const i1 = new Int32Array(outSize * k);
  const f = new Float32Array(outSize * k);
  for (let o = 0; o < outSize; o++) {
    for (let s = 0; s < k; s++) {
      let p = origin + ((o + (s + 0.5) / k) / outSize) * span - 0.5;
      p = p < 0 ? 0 : p > srcSize - 1 ? srcSize - 1 : p;
      const a = p | 0;
      i0[o * k + s] = a;
      i1[o * k + s] = a + 1 < srcSize ? a + 1 : a;
      f[o * k + s] = p - a;
    }
  }
  return { i0, i1, f, k };
}

/**
 * The axis-aligned case (the detector's whole page, upright line boxes): the same sampling as
 * sampleInto, separable, so the per-pixel work is table look-ups (5× faster on a page).
 */
function sampleUpright(
  img: Rgb,
  origin: Point,
  spanX: number,
  spanY: number,
  width: number,
  height: number,
  out: Float32Array,
  n: number,
  stride: number,
  norm: Normalisation,
): void {
  const { data, width: W, height: H } = img;
  const tx = taps(origin.x, spanX, width, W);
  const ty = taps(origin.y, spanY, height, H);
  const plane = height * stride;
  const base = n * 3 * plane;
  const { scale: sc, shift: sh } = affine(norm, 1 / (tx.k * ty.k));
  // Rows first: each output row's samples blended vertically into one float row per channel.
  // Only the source columns the taps reach.
  const from = tx.i0[0]! * 3;
  const to = (tx.i1[tx.i1.length - 1]! + 1) * 3;
  const row = new Float32Array(W * 3);
  for (let y = 0; y < height; y++) {
    // The first sample written, the others added (a float32 sum, as the row holds).
    for (let s = 0; s < ty.k; s++) {
      const j = y * ty.k + s;
      const r0 = ty.i0[j]! * W * 3;
      const r1 = ty.i1[j]! * W * 3;
      const fy = ty.f[j]!;
      const gy = 1 - fy;
      if (s === 0) for (let i = from; i < to; i++) row[i] = data[r0 + i]! * gy + data[r1 + i]! * fy;
      else for (let i = from; i < to; i++) row[i] = row[i]! + data[r0 + i]! * gy + data[r1 + i]! * fy;
    }
    const o = base + y * stride;
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let s = 0; s < tx.k; s++) {
        const j = x * tx.k + s;
        const a = tx.i0[j]! * 3;
        const c = tx.i1[j]! * 3;
        const fx = tx.f[j]!;
        r += row[a]! * (1 - fx) + row[c]! * fx;
        g += row[a + 1]! * (1 - fx) + row[c + 1]! * fx;
        b += row[a + 2]! * (1 - fx) + row[c + 2]! * fx;
      }
      out[o + x] = b * sc[0]! - sh[0]!;
      out[o + x + plane] = g * sc[1]! - sh[1]!;
      out[o + x + 2 * plane] = r * sc[2]! - sh[2]!;
    }
  }
}
