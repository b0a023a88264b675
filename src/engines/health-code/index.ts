import { ApiError } from '../../errors/api-error.js';
import { RETIRE_GRACE_MS, WorkerPool } from '../pool/pool.js';
import { ownBytes } from '../pool/protocol.js';
import type { HealthCodeEngine, HealthCodeEngineOptions, HealthCodeFields } from './types.js';
import type { HealthCodeTask, HealthCodeWorkerConfig } from './worker.js';

export type {
  HealthCodeEngine,
  HealthCodeEngineName,
  HealthCodeEngineOptions,
  HealthCodeFields,
  HealthCodeField,
} from './types.js';
export { HEALTH_CODE_FIELDS } from './types.js';

/** V8 heap per OCR thread (pixels live in buffers, tesseract's wasm in its own nested threads). */
export const OCR_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 384 } as const;
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
    resourceLimits: OCR_RESOURCE_LIMITS,
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
