/** The pixels the models see, per decoded page. */
import type { Decoded } from '../image.js';
import type { Rgb } from './tensor.js';

const ocrPixels = new WeakMap<Decoded, Rgb>();

/**
 * The pixels the models see: a dark-mode page (mostly dark) is inverted, so its light text
 * becomes the dark-on-light text the models were trained on. The QR colour reads the original.
 */
export function forOcr(img: Decoded): Rgb {
  let rgb = ocrPixels.get(img);
  if (rgb) return rgb;
  let sum = 0;
  const step = Math.max(1, Math.floor(img.dark.length / 100_000));
  let n = 0;
  for (let i = 0; i < img.rgb.length; i += 3 * step, n++) sum += img.rgb[i]! + img.rgb[i + 1]! + img.rgb[i + 2]!;
  const dark = sum / (3 * Math.max(1, n)) < DARK_PAGE_MEAN;
  let data: Uint8Array = img.rgb;
  if (dark) {
    data = Buffer.allocUnsafe(img.rgb.length);
    for (let i = 0; i < data.length; i++) data[i] = 255 - img.rgb[i]!;
  }
  rgb = { width: img.width, height: img.height, data };
  ocrPixels.set(img, rgb);
  return rgb;
}

/** Mean brightness under which a page is dark mode (light pages sit near 230, dark ones near 40). */
const DARK_PAGE_MEAN = 110;
