import { toPbm } from './image.js';

/**
 * A small synthetic page for warming a worker: rows of glyph-sized strokes, enough for tesseract
 * to find text lines and run its LSTM once (first-call set-up costs land here, not on a request).
 */
export function warmUpPage(): Uint8Array {
  const width = 640;
  const height = 240;
  const grey = new Uint8Array(width * height).fill(255);
  const ink = (x0: number, y0: number, w: number, h: number) => {
    for (let y = y0; y < y0 + h; y++) grey.fill(0, y * width + x0, y * width + x0 + w);
  };
  for (let row = 0; row < 3; row++) {
    const top = 40 + row * 64;
    for (let g = 0; g < 12; g++) {
      const left = 40 + g * 44;
      // A box-like glyph: frame plus a middle bar, roughly CJK-sized.
      ink(left, top, 30, 3);
      ink(left, top + 27, 30, 3);
      ink(left, top, 3, 30);
      ink(left + 27, top, 3, 30);
      ink(left, top + 13, 30 - (g % 3) * 6, 3);
    }
  }
  return toPbm(grey, width, height, 128);
}
