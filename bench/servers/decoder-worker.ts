/**
 * One bare decode, in a piscina worker thread: sharp → RGBA → the emulator's zxing-wasm reader
 * (src/engines/barcode/zxing-cpp.ts, the same offline wasm module and options as the engine's first
 * pass), documented formats. No metadata probe, no pixel limit check, no retry passes, no
 * position reconciliation: the least work that decodes the image.
 */
import sharp from 'sharp';
import { toZxingCppFormats } from '../../src/engines/barcode/formats.js';
import { DOCUMENTED_FORMATS } from '../../src/engines/barcode/types.js';
import { readZxingCpp } from '../../src/engines/barcode/zxing-cpp.js';

const formats = toZxingCppFormats(DOCUMENTED_FORMATS);

export default async function decode(image: Uint8Array): Promise<number> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const results = await readZxingCpp({ data, width: info.width, height: info.height }, { formats });
  return results.length;
}
