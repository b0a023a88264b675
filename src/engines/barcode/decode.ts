/**
 * One decode, start to finish, on the current thread: bytes → pixels → the configured engine(s).
 * The worker calls this; benchmarks may call it directly.
 */
import { loadImage } from './image.js';
import { toDecodedSymbol, type Candidate } from './symbols.js';
import type { BarcodeEngineName, DecodeOutput, SymbolFormat } from './types.js';
import { decodeZxingCpp } from './zxing-cpp-pipeline.js';
import { decodeZxingJs } from './zxing-js.js';

export interface DecodeConfig {
  engine: BarcodeEngineName;
  formats: readonly SymbolFormat[];
  maxPixels: number;
  /** Retry passes of the zxing-wasm pipeline (default true). */
  retries?: boolean;
}

export async function decodeImage(bytes: Uint8Array, config: DecodeConfig): Promise<DecodeOutput> {
  const raster = await loadImage(bytes, config.maxPixels);
  let candidates: Candidate[] = [];
  if (config.engine !== 'zxing-js') {
    candidates = (await decodeZxingCpp(raster, { formats: config.formats, retries: config.retries ?? true }))
      .candidates;
  }
  if (candidates.length === 0 && config.engine !== 'zxing-cpp') {
    candidates = decodeZxingJs(raster, { formats: config.formats });
  }
  return { width: raster.width, height: raster.height, symbols: candidates.map(toDecodedSymbol) };
}
