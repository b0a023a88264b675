import { modelThreads } from '../../src/config-parsers.js';
import { createHealthCodeEngine } from '../../src/engines/health-code/index.js';

/** The health-code engine as the benchmark opens it: `engine` picks the OCR ('paddle' | 'tesseract'). */
export type EngineKind = 'paddle' | 'tesseract';

/** `TCOCR_OCR_THREADS` sets the PP-OCR models' threads as it does the server's (default `auto`). */
export function openEngine(engine: EngineKind, workers: number, maxQueue = 64) {
  const threads = modelThreads(process.env.TCOCR_OCR_THREADS ?? 'auto');
  const options = { workers, maxQueue, maxPixels: 40_000_000, timeoutMs: 60_000, engine, threads };
  return createHealthCodeEngine(options as Parameters<typeof createHealthCodeEngine>[0]);
}
