/**
 * The barcode engine: a warmed pool of worker threads that decode uploads with zxing-wasm (and/or
 * @zxing/library). Contract and error mapping: ./types.ts.
 */
import { ApiError } from '../../errors/api-error.js';
import { isSymbolFormat } from './formats.js';
import { WorkerPool } from '../pool/pool.js';
import { ownBytes } from '../pool/protocol.js';
import type { WorkerConfig } from './worker.js';
import type { BarcodeEngine, BarcodeEngineOptions, DecodeOutput } from './types.js';

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
  const pool = new WorkerPool<Uint8Array, DecodeOutput, WorkerConfig>({
    script: { nextTo: import.meta.url, name: 'worker' },
    config: {
      engine: options.engine,
      formats: [...options.formats],
      maxPixels: options.maxPixels,
      retries: options.retries ?? true,
      testHooks: options.testHooks === true,
    },
    workers: options.workers,
    maxQueue: options.maxQueue,
    timeoutMs: options.timeoutMs,
    resourceLimits: BARCODE_RESOURCE_LIMITS,
    recycleAboveMb: BARCODE_RECYCLE_MB,
    errors: {
      queueFull: ({ maxQueue }) =>
        new ApiError('RequestLimitExceeded', [], {
          message: `The barcode decoder queue is full (${maxQueue} waiting); retry later.`,
        }),
      timeout: (ms) => unknownError(`The barcode decoder did not finish within ${ms} ms; its worker was replaced.`),
      failed: (reason) => unknownError(`The barcode decoder failed (${reason}).`),
      closed: () => unknownError('The barcode decoder is closed.'),
    },
  });
  try {
    await pool.ready();
  } catch (err) {
    await pool.close();
    throw err;
  }
  return {
    decode: (image) => pool.run(ownBytes(image)),
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}

/**
 * V8 heap per decoder thread. Pixels live in buffers and wasm memory (outside this limit, and
 * bounded by the pixel budgets); the heap holds little more than the results.
 */
export const BARCODE_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256 } as const;
/**
 * A thread whose heap and buffers (zxing-wasm's memory included: it grows to fit the largest image
 * and never shrinks) stay above this after a job is replaced. Measured: after a 49 MP image a
 * thread reports about 350 MB (and the process kept 300 MB more RSS); after a 12 MP photo about
 * 100 MB, after a 600×600 QR code a few MB.
 */
export const BARCODE_RECYCLE_MB = 256;

function unknownError(message: string): ApiError {
  return new ApiError('FailedOperation.UnKnowError', [], { message });
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
