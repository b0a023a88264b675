import { createHealthCodeEngine } from '../../src/engines/health-code/index.js';

/** The health-code engine as the benchmark opens it: `engine` picks the OCR ('paddle' | 'tesseract'). */
export type EngineKind = 'paddle' | 'tesseract';

export function openEngine(engine: EngineKind, workers: number, maxQueue = 64) {
  const options = { workers, maxQueue, maxPixels: 40_000_000, timeoutMs: 60_000, engine };
  return createHealthCodeEngine(options as Parameters<typeof createHealthCodeEngine>[0]);
}
