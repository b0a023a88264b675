/** An 8-bit RGBA pixel grid (what zxing-wasm takes), with helpers for the retry passes. */
export interface Raster {
  data: Uint8Array;
  width: number;
  height: number;
}

const GREY_TO_RGBA = Uint32Array.from({ length: 256 }, (_, g) => (0xff000000 + g * 0x010101) >>> 0);

/** Expands one grey channel to RGBA (R = G = B = grey, A = 255). */
export function greyToRgba(grey: Uint8Array, width: number, height: number): Raster {
  const data = new Uint8Array(width * height * 4);
  const out = new Uint32Array(data.buffer);
  // Little-endian words 0xAABBGGRR; a lookup table avoids per-pixel arithmetic.
  for (let i = 0; i < grey.length; i++) out[i] = GREY_TO_RGBA[grey[i]!]!;
  return { data, width, height };
}
