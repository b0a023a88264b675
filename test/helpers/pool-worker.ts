/** A worker for the engine-pool tests: each task says what the thread should do. */
import { threadId, workerData } from 'node:worker_threads';
import { ApiError } from '../../src/errors/api-error.js';
import { withLibuvSlot } from '../../src/engines/pool/libuv-slots.js';
import { serveJobs, workerConfig } from '../../src/engines/pool/worker-host.js';

export type PoolTestTask =
  | { kind: 'thread' }
  | { kind: 'sleep'; ms: number }
  | { kind: 'spin' }
  | { kind: 'heap'; mb: number }
  | { kind: 'keep'; mb: number }
  | { kind: 'libuv'; ms: number }
  | { kind: 'crash' }
  | { kind: 'api-error' }
  | { kind: 'throw' };

const kept: Buffer[] = [];
const { warmMs } = workerConfig<{ warmMs: number }>();

serveJobs<PoolTestTask, number>(async () => ({
  warm: () => new Promise((resolve) => setTimeout(resolve, warmMs)),
  async run(task) {
    switch (task.kind) {
      case 'thread':
        return threadId;
      case 'sleep':
        await new Promise((resolve) => setTimeout(resolve, task.ms));
        return threadId;
      case 'spin':
        for (;;) {
          /* busy until terminated */
        }
      case 'heap': {
        // Many small objects: V8 old-generation heap, which resourceLimits caps.
        const hold: number[][] = [];
        for (let i = 0; i < task.mb * 1024; i++) hold.push(new Array(128).fill(i));
        return hold.length;
      }
      case 'keep':
        kept.push(Buffer.alloc(task.mb * 1_048_576, 1));
        return threadId;
      case 'libuv': {
        // Holds a libuv slot for `ms`; answers how many slots were taken meanwhile.
        const cells = new Int32Array((workerData as { libuv: SharedArrayBuffer }).libuv);
        return withLibuvSlot(async () => {
          await new Promise((resolve) => setTimeout(resolve, task.ms));
          return cells.subarray(0, cells.length - 1).filter((holder) => holder !== 0).length;
        });
      }
      case 'crash':
        return process.exit(70);
      case 'api-error':
        throw new ApiError('FailedOperation.ImageDecodeFailed', [], { cause: new Error('bad bytes') });
      case 'throw':
        throw new Error('something unexpected');
    }
  },
}));
