import { recognizeHealthCode } from './pipeline.js';
import { OcrPool } from './pool.js';
import { warmUpPage } from './warm.js';
import { startTesseract } from './tesseract.js';
import type { HealthCodeEngine, HealthCodeEngineOptions } from './types.js';

export type { HealthCodeEngine, HealthCodeEngineOptions, HealthCodeFields, HealthCodeField } from './types.js';
export { HEALTH_CODE_FIELDS } from './types.js';

/**
 * The RecognizeHealthCodeOCR engine: a pool of long-lived tesseract (chi_sim, LSTM) workers
 * behind a bounded queue. See docs/health-code.md.
 */
export function createHealthCodeEngine(options: HealthCodeEngineOptions): HealthCodeEngine {
  const pool = new OcrPool({
    workers: options.workers,
    maxQueue: options.maxQueue,
    timeoutMs: options.timeoutMs,
    start: startTesseract,
    // Both models run once, so their first-call set-up does not land on a request.
    warm: async (read) => {
      const page = warmUpPage();
      await read(page, { tessedit_pageseg_mode: '11' });
      await read(page, { tessedit_pageseg_mode: '11' }, 'tsv', 'line');
    },
    injectFault: options.injectFault,
  });
  return {
    ready: () => pool.ready(),
    recognize: (image) => pool.run((read) => recognizeHealthCode(image, read, { maxPixels: options.maxPixels })),
    stats: () => pool.stats(),
    close: () => pool.close(),
  };
}
