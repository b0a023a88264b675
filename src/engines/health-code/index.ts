import { ApiError } from '../../errors/api-error.js';
import { RETIRE_GRACE_MS, WorkerPool } from '../pool/pool.js';
import { ownBytes } from '../pool/protocol.js';
import type { ResourceLimits } from 'node:worker_threads';
import type { HealthCodeEngine, HealthCodeEngineName, HealthCodeEngineOptions, HealthCodeFields } from './types.js';
import type { HealthCodeTask, HealthCodeWorkerConfig } from './worker.js';

export type {
  HealthCodeEngine,
  HealthCodeEngineName,
  HealthCodeEngineOptions,
  HealthCodeFields,
  HealthCodeField,
} from './types.js';
export { HEALTH_CODE_FIELDS } from './types.js';

/**
 * V8 heap per OCR thread (pixels live in buffers, tesseract's wasm in its own nested threads).
 * The PP-OCR engine's threads get a young generation of 2 MB (V8's default is several times
 * that): a page's pixel buffers and tensors are freed by the next scavenge instead of piling up
 * between collections — two workers and a full queue peaked at 722–730 MiB with the default,
 * 691–697 with 4 MB and 677–691 with 2 MB, at the same throughput and CPU per page (before the
 * models were rewritten; with FOLD_VERSION 3's, 631–649 MiB).
 */
export function ocrResourceLimits(engine: HealthCodeEngineName): ResourceLimits {
  return engine === 'paddle'
    ? { maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: 2 }
    : { maxOldGenerationSizeMb: 384 };
}
/**
 * A thread whose heap and buffers stay above this after a job is replaced (a 1080×2340 screenshot
 * leaves a few tens of MB; a 50 MP upload about 250 MB of pixels).
 */
export const OCR_RECYCLE_MB = 384;

/**
 * The RecognizeHealthCodeOCR engine: a pool of worker threads, each running the configured
 * recognition engine (PP-OCR or tesseract.js) with all pixel work, behind a bounded queue. The
 * main thread only posts the uploaded bytes. See docs/health-code.md.
 */
export function createHealthCodeEngine(options: HealthCodeEngineOptions): HealthCodeEngine {
  const pool = new WorkerPool<HealthCodeTask, HealthCodeFields, HealthCodeWorkerConfig>({
    script: { nextTo: import.meta.url, name: 'worker' },
    config: { engine: options.engine, maxPixels: options.maxPixels, threads: options.threads },
    workers: options.workers,
    maxQueue: options.maxQueue,
    timeoutMs: options.timeoutMs,
    resourceLimits: ocrResourceLimits(options.engine),
    recycleAboveMb: OCR_RECYCLE_MB,
    // onnxruntime runs models asynchronously: its threads are retired, never killed mid-call.
    retireGraceMs: RETIRE_GRACE_MS,
    errors: {
      queueFull: ({ running, queued, maxQueue }) =>
        new ApiError('RequestLimitExceeded', [], {
          message: `The health-code OCR queue is full: ${running} recognitions running and ${queued} waiting (limit ${maxQueue}). Retry later.`,
        }),
      timeout: (ms) =>
        new ApiError('FailedOperation.OcrFailed', [], { message: `Recognition did not finish within ${ms} ms.` }),
      failed: (reason) =>
        new ApiError('FailedOperation.OcrFailed', [], {
          message: 'The OCR worker stopped unexpectedly.',
          cause: new Error(reason),
        }),
      closed: () => new ApiError('ServiceUnavailable'),
    },
  });
  let seq = 0;
  return {
    ready: () => pool.ready(),
    recognize: (image) => pool.run({ image: ownBytes(image), fault: options.injectFault?.({ seq: ++seq }) }),
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}
