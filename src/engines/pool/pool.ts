/**
 * The worker pool behind both heavy engines (barcode decoding and health-code OCR): a fixed set of
 * worker threads, each warmed before it takes a job, one job per thread at a time, a bounded
 * first-come-first-served queue, a per-job deadline counted from the moment a thread takes the job,
 * and replacement (terminate, start, warm) of a thread that crashed, ran out of its `resourceLimits`,
 * overran its deadline or kept too much memory after a job. `close()` answers every job still
 * queued or running with the engine's error and terminates the threads.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ApiError } from '../../errors/api-error.js';
import { libuvSlots, releaseSlotsOf } from './libuv-slots.js';
import { type FromWorker, type PoolWorkerData, type ToWorker, rebuildApiError } from './protocol.js';
import { workerScript } from './script.js';

export interface PoolErrors {
  /** Past the queue bound (RequestLimitExceeded with the engine's message). */
  queueFull(state: { running: number; queued: number; maxQueue: number }): ApiError;
  /** A job over its deadline; its thread has been terminated. */
  timeout(timeoutMs: number): ApiError;
  /** The thread died (crash, out of memory) or threw something that is no ApiError. */
  failed(reason: string): ApiError;
  /** Calls after close(), and jobs still queued or running when it is called. */
  closed(): ApiError;
}

export interface WorkerPoolOptions<Config> {
  /** The worker module, as `import.meta.url` of a file next to it and its base name (no extension). */
  script: { nextTo: string; name: string };
  /** Passed to every thread (structured clone). */
  config: Config;
  workers: number;
  /** Jobs allowed to wait beyond the running ones. */
  maxQueue: number;
  /** Per job, from the moment a thread takes it. */
  timeoutMs: number;
  /** Ask a thread to finish its native call before terminating it, waiting at most this long (0: terminate at once). */
  retireGraceMs?: number;
  /** Upper bound for starting and warming one thread. */
  startTimeoutMs?: number;
  /** V8 heap limits of each thread; a thread exceeding them dies and is replaced. */
  resourceLimits?: ResourceLimits;
  /** A thread reporting more memory than this after a job (heap + external, MB) is replaced. */
  recycleAboveMb?: number;
  errors: PoolErrors;
}

export interface PoolStats {
  /** Threads warmed and able to take a job. */
  workers: number;
  running: number;
  queued: number;
  /** Jobs that left a thread, whatever their outcome. */
  completed: number;
}

interface Job<Task, Result> {
  id: number;
  task: Task;
  resolve(value: Result): void;
  reject(err: unknown): void;
  timer?: NodeJS.Timeout;
}

interface Slot<Task, Result> {
  worker?: Worker;
  ready: boolean;
  /** Bumped whenever the slot's thread is replaced: stale events compare it. */
  generation: number;
  job?: Job<Task, Result>;
  starting?: Promise<void>;
  /** Why the current thread stopped (error event before exit). */
  lastError?: Error;
}

export class WorkerPool<Task, Result, Config = unknown> {
  private readonly slots: Slot<Task, Result>[];
  private readonly queue: Job<Task, Result>[] = [];
  private completed = 0;
  private nextId = 1;
  private closed = false;
  private readyPromise?: Promise<void>;

  constructor(private readonly options: WorkerPoolOptions<Config>) {
    if (!Number.isInteger(options.workers) || options.workers < 1)
      throw new RangeError('workers must be an integer ≥ 1');
    this.slots = Array.from({ length: options.workers }, () => ({ ready: false, generation: 0 }));
  }

  /** Starts every thread and waits until each is warm; rejects if one cannot start. */
  ready(): Promise<void> {
    this.readyPromise ??= Promise.all(this.slots.map((slot) => this.startSlot(slot))).then(() => undefined);
    return this.readyPromise;
  }

