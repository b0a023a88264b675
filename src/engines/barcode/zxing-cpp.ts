/**
 * zxing-wasm (ZXing-C++ compiled to WebAssembly), loaded offline: the reader's .wasm file is read
 * from node_modules and handed over as `wasmBinary`, so the library never fetches it from its CDN.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  prepareZXingModule,
  purgeZXingModule,
  readBarcodes,
  type ReaderOptions,
  type ReadResult,
} from 'zxing-wasm/reader';
import type { Raster } from './raster.js';

const require = createRequire(import.meta.url);

type ImageInput = Parameters<typeof readBarcodes>[0];

let loading: Promise<unknown> | undefined;

/** Instantiates the wasm module once per thread (idempotent). */
export function loadZxingCpp(): Promise<unknown> {
  loading ??= (async () => {
    const bytes = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })();
  return loading;
}

/** Drops the module instance (after a wasm trap its memory may be inconsistent); the next read reloads it. */
export function resetZxingCpp(): void {
  purgeZXingModule();
  loading = undefined;
}

/** Library defaults (tryHarder, tryRotate, tryInvert, tryDownscale) in plain text mode. */
export type ZxingCppOptions = Omit<ReaderOptions, 'textMode'>;

/** Reads every symbol in an RGBA raster. Positions are in the raster's pixels. */
export async function readZxingCpp(raster: Raster, options: ZxingCppOptions): Promise<ReadResult[]> {
  await loadZxingCpp();
  // An ImageData-shaped object: zxing-wasm converts it to luminance itself.
  const imageData = { data: raster.data, width: raster.width, height: raster.height } as unknown as ImageInput;
  try {
    const results = await readBarcodes(imageData, { ...options, textMode: 'Plain' });
    return results.filter((r) => r.isValid);
  } catch (err) {
    resetZxingCpp();
    throw err;
  }
}
