/**
 * libuv's thread pool (UV_THREADPOOL_SIZE, default 4) is one per process: the engine threads'
 * sharp calls run on it, and so do the main thread's DNS lookups (ImageUrl downloads), file reads
 * and zlib. A libvips decode cannot be cancelled — terminating the worker thread that asked for it
 * leaves it running — so four large decodes at once held every thread: measured, a download's DNS
 * lookup waited 1.5 s behind four 49 MP PNG decodes. Decodes therefore take a slot first, and so
 * does the PP-OCR engine's shrink of a whole decoded page (paddle/det-input.ts), shared by every
 * engine thread of the process: at most the pool size minus two at once (at least one), so
 * lookups and reads always find a free thread. A page may wait for a slot behind other threads'
 * large decodes; that wait counts against its job's deadline.
 *
 * The slots live in a SharedArrayBuffer made once on the main thread and passed to every pool
 * thread: one Int32 per slot (the holder's threadId, 0 when free) and a change counter to wait on.
 * The pool frees the slots of a thread it terminates.
 */
import { threadId, workerData } from 'node:worker_threads';

/** Atomics.waitAsync (Node 16+; the project's `lib` is ES2023, which does not declare it). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(cells: Int32Array, index: number, value: number, timeoutMs: number): { value: Promise<string> | string };
  }
).waitAsync;

export const LIBUV_SLOTS = Math.max(1, (Number(process.env.UV_THREADPOOL_SIZE) || 4) - 2);

let shared: Int32Array | undefined;

/** The process's slots (main thread): made on first use. */
export function libuvSlots(): SharedArrayBuffer {
  shared ??= new Int32Array(new SharedArrayBuffer(4 * (LIBUV_SLOTS + 1)));
  return shared.buffer as SharedArrayBuffer;
}

/** Frees the slots a terminated thread still held (its decode may still run; it ends on its own). */
export function releaseSlotsOf(slots: SharedArrayBuffer, holder: number): void {
  const cells = new Int32Array(slots);
  for (let i = 0; i < cells.length - 1; i++)
    if (Atomics.compareExchange(cells, i, holder, 0) === holder) changed(cells);
}

function changed(cells: Int32Array): void {
  Atomics.add(cells, cells.length - 1, 1);
  Atomics.notify(cells, cells.length - 1);
}

/**
 * Runs `work` (one sharp call) holding a slot. Outside a pool thread (tests, benchmarks calling the
 * decoders directly) it just runs `work`.
 */
export async function withLibuvSlot<T>(work: () => Promise<T>): Promise<T> {
  const buffer = (workerData as { libuv?: SharedArrayBuffer } | null)?.libuv;
  if (!buffer) return work();
  const cells = new Int32Array(buffer);
  const counter = cells.length - 1;
  let slot = -1;
  while (slot < 0) {
    const seen = Atomics.load(cells, counter);
    for (let i = 0; i < counter && slot < 0; i++) if (Atomics.compareExchange(cells, i, 0, threadId) === 0) slot = i;
    // Wait for a release (bounded, in case a notification was missed).
    if (slot < 0) await waitAsync(cells, counter, seen, 500).value;
  }
  try {
    return await work();
  } finally {
    Atomics.store(cells, slot, 0);
    changed(cells);
  }
}
