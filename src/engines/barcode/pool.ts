/**
 * The piscina pool behind the barcode engine: fixed thread count, bounded queue, warm-up before
 * use, and a per-job timeout that starts when a worker picks the job up (time spent queued does not
 * count). A job that times out has its thread terminated and replaced.
 *
 * The queue is kept here, first come first served, and piscina is never handed more jobs than it
 * has threads: piscina parks a job that carries an abort signal in a side queue that it serves out
 * of order (newest first with `stricterFIFO`, re-appended behind later jobs without), and under
 * load some jobs were overtaken for seconds.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { ApiError } from '../../errors/api-error.js';
import { workerFile } from '../worker-file.js';
import type { WorkerConfig, WorkerEvent, WorkerReply, WorkerTask } from './worker.js';

export interface PoolOptions {
  workers: number;
  maxQueue: number;
  timeoutMs: number;
  /** How long the workers may take to load and warm up. */
  warmUpTimeoutMs?: number;
  worker: WorkerConfig;
}

export interface PoolStats {
  workers: number;
  running: number;
  queued: number;
  completed: number;
}

export interface BarcodePool {
  run(image: Uint8Array): Promise<WorkerReply>;
  stats(): PoolStats;
  close(): Promise<void>;
}

interface Pending {
  controller: AbortController;
  timer: NodeJS.Timeout | undefined;
}

export async function createPool(options: PoolOptions): Promise<BarcodePool> {
  const piscina = new Piscina<WorkerTask, WorkerReply>({
    ...workerScript(),
    minThreads: options.workers,
    maxThreads: options.workers,
    // The queue bound is enforced here (piscina does not count jobs that carry an abort signal).
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    // Workers wait for jobs on their event loop (not in Atomics.wait), so the warm-up can finish
    // and report before the first job arrives.
    atomics: 'disabled',
    workerData: options.worker,
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let running = 0;
  let completed = 0;
  let closed = false;

  const warmed = waitForWarmUp(piscina, options.workers, options.warmUpTimeoutMs ?? 60_000);
  piscina.on('message', (event: WorkerEvent) => {
    if (event.kind !== 'barcode-job-started') return;
    const job = pending.get(event.id);
    if (job === undefined || job.timer !== undefined) return;
    running++;
    job.timer = setTimeout(() => job.controller.abort(new Error('timeout')), options.timeoutMs);
  });
  // Errors with no task to report them to (e.g. a thread dying while idle): the pool replaces it.
  piscina.on('error', () => {});
  try {
    await warmed;
  } catch (err) {
    await piscina.destroy();
    throw err;
  }

  const slots = fifoSlots(options.workers);
  return {
    async run(image) {
      if (closed) throw unknownError('The barcode decoder is closed.');
      // Jobs in flight = running (≤ workers) + waiting: past workers + maxQueue the queue is full.
      if (pending.size >= options.workers + options.maxQueue) throw queueFull(options.maxQueue);
      const id = nextId++;
      const job: Pending = { controller: new AbortController(), timer: undefined };
      pending.set(id, job);
      let holdsSlot = false;
      try {
        await slots.acquire();
        holdsSlot = true;
        if (closed) throw unknownError('The barcode decoder is closed.');
        return await piscina.run({ id, image } satisfies WorkerTask, { signal: job.controller.signal });
      } catch (err) {
        if (job.controller.signal.aborted) {
          throw unknownError(`The barcode decoder did not finish within ${options.timeoutMs} ms; its worker was replaced.`, err);
        }
        // A thread that died (crash, out of memory) has already been replaced by the pool.
        throw unknownError(`The barcode decoder failed (${err instanceof Error ? err.message : String(err)}).`, err);
      } finally {
        if (holdsSlot) slots.release();
        completed++;
        if (job.timer !== undefined) {
          clearTimeout(job.timer);
          running--;
        }
        pending.delete(id);
      }
    },
    stats() {
      return { workers: piscina.threads.length, running, queued: Math.max(0, pending.size - running), completed };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const job of pending.values()) if (job.timer !== undefined) clearTimeout(job.timer);
      slots.releaseAll();
      await piscina.destroy();
    },
  };
}

/**
 * The worker script: compiled runs start worker.js; source runs start worker-source.mjs, which
 * registers tsx inside the thread (Node 20 does not apply `--import tsx` from a worker's execArgv).
 */
function workerScript(): { filename: string; execArgv: string[] } {
  const { filename, execArgv } = workerFile(import.meta.url, 'worker');
  if (execArgv.length === 0) return { filename, execArgv };
  return { filename: fileURLToPath(new URL('./worker-source.mjs', import.meta.url)), execArgv: [] };
}

/** Resolves once every initial worker has loaded the decoder and decoded its warm-up image. */
function waitForWarmUp(piscina: Piscina, workers: number, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ready = new Set<number>();
    const timer = setTimeout(() => finish(new Error(`barcode workers not ready after ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (event: WorkerEvent): void => {
      if (event.kind === 'barcode-worker-failed') finish(new Error(`barcode worker failed to start: ${event.message}`));
      if (event.kind === 'barcode-worker-warm') {
        ready.add(event.threadId);
        if (ready.size >= workers) finish();
      }
    };
    const onError = (err: Error): void => finish(err);
    function finish(err?: Error): void {
      clearTimeout(timer);
      piscina.off('message', onMessage);
      piscina.off('error', onError);
      if (err === undefined) resolve();
      else reject(err);
    }
    piscina.on('message', onMessage);
    piscina.on('error', onError);
  });
}

/** `size` slots handed out strictly in order of request. */
function fifoSlots(size: number): { acquire(): Promise<void>; release(): void; releaseAll(): void } {
  const waiting: Array<() => void> = [];
  let free = size;
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    // A released slot goes straight to the oldest waiter, so `free` only grows when none waits.
    release() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
    releaseAll() {
      for (const next of waiting.splice(0)) next();
    },
  };
}

function queueFull(maxQueue: number): ApiError {
  return new ApiError('RequestLimitExceeded', [], {
    message: `The barcode decoder queue is full (${maxQueue} waiting); retry later.`,
  });
}

function unknownError(message: string, cause?: unknown): ApiError {
  return new ApiError('FailedOperation.UnKnowError', [], { message, cause });
}
