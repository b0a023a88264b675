/**
 * Image variants for the retry passes, computed on the luminance in plain TypeScript: small,
 * predictable loops (a few ms for a VGA image) that do not queue behind other work in libvips'
 * thread pool. Each variant records its scale so positions map back to the upload.
 */
import { luminance } from './image.js';
import { greyToRgba, type Raster } from './raster.js';

export interface Variant {
  raster: Raster;
  /** variant pixels per uploaded-image pixel, per axis */
  scaleX: number;
  scaleY: number;
}

export type VariantKind =
  /** the upload itself */
  | 'original'
  /** box-filtered down to at most `targetPixels` pixels (very large photos) */
  | 'downscaled'
  /** twice the size, bicubic: thin bars and small modules get more than a pixel each */
  | 'upscaled'
  /** unsharp mask on the luminance: steeper edges for slightly blurred codes */
  | 'sharpened'
  /** the unsharp mask of `sharpened`, then 2× bicubic: small and slightly blurred codes */
  | 'upscaled-sharpened'
  /** Gaussian blur (σ 1 px): texture, print screens and noise inside modules smoothed away */
  | 'smoothed';

export interface VariantRequest {
  kind: VariantKind;
  targetPixels?: number;
}

/** The upload plus its luminance, computed once when a variant first needs it. */
export class Source {
  private greyCache: Uint8Array | undefined;
  constructor(readonly raster: Raster) {}
  get width(): number {
    return this.raster.width;
  }
  get height(): number {
    return this.raster.height;
  }
  get grey(): Uint8Array {
    this.greyCache ??= luminance(this.raster);
    return this.greyCache;
  }
}

/** How many pixels a variant will have, without making it (for the pixel budget). */
export function variantPixels(src: Source, request: VariantRequest): number {
  const { width: w, height: h } = src;
  switch (request.kind) {
    case 'original':
    case 'sharpened':
    case 'smoothed':
      return w * h;
    case 'downscaled': {
      const factor = downscaleFactor(w, h, request.targetPixels);
      return Math.floor(w / factor) * Math.floor(h / factor);
    }
    case 'upscaled':
    case 'upscaled-sharpened':
      return 4 * w * h;
  }
}

function downscaleFactor(w: number, h: number, targetPixels = 3_000_000): number {
  return Math.max(1, Math.ceil(Math.sqrt((w * h) / targetPixels)));
}

export function makeVariant(src: Source, request: VariantRequest): Variant {
  const { width: w, height: h } = src;
  switch (request.kind) {
    case 'original':
      return { raster: src.raster, scaleX: 1, scaleY: 1 };
    case 'downscaled': {
      const factor = downscaleFactor(w, h, request.targetPixels);
      if (factor <= 1) return { raster: src.raster, scaleX: 1, scaleY: 1 };
      const small = boxDownscale(src.grey, w, h, factor);
      // Block i covers upload pixels [i·factor, (i+1)·factor): the scale is exactly 1/factor.
      return { raster: greyToRgba(small.data, small.width, small.height), scaleX: 1 / factor, scaleY: 1 / factor };
    }
    case 'upscaled':
      return { raster: greyToRgba(upscale2(src.grey, w, h), w * 2, h * 2), scaleX: 2, scaleY: 2 };
    case 'sharpened':
      return { raster: greyToRgba(unsharp(src.grey, w, h, 1.5, 1.5), w, h), scaleX: 1, scaleY: 1 };
    case 'upscaled-sharpened':
      return {
        raster: greyToRgba(upscale2(unsharp(src.grey, w, h, 1.5, 1.5), w, h), w * 2, h * 2),
        scaleX: 2,
        scaleY: 2,
      };
    case 'smoothed': {
      const blurred = gaussian(src.grey, w, h, 1);
      const grey = new Uint8Array(w * h);
      for (let i = 0; i < grey.length; i++) grey[i] = blurred[i]! + 0.5;
      return { raster: greyToRgba(grey, w, h), scaleX: 1, scaleY: 1 };
    }
  }
}

/** Mean of each factor × factor block (partial blocks at the edges are dropped). */
export function boxDownscale(
  grey: Uint8Array,
  w: number,
  h: number,
  factor: number,
): { data: Uint8Array; width: number; height: number } {
  const ow = Math.max(1, Math.floor(w / factor));
  const oh = Math.max(1, Math.floor(h / factor));
  const sums = new Uint32Array(ow);
  const out = new Uint8Array(ow * oh);
  const area = factor * factor;
  for (let oy = 0; oy < oh; oy++) {
    sums.fill(0);
    for (let y = oy * factor; y < (oy + 1) * factor && y < h; y++) {
      const row = y * w;
      for (let ox = 0; ox < ow; ox++) {
        let s = 0;
        const x0 = row + ox * factor;
        for (let k = 0; k < factor; k++) s += grey[x0 + k]!;
        sums[ox]! += s;
      }
    }
    for (let ox = 0; ox < ow; ox++) out[oy * ow + ox] = Math.round(sums[ox]! / area);
  }
  return { data: out, width: ow, height: oh };
}

