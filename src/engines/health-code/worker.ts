/**
 * The health-code OCR worker thread (run by the engine pool, src/engines/pool/). Everything about
 * an image happens here — decoding, preprocessing, the QR code's colour, crops and recognition —
 * with the engine `workerData` names:
 * - `tesseract`: two tesseract.js threads (page and line models) nested in this one, driven by
 *   the pipeline of pipeline.ts. If either nested thread dies, this thread ends too (the pool
 *   replaces it); terminating this thread ends the nested ones with it.
 * - `paddle`: PP-OCR through onnxruntime-node (./paddle/).
 * Errors are thrown as ApiError and cross to the pool as data.
 */
import type { HealthCodeEngineName } from './types.js';
import { serveJobs, workerConfig, type WorkerEngine } from '../pool/worker-host.js';
import { recognizeHealthCode } from './pipeline.js';
import { startTesseract } from './tesseract.js';
import type { HealthCodeFields } from './types.js';
import { warmUpPage } from './warm.js';

export interface HealthCodeWorkerConfig {
  engine: HealthCodeEngineName;
  maxPixels: number;
  /** onnxruntime threads per model call (paddle only). */
  threads?: number;
}

export interface HealthCodeTask {
  image: Uint8Array;
  /** Fault injection (tests, diagnostics): crash this thread, or keep it busy until the deadline. */
  fault?: 'crash' | 'hang';
}

const config = workerConfig<HealthCodeWorkerConfig>();

async function startTesseractEngine(): Promise<WorkerEngine<HealthCodeTask, HealthCodeFields>> {
  // A nested tesseract thread reporting an error or ending takes this thread down with it.
  const handle = await startTesseract(() => process.exit(1));
  for (const thread of handle.threads) {
    thread.on('error', () => process.exit(1));
    thread.on('exit', () => process.exit(1));
  }
  const read = handle.recognize.bind(handle);
  return {
    // Both models run once, so their first-call set-up does not land on a request.
    async warm() {
      const page = warmUpPage();
      await read(page, { tessedit_pageseg_mode: '11' });
      await read(page, { tessedit_pageseg_mode: '11' }, 'tsv', 'line');
    },
    run(task) {
      if (task.fault === 'crash') {
        // An action the tesseract.js worker script does not know: its message handler throws and
        // the nested thread dies with an uncaught error, like a crash inside the wasm.
        handle.threads[0]!.postMessage({ workerId: 'fault', jobId: 'fault', action: 'crash', payload: {} });
        return new Promise<HealthCodeFields>(() => {});
      }
      if (task.fault === 'hang') hang();
      return recognizeHealthCode(task.image, read, { maxPixels: config.maxPixels });
    },
  };
}

async function startPaddleEngine(): Promise<WorkerEngine<HealthCodeTask, HealthCodeFields>> {
  const { loadPaddleEngine } = await import('./paddle/index.js');
  const engine = await loadPaddleEngine({ threads: config.threads });
  return {
    warm: () => engine.warm(),
    stop: () => engine.stop(),
    run(task) {
      if (task.fault === 'crash') process.exit(70);
      if (task.fault === 'hang') hang();
      return engine.recognize(task.image, { maxPixels: config.maxPixels });
    },
  };
}

/** Busy forever, like an engine stuck in a loop: only terminating the thread ends it. */
function hang(): never {
  for (;;) {
    /* hang */
  }
}

serveJobs(config.engine === 'paddle' ? startPaddleEngine : startTesseractEngine);
