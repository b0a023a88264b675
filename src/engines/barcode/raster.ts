/** An 8-bit RGBA pixel grid (what zxing-wasm takes), with helpers for the retry passes. */
export interface Raster {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Expands one grey channel to RGBA (R = G = B = grey, A = 255). */
export function greyToRgba(grey: Uint8Array, width: number, height: number): Raster {
  const data = new Uint8Array(width * height * 4);
  const out = new Uint32Array(data.buffer);
  // Little-endian: 0xAABBGGRR.
  for (let i = 0; i < grey.length; i++) out[i] = 0xff000000 | (grey[i]! * 0x010101);
  return { data, width, height };
}
