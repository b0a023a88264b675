/**
 * Recordings: one JSON file per call the real service answered, in TCOCR_RECORDINGS_DIR —
 *
 *   { "version": 1, "action": "GeneralBasicOCR", "region": "ap-guangzhou", "key": "<sha256>",
 *     "params": { "ImageBase64": "sha256:…", … }, "response": { …the reply's Response, no RequestId… } }
 *
 * `response` holds either the success fields or `Error: { Code, Message }`. With TCOCR_MODE=replay
 * the folder is read at start; a file that is not such a recording stops the start, named.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { recordedParams, recordingKey } from './key.js';

export interface Recording {
  readonly version: 1;
  readonly action: string;
  readonly region: string;
  readonly key: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly response: Readonly<Record<string, unknown>>;
  /** With TCOCR_RECORD_IMAGES: each image parameter as sent (base64), by name. */
  readonly images?: Readonly<Record<string, string>>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function check(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value.version !== 1) return '"version" is not 1';
  for (const field of ['action', 'region', 'key'] as const)
    if (typeof value[field] !== 'string' || value[field] === '') return `"${field}" is not a non-empty string`;
  if (!isObject(value.params)) return '"params" is not an object';
  if (!isObject(value.response)) return '"response" is not an object';
  if (value.response.Error !== undefined) {
    const error = value.response.Error;
    if (!isObject(error) || typeof error.Code !== 'string' || typeof error.Message !== 'string')
      return '"response.Error" needs a string Code and Message';
  }
  return undefined;
}

/** Every recording of `dir` by key; throws an Error naming the first file that is not one. */
export function loadRecordings(dir: string): ReadonlyMap<string, Recording> {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const out = new Map<string, Recording>();
  for (const name of files) {
    const file = path.join(dir, name);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not JSON (${(error as Error).message})`);
    }
    const problem = check(value);
    if (problem) throw new Error(`${file}: not a recording: ${problem}`);
    out.set((value as Recording).key, value as Recording);
  }
  return out;
}

/** A recording of one call (what record mode writes; tests use it to prepare folders). */
export function makeRecording(
  action: string,
  region: string,
  params: Readonly<Record<string, unknown>>,
  response: Readonly<Record<string, unknown>>,
  keepImages = false,
): Recording {
  const { RequestId: _ignored, ...fields } = response;
  const image = params.ImageBase64;
  return {
    version: 1,
    action,
    region,
    key: recordingKey(action, region, params),
    params: recordedParams(params),
    response: fields,
    ...(keepImages && typeof image === 'string' ? { images: { ImageBase64: image } } : {}),
  };
}