/** Keys' cubic convolution weights (a = −0.5) for the four taps around a sample offset of 0.25 or 0.75. */
function cubicWeights(t: number): [number, number, number, number] {
  const a = -0.5;
  const w = (x: number): number => {
    const ax = Math.abs(x);
    if (ax <= 1) return (a + 2) * ax ** 3 - (a + 3) * ax ** 2 + 1;
    if (ax < 2) return a * ax ** 3 - 5 * a * ax ** 2 + 8 * a * ax - 4 * a;
    return 0;
  };
  return [w(1 + t), w(t), w(1 - t), w(2 - t)];
}

const W_LOW = cubicWeights(0.75); // output pixel 2i   samples at i − 0.25
const W_HIGH = cubicWeights(0.25); // output pixel 2i+1 samples at i + 0.25

/** 2× bicubic upscale, separable (rows then columns), edges clamped. */
export function upscale2(grey: Uint8Array, w: number, h: number): Uint8Array {
  const ow = w * 2;
  const oh = h * 2;
  const [a0, a1, a2, a3] = W_LOW;
  const [b0, b1, b2, b3] = W_HIGH;
  // Rows: each input row, padded by 2 replicated pixels per side, gives one row of twice the width.
  const tmp = new Float32Array(ow * h);
  const pad = new Float32Array(w + 4);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) pad[x + 2] = grey[row + x]!;
    pad[0] = pad[1] = pad[2]!;
    pad[w + 2] = pad[w + 3] = pad[w + 1]!;
    const o = y * ow;
    for (let x = 0; x < w; x++) {
      // Output 2x samples at x − 0.25 (taps x−2‥x+1), 2x+1 at x + 0.25 (taps x−1‥x+2).
      const p0 = pad[x]!;
      const p1 = pad[x + 1]!;
      const p2 = pad[x + 2]!;
      const p3 = pad[x + 3]!;
      const p4 = pad[x + 4]!;
      tmp[o + 2 * x] = a0 * p0 + a1 * p1 + a2 * p2 + a3 * p3;
      tmp[o + 2 * x + 1] = b0 * p1 + b1 * p2 + b2 * p3 + b3 * p4;
    }
  }
  // Columns, one output row pair at a time (row-major: cache friendly).
  const out = new Uint8Array(ow * oh);
  const r = (y: number): number => (y < 0 ? 0 : y >= h ? h - 1 : y) * ow;
  for (let y = 0; y < h; y++) {
    const r0 = r(y - 2);
    const r1 = r(y - 1);
    const r2 = r(y);
    const r3 = r(y + 1);
    const r4 = r(y + 2);
    const o0 = 2 * y * ow;
    const o1 = o0 + ow;
    for (let x = 0; x < ow; x++) {
      const t1 = tmp[r1 + x]!;
      const t2 = tmp[r2 + x]!;
      const t3 = tmp[r3 + x]!;
      const lo = a0 * tmp[r0 + x]! + a1 * t1 + a2 * t2 + a3 * t3;
      const hi = b0 * t1 + b1 * t2 + b2 * t3 + b3 * tmp[r4 + x]!;
      out[o0 + x] = lo < 0 ? 0 : lo > 255 ? 255 : lo + 0.5;
      out[o1 + x] = hi < 0 ? 0 : hi > 255 ? 255 : hi + 0.5;
    }
  }
  return out;
}

function gaussianKernel(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/** Separable Gaussian blur (kernel radius 3σ), edges replicated. */
export function gaussian(grey: Uint8Array, w: number, h: number, sigma: number): Float32Array {
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) >> 1;
  const tmp = new Float32Array(w * h);
  const pad = new Float32Array(w + 2 * r);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) pad[x + r] = grey[row + x]!;
    for (let i = 0; i < r; i++) {
      pad[i] = grey[row]!;
      pad[w + r + i] = grey[row + w - 1]!;
    }
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let i = 0; i < k.length; i++) acc += k[i]! * pad[x + i]!;
      tmp[row + x] = acc;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let i = 0; i < k.length; i++) {
      const yy = y + i - r;
      const src = (yy < 0 ? 0 : yy >= h ? h - 1 : yy) * w;
      const ki = k[i]!;
      for (let x = 0; x < w; x++) out[o + x]! += ki * tmp[src + x]!;
    }
  }
  return out;
}

/** Unsharp mask: grey + amount × (grey − blur(grey, sigma)), clamped to 0‥255. */
export function unsharp(grey: Uint8Array, w: number, h: number, sigma: number, amount: number): Uint8Array {
  const blurred = gaussian(grey, w, h, sigma);
  const out = new Uint8Array(w * h);
  for (let i = 0; i < out.length; i++) {
    const v = grey[i]! + amount * (grey[i]! - blurred[i]!);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
  }
  return out;
}
