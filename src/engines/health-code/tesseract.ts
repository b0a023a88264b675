import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';

/**
 * Tesseract setup: Simplified Chinese LSTM data from the `@tesseract.js-data/chi_sim` package,
 * read from node_modules (never fetched). The package ships two models: `4.0.0` (legacy +
 * LSTM, 20 MB gzipped, what its index.js points at) and `4.0.0_best_int` (LSTM only, integer
 * weights, 1.7 MB gzipped). The engine uses `4.0.0_best_int` with OEM LSTM_ONLY: it loads in
 * a fraction of the time and memory and read these screenshots faster and better.
 */

const require = createRequire(import.meta.url);

export const LANGUAGE = 'chi_sim';
export const MODEL_DIR = '4.0.0_best_int';

/** tesseract.js's own worker-thread script (a custom `workerPath` may wrap it). */
export function defaultWorkerScript(): string {
  return join(dirname(require.resolve('tesseract.js/package.json')), 'src', 'worker-script', 'node', 'index.js');
}

/** Directory holding `chi_sim.traineddata.gz`. */
export function languageDataPath(): string {
  return join(dirname(require.resolve('@tesseract.js-data/chi_sim/package.json')), MODEL_DIR);
}

/** Variables every worker keeps: sparse text by default, no per-line inversion retries (pills are inverted before OCR). */
export const WORKER_PARAMS: Record<string, string> = {
  tessedit_pageseg_mode: '11',
  tessedit_do_invert: '0',
  user_defined_dpi: '300',
  // Tesseract's own diagnostics ("Detected N diacritics") would otherwise go to stdout.
  debug_file: '/dev/null',
};

export interface TesseractHandle {
  /** Runs one recognition; `params` apply to this call only. Resolves with tesseract's TSV (or hOCR). */
  recognize(image: Uint8Array, params: Record<string, string>, output?: 'tsv' | 'hocr'): Promise<string>;
  /** The worker thread tesseract.js runs the wasm in (for crash detection). */
  thread: ThreadWorker;
  terminate(): Promise<void>;
}

/**
 * Starts one tesseract.js worker with the local language data. `onError` receives errors the
 * worker reports outside a job (tesseract.js would otherwise throw them on the main thread).
 * `workerPath` replaces the worker-thread script (tests wrap the default one with a network guard).
 */
export async function startTesseract(onError: (err: unknown) => void, options: { workerPath?: string } = {}): Promise<TesseractHandle> {
  const worker = await Tesseract.createWorker(LANGUAGE, Tesseract.OEM.LSTM_ONLY, {
    langPath: languageDataPath(),
    cacheMethod: 'none',
    gzip: true,
    errorHandler: onError,
    ...(options.workerPath ? { workerPath: options.workerPath } : {}),
  });
  await worker.setParameters(WORKER_PARAMS);
  const thread = (worker as unknown as { worker: ThreadWorker }).worker;
  return {
    thread,
    async recognize(image, params, output = 'tsv') {
      const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
      const result = await worker.recognize(bytes, params as Partial<Tesseract.RecognizeOptions>, { text: false, [output]: true });
      return (output === 'hocr' ? result.data.hocr : result.data.tsv) ?? '';
    },
    async terminate() {
      await worker.terminate();
    },
  };
}
