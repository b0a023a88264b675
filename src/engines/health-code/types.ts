/** The health-code engine's contract with RecognizeHealthCodeOCR (PROTOCOL.md §6.2). */

export const HEALTH_CODE_FIELDS = [
  'Name',
  'IDNumber',
  'Time',
  'Color',
  'TestingInterval',
  'TestingResult',
  'TestingTime',
  'Vaccination',
  'SpotName',
  'VaccinationTime',
] as const;

export type HealthCodeField = (typeof HEALTH_CODE_FIELDS)[number];

/** All strings, always present; "" when the page does not show the field. */
export type HealthCodeFields = Record<HealthCodeField, string>;

/** Every field "", in the API's order. */
export function emptyFields(): HealthCodeFields {
  return Object.fromEntries(HEALTH_CODE_FIELDS.map((f) => [f, ''])) as HealthCodeFields;
}

/** Words that make a page a health code rather than any other screenshot (both engines). */
export const HEALTH_CODE_WORDS =
  /健康码|康码|健康宝|健康通|健康卡|随申码|核酸|疫苗|接种|行程|场所码|绿码|黄码|红码|未见异常|阴性|阳性/;

/**
 * onnxruntime threads per PP-OCR model call unless set: two where there are two cores or more. A
 * page read alone then uses the second core (p50 14–39 % lower in six pairs of runs), and one
 * worker per core each calling with two threads read about as many pages a second as with one
 * thread each (−3 % on average), since idle onnxruntime threads sleep (docs/health-code.md,
 * speed choices).
 */
export const defaultModelThreads = (cores: number): number => Math.min(2, cores);

/** `paddle` = PP-OCR through onnxruntime-node; `tesseract` = tesseract.js (chi_sim LSTM). */
export type HealthCodeEngineName = 'paddle' | 'tesseract';

export interface HealthCodeEngineOptions {
  /** The recognition engine every worker thread runs. */
  engine: HealthCodeEngineName;
  /** Long-lived OCR worker threads (≥ 1; default one per core). */
  workers: number;
  /** Jobs waiting beyond the running ones; past it `recognize` rejects with RequestLimitExceeded. */
  maxQueue: number;
  /** Pixel limit (width × height), checked from the header before decoding. */
  maxPixels: number;
  /** A recognition that takes longer is abandoned, its worker replaced: FailedOperation.OcrFailed. */
  timeoutMs: number;
  /**
   * Fault injection (tests, diagnostics): called as each job is queued (`seq` counts from 1).
   * 'crash' makes its worker thread die; 'hang' keeps that thread busy forever (until
   * `timeoutMs`). Either way the job fails with OcrFailed and the worker is replaced.
   */
  injectFault?: (job: { seq: number }) => 'crash' | 'hang' | undefined;
  /** onnxruntime threads per model call (paddle only; default `defaultModelThreads` of the cores). */
  threads?: number;
}

/**
 * Errors are thrown as ApiError (src/errors/api-error.ts):
 * - bytes sharp cannot decode → FailedOperation.ImageDecodeFailed; too many pixels → ImageSizeTooLarge
 * - no text at all in the image → FailedOperation.ImageNoText
 * - a worker crashed or timed out → FailedOperation.OcrFailed (the worker is replaced)
 * - queue full → RequestLimitExceeded (custom message)
 * A readable page that is not a health code resolves with every field "".
 */
export interface HealthCodeEngine {
  /** Resolves once every worker has loaded its language data and run one recognition. */
  ready(): Promise<void>;
  recognize(image: Uint8Array): Promise<HealthCodeFields>;
  stats(): { workers: number; running: number; queued: number; completed: number };
  /** Answers every queued or running job with ServiceUnavailable and ends the worker threads. */
  close(): Promise<void>;
}