  run(task: Task): Promise<Result> {
    if (this.closed) return Promise.reject(this.options.errors.closed());
    const idle = this.slots.some((s) => s.ready && !s.job);
    if (!(idle && this.queue.length === 0) && this.queue.length >= this.options.maxQueue) {
      const running = this.slots.filter((s) => s.job).length;
      return Promise.reject(
        this.options.errors.queueFull({ running, queued: this.queue.length, maxQueue: this.options.maxQueue }),
      );
    }
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.pump();
    });
  }

  stats(): PoolStats {
    return {
      workers: this.slots.filter((s) => s.ready).length,
      running: this.slots.filter((s) => s.job).length,
      queued: this.queue.length,
      completed: this.completed,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(this.options.errors.closed());
    await Promise.allSettled(
      this.slots.map(async (slot) => {
        const job = this.finishJob(slot);
        if (job) job.reject(this.options.errors.closed());
        slot.generation++;
        slot.ready = false;
        const worker = slot.worker;
        slot.worker = undefined;
        if (worker) await retire(worker, this.options.retireGraceMs);
      }),
    );
  }

  // ---- internals ----------------------------------------------------------------------------

  private startSlot(slot: Slot<Task, Result>): Promise<void> {
    if (slot.starting) return slot.starting;
    const generation = ++slot.generation;
    const limit = this.options.startTimeoutMs ?? Math.max(60_000, this.options.timeoutMs);
    const { filename, script } = workerScript(this.options.script.nextTo, this.options.script.name);
    const workerData: PoolWorkerData<Config> = { script, config: this.options.config, libuv: libuvSlots() };
    const worker = new Worker(filename, { workerData, resourceLimits: this.options.resourceLimits });
    const threadId = worker.threadId; // -1 once the thread has exited
    slot.worker = worker;
    slot.lastError = undefined;
    slot.starting = new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => fail(new Error(`worker not ready within ${limit} ms`)), limit);
      const fail = (err: Error) => {
        settled = true;
        clearTimeout(timer);
        if (slot.worker === worker) slot.worker = undefined;
        void retire(worker, this.options.retireGraceMs);
        reject(err);
      };
      worker.on('message', (message: FromWorker<Result>) => {
        if (message.type === 'failed') fail(new Error(`worker failed to start: ${message.message}`));
        else if (message.type === 'ready') {
          settled = true;
          clearTimeout(timer);
          if (this.closed || slot.generation !== generation) {
            void retire(worker, this.options.retireGraceMs);
          } else slot.ready = true;
          resolve();
        } else if (message.type === 'result' && slot.generation === generation) this.onResult(slot, message);
      });
      worker.on('error', (err) => {
        slot.lastError = err;
      });
      worker.on('exit', (code) => {
        releaseSlotsOf(workerData.libuv, threadId);
        // Before it was ready (a failed start, or terminated by close()): the start fails.
        if (!settled) fail(slot.lastError ?? new Error(`worker exited with code: ${code}`));
        else this.onExit(slot, generation, code);
      });
    }).finally(() => {
      slot.starting = undefined;
      this.pump();
    });
    return slot.starting;
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job || !slot.worker) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const generation = slot.generation;
      job.timer = setTimeout(() => {
        if (slot.generation !== generation || slot.job !== job) return;
        this.finishJob(slot);
        this.replace(slot);
        job.reject(this.options.errors.timeout(this.options.timeoutMs));
      }, this.options.timeoutMs);
      slot.worker.postMessage({ type: 'job', id: job.id, task: job.task } satisfies ToWorker<Task>);
    }
  }

  private onResult(slot: Slot<Task, Result>, message: Extract<FromWorker<Result>, { type: 'result' }>): void {
    const job = slot.job;
    if (!job || job.id !== message.id) return;
    this.finishJob(slot);
    if (message.ok) job.resolve(message.value);
    else job.reject(rebuildApiError(message.error) ?? this.options.errors.failed(message.error.detail));
    const limit = this.options.recycleAboveMb;
    if (limit !== undefined && message.memoryMb > limit) this.replace(slot);
    else this.pump();
  }

  private onExit(slot: Slot<Task, Result>, generation: number, code: number): void {
    if (this.closed || slot.generation !== generation) return;
    const job = this.finishJob(slot);
    const err = slot.lastError;
    const reason = err
      ? (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `worker ran out of memory (${err.message})`
        : `worker error: ${err.message}`
      : `worker exited with code: ${code}`;
    this.replace(slot);
    job?.reject(this.options.errors.failed(reason));
  }

  /** Takes the slot's job off it (counted as completed), with its timer cleared. */
  private finishJob(slot: Slot<Task, Result>): Job<Task, Result> | undefined {
    const job = slot.job;
    if (!job) return undefined;
    slot.job = undefined;
    clearTimeout(job.timer);
    this.completed++;
    return job;
  }

  /** Terminates the slot's thread and starts a fresh one (retried with back-off until it starts). */
  private replace(slot: Slot<Task, Result>): void {
    const old = slot.worker;
    slot.worker = undefined;
    slot.ready = false;
    slot.generation++;
    if (old) void retire(old, this.options.retireGraceMs);
    if (this.closed) return;
    const retry = (attempt: number): void => {
      this.startSlot(slot).catch(() => {
        if (!this.closed) setTimeout(() => retry(attempt + 1), Math.min(5_000, 200 * 2 ** attempt)).unref();
      });
    };
    retry(0);
  }
}

/** How long a retiring OCR thread may take to finish its native call before it is terminated anyway (a thread stuck in JavaScript never answers). */
export const RETIRE_GRACE_MS = 10_000;

/**
 * Ends a thread. With a grace period it is first asked to finish its native work (see
 * WorkerEngine.stop) and terminated when it answers or the grace runs out; without one (engines
 * with no asynchronous native calls, such as WebAssembly decoders) it is terminated at once.
 */
export async function retire(worker: Worker, graceMs = 0): Promise<void> {
  if (worker.threadId < 0) return;
  if (graceMs <= 0) {
    await worker.terminate();
    return;
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', done);
      resolve();
    };
    const onMessage = (message: { type?: string }) => {
      if (message?.type === 'retired') done();
    };
    const timer = setTimeout(done, graceMs);
    timer.unref();
    worker.on('message', onMessage);
    worker.on('exit', done);
    try {
      worker.postMessage({ type: 'retire' });
    } catch {
      done();
    }
  });
  await worker.terminate();
}
