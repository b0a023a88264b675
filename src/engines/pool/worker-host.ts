/**
 * The thread side of a pool worker: start the engine, warm it, report ready, then answer one job
 * at a time. Errors (ApiError or not) go back as data; after each job the thread reports its own
 * memory (V8 heap + external buffers, wasm memories included) so the pool can replace a worker
 * whose memory stayed high.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type FromWorker, type PoolWorkerData, type ToWorker, serializeError } from './protocol.js';

export interface WorkerEngine<Task, Result> {
  /** One warm-up run, so first-call costs do not land on a request. */
  warm?(): Promise<void>;
  run(task: Task): Promise<Result> | Result;
  /**
   * Start no more native work and resolve once none is in flight. A thread terminated while a
   * native addon's asynchronous call is running (onnxruntime) takes the whole process down when
   * that call returns, so the pool asks first.
   */
  stop?(): Promise<void>;
}

/** The engine's configuration, as the pool passed it. */
export function workerConfig<T>(): T {
  return (workerData as PoolWorkerData<T>).config;
}

function memoryMb(): number {
  const { heapTotal, external } = process.memoryUsage();
  return Math.round((heapTotal + external) / 1_048_576);
}

export function serveJobs<Task, Result>(start: () => Promise<WorkerEngine<Task, Result>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs in a worker thread only');
  const post = (message: FromWorker<Result>) => port.postMessage(message);
  const started = start();
  const engine = started.then(async (e) => {
    await e.warm?.();
    return e;
  });
  engine.then(
    () => post({ type: 'ready' }),
    (err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
  port.on('message', async (message: ToWorker<Task>) => {
    if (message.type === 'retire') {
      // Also during the warm-up: stop() waits for its model call, not for the whole warm-up.
      await started.then(
        (e) => e.stop?.(),
        () => undefined,
      );
      post({ type: 'retired' });
      return;
    }
    if (message.type !== 'job') return;
    try {
      const value = await (await engine).run(message.task);
      post({ type: 'result', id: message.id, ok: true, value, memoryMb: memoryMb() });
    } catch (err) {
      post({ type: 'result', id: message.id, ok: false, error: serializeError(err), memoryMb: memoryMb() });
    }
  });
}
