/**
 * The QR code of a health-code page found by decoding it (ZXing-C++), for when the finder-pattern
 * search of qr-code.ts (upright screenshots) misses: photos of a screen, tilted or in
 * perspective. Only the code's position is used: the colour is read inside it.
 */
import { readZxingCpp } from '../barcode/zxing-cpp.js';
import type { Box, Decoded } from './image.js';
import { type CodeColour, hueColour, hueOf } from './qr-code.js';

/** Decode at most this wide: health-code QR codes are large, and the photo is only searched once. */
const SEARCH_WIDTH = 800;

/** The middle of the largest decoded QR code as an upright box (inside the code at moderate tilts). */
export async function findQrByDecoding(img: Decoded): Promise<Box | undefined> {
  const s = Math.min(1, SEARCH_WIDTH / img.width);
  const width = Math.max(1, Math.round(img.width * s));
  const height = Math.max(1, Math.round(img.height * s));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(img.height - 1, Math.floor((y + 0.5) / s));
    for (let x = 0; x < width; x++) {
      const i = (sy * img.width + Math.min(img.width - 1, Math.floor((x + 0.5) / s))) * 3;
      const o = (y * width + x) * 4;
      data[o] = img.rgb[i]!;
      data[o + 1] = img.rgb[i + 1]!;
      data[o + 2] = img.rgb[i + 2]!;
      data[o + 3] = 255;
    }
  }
  const results = await readZxingCpp(
    { data, width, height },
    { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 },
  );
  if (!results.length) return undefined;
  const area = (r: (typeof results)[number]) => {
    const p = r.position;
    return Math.abs((p.bottomRight.x - p.topLeft.x) * (p.bottomRight.y - p.topLeft.y));
  };
  const best = results.sort((a, b) => area(b) - area(a))[0]!.position;
  const pts = [best.topLeft, best.topRight, best.bottomRight, best.bottomLeft];
  const cx = pts.reduce((t, p) => t + p.x, 0) / 4;
  const cy = pts.reduce((t, p) => t + p.y, 0) / 4;
  // A square of 0.7 of the code's side around its centre stays inside it up to a 30° tilt.
  const r = (0.49 * Math.min(...pts.map((p) => Math.hypot(p.x - cx, p.y - cy)))) / s;
  const x = Math.max(0, Math.round(cx / s - r));
  const y = Math.max(0, Math.round(cy / s - r));
  return { x, y, w: Math.min(img.width - x, Math.round(2 * r)), h: Math.min(img.height - y, Math.round(2 * r)) };
}

/**
 * The code's colour in a photo, where glare and exposure lift its modules out of the "ink" range
 * qrColour expects: the hue of the most saturated quarter of the pixels in the box, when those
 * are clearly coloured (a white or grey code, or a plain background, gives "").
 */
export function photoQrColour(img: Decoded, box: Box): CodeColour {
  const sats: { s: number; r: number; g: number; b: number }[] = [];
  const step = Math.max(1, Math.floor(Math.min(box.w, box.h) / 120));
  for (let y = box.y; y < box.y + box.h; y += step) {
    for (let x = box.x; x < box.x + box.w; x += step) {
      const i = (y * img.width + x) * 3;
      const r = img.rgb[i]!;
      const g = img.rgb[i + 1]!;
      const b = img.rgb[i + 2]!;
      const max = Math.max(r, g, b);
      if (max < 40) continue;
      sats.push({ s: (max - Math.min(r, g, b)) / max, r, g, b });
    }
  }
  if (sats.length < 50) return '';
  sats.sort((a, b) => b.s - a.s);
  const top = sats.slice(0, Math.ceil(sats.length / 4));
  const mean = (f: (p: (typeof top)[number]) => number) => top.reduce((t, p) => t + f(p), 0) / top.length;
  if (mean((p) => p.s) < PHOTO_MIN_SATURATION) return '';
  return hueColour(
    hueOf(
      mean((p) => p.r),
      mean((p) => p.g),
      mean((p) => p.b),
    ),
  );
}

/** Modules of a coloured code keep at least this saturation in a photo; grey glare stays far under it. */
const PHOTO_MIN_SATURATION = 0.3;
