/**
 * What the pool and its worker threads say to each other. ApiErrors cross the thread boundary as
 * plain data ({ code, args, message, detail }) and are rebuilt on the other side.
 */
import { ApiError } from '../../errors/api-error.js';
import type { ErrorCode } from '../../errors/codes.js';

/** workerData of every pool thread: the script to load (source runs) and the engine's own data. */
export interface PoolWorkerData<T = unknown> {
  /** URL of the TypeScript worker module; set only for source runs (see worker-source.mjs). */
  script?: string;
  config: T;
  /** The process's libuv slots for decodes (libuv-slots.ts). */
  libuv: SharedArrayBuffer;
}

/** `retire`: start no more native work, answer `retired` once none is in flight (then the pool terminates the thread). */
export type ToWorker<Task> = { type: 'job'; id: number; task: Task } | { type: 'retire' };

export interface SerializedError {
  /** Tencent code when the thread threw an ApiError; absent for unexpected errors. */
  code?: ErrorCode;
  args?: string[];
  /** The ApiError's custom message, if it had one. */
  message?: string;
  /** What went wrong, for the log (the cause's message, or the error's own). */
  detail: string;
}

export type FromWorker<Result> =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'retired' }
  | { type: 'result'; id: number; ok: true; value: Result; memoryMb: number }
  | { type: 'result'; id: number; ok: false; error: SerializedError; memoryMb: number };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof ApiError) {
    const cause = err.cause instanceof Error ? err.cause.message : undefined;
    return { code: err.code, args: [...err.args], message: err.customMessage, detail: cause ?? err.message };
  }
  return { detail: err instanceof Error ? err.message : String(err) };
}

/** The ApiError a thread threw, rebuilt; undefined for an unexpected error (the pool decides). */
export function rebuildApiError(error: SerializedError): ApiError | undefined {
  if (error.code === undefined) return undefined;
  return new ApiError(error.code, error.args ?? [], { message: error.message, cause: new Error(error.detail) });
}

/**
 * Bytes to post to a thread: the view itself when it spans its whole buffer, else a copy of just
 * its bytes (posting a view clones its entire underlying buffer, e.g. Node's 8 KB pool slab).
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}
