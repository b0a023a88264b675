import { ApiError } from '../../errors/api-error.js';
import type { OcrReader } from './pipeline.js';
import type { TesseractHandle } from './tesseract.js';

/**
 * A fixed set of long-lived tesseract workers with a bounded FIFO queue. A job holds one worker
 * from start to end (preprocessing included, so at most `workers` decoded images are in memory;
 * waiting jobs hold only their compressed bytes). A job that outlives `timeoutMs`, or whose
 * worker thread dies, fails with FailedOperation.OcrFailed; that worker is terminated and a new
 * one started and warmed in its place.
 */

export type Fault = 'crash' | 'hang';

export interface PoolOptions {
  workers: number;
  maxQueue: number;
  timeoutMs: number;
  /** Starts one worker (tesseract with language data loaded). */
  start: (onError: (err: unknown) => void) => Promise<TesseractHandle>;
  /** One recognition to run on each new worker before it takes jobs. */
  warm: (read: OcrReader) => Promise<unknown>;
  /** Upper bound for starting + warming one worker. */
  startTimeoutMs?: number;
  injectFault?: (job: { seq: number }) => Fault | undefined;
}

interface Slot {
  id: number;
  handle?: TesseractHandle;
  /** Bumped whenever the slot's worker is replaced: stale callbacks compare it. */
  generation: number;
  job?: Job<unknown>;
  starting?: Promise<void>;
}

interface Job<T> {
  seq: number;
  run: (read: OcrReader) => Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
  settled: boolean;
  timer?: NodeJS.Timeout;
}

export class OcrPool {
  private readonly slots: Slot[];
  private readonly queue: Job<unknown>[] = [];
  private completed = 0;
  private seq = 0;
  private closed = false;
  private readyPromise?: Promise<void>;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError('workers must be an integer ≥ 1');
    this.slots = Array.from({ length: options.workers }, (_, id) => ({ id, generation: 0 }));
  }

  /** Starts every worker and runs one warm-up recognition on each. */
  ready(): Promise<void> {
    this.readyPromise ??= Promise.all(this.slots.map((slot) => this.startSlot(slot))).then(() => undefined);
    return this.readyPromise;
  }

  run<T>(run: (read: OcrReader) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ApiError('ServiceUnavailable'));
    const startsNow = this.queue.length === 0 && this.slots.some((s) => s.handle && !s.job);
    if (!startsNow && this.queue.length >= this.options.maxQueue) {
      const running = this.slots.filter((s) => s.job).length;
      return Promise.reject(
        new ApiError('RequestLimitExceeded', [], {
          message: `The health-code OCR queue is full: ${running} recognitions running and ${this.queue.length} waiting (limit ${this.options.maxQueue}). Retry later.`,
        }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job<T> = { seq: ++this.seq, run, resolve, reject, settled: false };
      this.queue.push(job as unknown as Job<unknown>);
      this.pump();
    });
  }

  stats(): { workers: number; running: number; queued: number; completed: number } {
    return {
      workers: this.slots.filter((s) => s.handle).length,
      running: this.slots.filter((s) => s.job).length,
      queued: this.queue.length,
      completed: this.completed,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new ApiError('ServiceUnavailable'));
    await Promise.allSettled(
      this.slots.map(async (slot) => {
        if (slot.job) this.settle(slot.job, new ApiError('ServiceUnavailable'));
        slot.generation++;
        const handle = slot.handle;
        slot.handle = undefined;
        if (handle) await handle.terminate();
      }),
    );
  }

  // ---- internals ----------------------------------------------------------------------------

  private startSlot(slot: Slot): Promise<void> {
    if (slot.starting) return slot.starting;
    const generation = ++slot.generation;
    const limit = this.options.startTimeoutMs ?? Math.max(60_000, this.options.timeoutMs);
    slot.starting = (async () => {
      let handle: TesseractHandle | undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        const started = (async () => {
          handle = await this.options.start(() => this.onWorkerDied(slot, generation));
          // An uncaught error in the thread ends it: 'error' then 'exit'.
          for (const thread of handle.threads) {
            thread.on('error', () => this.onWorkerDied(slot, generation));
            thread.on('exit', () => this.onWorkerDied(slot, generation));
          }
          await this.options.warm((image, params, output, model) => handle!.recognize(image, params, output, model));
        })();
        await Promise.race([
          started,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`tesseract worker did not start within ${limit} ms`)), limit);
          }),
        ]);
      } catch (err) {
        await handle?.terminate().catch(() => {});
        throw err;
      } finally {
        clearTimeout(timer);
      }
      if (this.closed || slot.generation !== generation) {
        await handle!.terminate().catch(() => {});
        return;
      }
      slot.handle = handle;
    })().finally(() => {
      slot.starting = undefined;
      this.pump();
    });
    return slot.starting;
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (slot.job || !slot.handle) continue;
      const job = this.queue.shift()!;
      void this.execute(slot, job);
    }
  }

  private async execute(slot: Slot, job: Job<unknown>): Promise<void> {
    const handle = slot.handle!;
    const generation = slot.generation;
    slot.job = job;
    job.timer = setTimeout(() => {
      this.replace(slot, generation);
      this.settle(job, new ApiError('FailedOperation.OcrFailed', [], { message: `Recognition did not finish within ${this.options.timeoutMs} ms.` }));
    }, this.options.timeoutMs);
    const fault = this.options.injectFault?.({ seq: job.seq });
    const read: OcrReader = (image, params, output, model) => {
      if (slot.generation !== generation || job.settled) return Promise.reject(new Error('job abandoned'));
      if (fault === 'hang') return new Promise<string>(() => {});
      if (fault === 'crash') {
        // An action the tesseract.js worker script does not know: its message handler throws,
        // the thread dies with an uncaught error, like a crash inside the wasm.
        handle.threads[0]!.postMessage({ workerId: 'fault', jobId: 'fault', action: 'crash', payload: {} });
        return new Promise<string>(() => {});
      }
      return handle.recognize(image, params, output, model);
    };
    try {
      const value = await job.run(read);
      this.settle(job, undefined, value);
    } catch (err) {
      this.settle(job, err instanceof ApiError ? err : new ApiError('FailedOperation.OcrFailed', [], { cause: err }));
    } finally {
      if (slot.job === job) {
        slot.job = undefined;
        this.completed++;
        this.pump();
      }
    }
  }

  private settle(job: Job<unknown>, err: unknown, value?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (err) job.reject(err);
    else job.resolve(value);
  }

  private onWorkerDied(slot: Slot, generation: number): void {
    if (this.closed || slot.generation !== generation) return;
    const job = slot.job;
    this.replace(slot, generation);
    if (job) this.settle(job, new ApiError('FailedOperation.OcrFailed', [], { message: 'The OCR worker stopped unexpectedly.' }));
  }

  /** Terminates the slot's worker (if still the current one) and starts a fresh one. */
  private replace(slot: Slot, generation: number): void {
    if (slot.generation !== generation) return;
    const old = slot.handle;
    const job = slot.job;
    slot.handle = undefined;
    slot.job = undefined;
    if (job) this.completed++;
    void old?.terminate().catch(() => {});
    if (this.closed) return;
    const retry = (attempt: number): void => {
      this.startSlot(slot).catch(() => {
        if (!this.closed) setTimeout(() => retry(attempt + 1), Math.min(5_000, 200 * 2 ** attempt)).unref();
      });
    };
    retry(0);
  }
}
