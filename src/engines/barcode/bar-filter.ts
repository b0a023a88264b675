/**
 * Filters for an upright 1-D crop (bars vertical): averaging along the bars lifts the bar pattern out
 * of noise and print texture without blurring across the bars, and a horizontal unsharp mask
 * steepens edges that defocus has spread. Applied only to crops the search has turned upright.
 */

/** Mean over a vertical window of 2·radius + 1 rows (clamped at the top and bottom). */
export function smoothAlongBars(grey: Uint8Array, w: number, h: number, radius: number): Float32Array {
  const out = new Float32Array(w * h);
  const sums = new Float64Array(w);
  // Running column sums over rows [y − radius, y + radius] ∩ [0, h).
  for (let y = 0; y <= Math.min(radius, h - 1); y++) for (let x = 0; x < w; x++) sums[x]! += grey[y * w + x]!;
  for (let y = 0; y < h; y++) {
    const top = y - radius;
    const bottom = y + radius;
    const n = Math.min(bottom, h - 1) - Math.max(top, 0) + 1;
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = sums[x]! / n;
    const add = bottom + 1;
    const drop = top;
    if (add < h) for (let x = 0; x < w; x++) sums[x]! += grey[add * w + x]!;
    if (drop >= 0) for (let x = 0; x < w; x++) sums[x]! -= grey[drop * w + x]!;
  }
  return out;
}

/** Horizontal unsharp mask: v + amount × (v − gaussian_x(v, sigma)), clamped to 0‥255. */
export function sharpenAcrossBars(
  values: Float32Array,
  w: number,
  h: number,
  sigma: number,
  amount: number,
): Uint8Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      let blur = 0;
      for (let i = -r; i <= r; i++) {
        const xx = x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i;
        blur += k[i + r]! * values[o + xx]!;
      }
      const v = values[o + x]! + amount * (values[o + x]! - blur);
      out[o + x] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
    }
  }
  return out;
}

/** Both, with the averaging window an eighth of the crop's height. */
export function enhanceBars(grey: Uint8Array, w: number, h: number): Uint8Array {
  return sharpenAcrossBars(smoothAlongBars(grey, w, h, Math.max(1, Math.round(h / 16))), w, h, 1.5, 1.5);
}
