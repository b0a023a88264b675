/**
 * The barcode engine: a warmed pool of worker threads that decode uploads with zxing-wasm (and/or
 * @zxing/library). Contract and error mapping: ./types.ts.
 */
import { ApiError } from '../../errors/api-error.js';
import { isSymbolFormat } from './formats.js';
import { createPool } from './pool.js';
import type { BarcodeEngine, BarcodeEngineOptions } from './types.js';

export type * from './types.js';
export { DOCUMENTED_FORMATS, EXTRA_FORMATS, LINEAR_FORMATS } from './types.js';

export interface BarcodeEngineInternals {
  /** Test-only: the worker honours magic images that hang or crash it. */
  testHooks?: boolean;
  /** Retry passes of the zxing-wasm pipeline (default true; benchmarks compare with and without). */
  retries?: boolean;
}

/** Starts `options.workers` threads and resolves once each has decoded a warm-up image. */
export async function createBarcodeEngine(
  options: BarcodeEngineOptions & BarcodeEngineInternals,
): Promise<BarcodeEngine> {
  validate(options);
  const pool = await createPool({
    workers: options.workers,
    maxQueue: options.maxQueue,
    timeoutMs: options.timeoutMs,
    worker: {
      engine: options.engine,
      formats: [...options.formats],
      maxPixels: options.maxPixels,
      retries: options.retries ?? true,
      testHooks: options.testHooks === true,
    },
  });
  return {
    async decode(image) {
      const reply = await pool.run(image);
      if (reply.ok) return reply.output;
      throw new ApiError(reply.code, [], { cause: new Error(reply.message) });
    },
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}

function validate(o: BarcodeEngineOptions): void {
  const problems: string[] = [];
  if (!['zxing-cpp', 'zxing-js', 'zxing-cpp+zxing-js'].includes(o.engine)) problems.push(`engine ${String(o.engine)}`);
  for (const f of o.formats) if (!isSymbolFormat(f)) problems.push(`format ${String(f)}`);
  if (!Number.isInteger(o.workers) || o.workers < 1) problems.push(`workers ${o.workers} (integer ≥ 1)`);
  if (!Number.isInteger(o.maxQueue) || o.maxQueue < 0) problems.push(`maxQueue ${o.maxQueue} (integer ≥ 0)`);
  if (!(o.maxPixels > 0)) problems.push(`maxPixels ${o.maxPixels} (> 0)`);
  if (!(o.timeoutMs > 0)) problems.push(`timeoutMs ${o.timeoutMs} (> 0)`);
  if (problems.length > 0) throw new TypeError(`invalid barcode engine options: ${problems.join(', ')}`);
}
