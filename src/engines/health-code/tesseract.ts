import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { strippedModelDir } from './line-model.js';

/**
 * Tesseract setup: Simplified Chinese LSTM data from the `@tesseract.js-data/chi_sim` package,
 * read from node_modules (never fetched). The package ships two models: `4.0.0` (legacy +
 * LSTM, 20 MB gzipped, what its index.js points at) and `4.0.0_best_int` (LSTM only, integer
 * weights, 1.7 MB gzipped). Each engine worker runs both, LSTM only (OEM 1), in two tesseract.js
 * threads:
 * - `page`: `4.0.0_best_int` reads the page, the masked ID's digits and unsure labels — on these
 *   screenshots it reads digits, stars, small text and half-size pages better;
 * - `line`: the LSTM of `4.0.0` reads the name's line and a place name's line again — it knows
 *   bold display glyphs that `best_int` misreads at every size (磊→舌, 廖→雇, 熊→能, 熙→申).
 *   Its file is used without the legacy components (line-model.ts).
 */
const require = createRequire(import.meta.url);

export const LANGUAGE = 'chi_sim';
export const MODEL_DIR = '4.0.0_best_int';
/** The model that reads names and place names again (see above). */
export const LINE_MODEL_DIR = '4.0.0';

/** Which of a worker's two models reads an image. */
export type OcrModel = 'page' | 'line';

/** tesseract.js's own worker-thread script (a custom `workerPath` may wrap it). */
export function defaultWorkerScript(): string {
  return join(dirname(require.resolve('tesseract.js/package.json')), 'src', 'worker-script', 'node', 'index.js');
}

/** Directory holding `chi_sim.traineddata.gz` of a model (default: the page model). */
export function languageDataPath(model: OcrModel = 'page'): string {
  return join(
    dirname(require.resolve('@tesseract.js-data/chi_sim/package.json')),
    model === 'page' ? MODEL_DIR : LINE_MODEL_DIR,
  );
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
  recognize(
    image: Uint8Array,
    params: Record<string, string>,
    output?: 'tsv' | 'hocr',
    model?: OcrModel,
  ): Promise<string>;
  /** The worker threads tesseract.js runs the wasm in, one per model (for crash detection). */
  threads: ThreadWorker[];
  terminate(): Promise<void>;
}

/**
 * Starts the two tesseract.js workers (page and line models) with the local language data.
 * `onError` receives errors a worker reports outside a job (tesseract.js would otherwise throw
 * them on the main thread). `workerPath` replaces the worker-thread script (tests wrap the
 * default one with a network guard).
 */
export async function startTesseract(
  onError: (err: unknown) => void,
  options: { workerPath?: string } = {},
): Promise<TesseractHandle> {
  const start = async (model: OcrModel) => {
    // The line model without its legacy part; where the temp directory cannot be written, the
    // package's file as it is (the same recognition, more memory).
    const stripped =
      model === 'line'
        ? await strippedModelDir(join(languageDataPath('line'), `${LANGUAGE}.traineddata.gz`), LANGUAGE).catch(
            () => undefined,
          )
        : undefined;
    const worker = await Tesseract.createWorker(LANGUAGE, Tesseract.OEM.LSTM_ONLY, {
      langPath: stripped ?? languageDataPath(model),
      cacheMethod: 'none',
      gzip: stripped === undefined,
      errorHandler: onError,
      ...(options.workerPath ? { workerPath: options.workerPath } : {}),
    });
    await worker.setParameters(WORKER_PARAMS);
    return worker;
  };
  const started = await Promise.allSettled([start('page'), start('line')]);
  const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(workers.map((w) => w.terminate()));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [page, line] = workers as [Tesseract.Worker, Tesseract.Worker];
  return {
    threads: workers.map((w) => (w as unknown as { worker: ThreadWorker }).worker),
    async recognize(image, params, output = 'tsv', model = 'page') {
      const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
      const worker = model === 'line' ? line : page;
      const result = await worker.recognize(bytes, params as Partial<Tesseract.RecognizeOptions>, {
        text: false,
        [output]: true,
      });
      return (output === 'hocr' ? result.data.hocr : result.data.tsv) ?? '';
    },
    async terminate() {
      await Promise.all([page.terminate(), line.terminate()]);
    },
  };
}
