import { afterEach, describe, expect, it } from 'vitest';
import { LIBUV_SLOTS } from '../../src/engines/pool/libuv-slots.js';
import { type PoolErrors, type WorkerPoolOptions, WorkerPool } from '../../src/engines/pool/pool.js';
import { ApiError } from '../../src/errors/api-error.js';
import type { PoolTestTask } from '../helpers/pool-worker.js';

const errors: PoolErrors = {
  queueFull: ({ maxQueue }) => new ApiError('RequestLimitExceeded', [], { message: `queue full (${maxQueue})` }),
  timeout: (ms) => new ApiError('FailedOperation.UnKnowError', [], { message: `timeout ${ms}` }),
  failed: (reason) => new ApiError('FailedOperation.UnKnowError', [], { message: `failed: ${reason}` }),
  closed: () => new ApiError('ServiceUnavailable'),
};

const pools: WorkerPool<PoolTestTask, number>[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function unstarted(options: Partial<WorkerPoolOptions<{ warmMs: number }>> = {}): WorkerPool<PoolTestTask, number> {
  const p = new WorkerPool<PoolTestTask, number, { warmMs: number }>({
    script: { nextTo: import.meta.url, name: '../helpers/pool-worker' },
    config: { warmMs: 0 },
    workers: 1,
    maxQueue: 4,
    timeoutMs: 5_000,
    errors,
    ...options,
  });
  pools.push(p);
  return p;
}

async function pool(
  options: Partial<WorkerPoolOptions<{ warmMs: number }>> = {},
): Promise<WorkerPool<PoolTestTask, number>> {
  const p = unstarted(options);
  await p.ready();
  return p;
}

async function failure(call: Promise<unknown>): Promise<ApiError> {
  const err = await call.then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

async function until(predicate: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('engine pool', () => {
  it('is warm when ready() resolves, and answers jobs first come, first served', async () => {
    const p = await pool({ config: { warmMs: 300 }, maxQueue: 10 });
    expect(p.stats()).toEqual({ workers: 1, running: 0, queued: 0, completed: 0 });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 8 }, (_, i) => p.run({ kind: 'sleep', ms: 5 }).then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(p.stats().completed).toBe(8);
  });

  it('ApiErrors thrown in the thread come back rebuilt; other errors go through errors.failed', async () => {
    const p = await pool();
    const api = await failure(p.run({ kind: 'api-error' }));
    expect(api.code).toBe('FailedOperation.ImageDecodeFailed');
    expect((api.cause as Error).message).toBe('bad bytes');
    expect((await failure(p.run({ kind: 'throw' }))).message).toBe('failed: something unexpected');
  });

  it('refuses past the queue bound with the engine error', async () => {
    const p = await pool({ maxQueue: 1 });
    const running = p.run({ kind: 'sleep', ms: 300 });
    const queued = p.run({ kind: 'thread' });
    expect((await failure(p.run({ kind: 'thread' }))).message).toBe('queue full (1)');
    await Promise.all([running, queued]);
  });

  it('counts the deadline from pick-up: a job queued behind a long one is not timed out', async () => {
    const p = await pool({ timeoutMs: 1_000 });
    const first = p.run({ kind: 'sleep', ms: 700 });
    const second = p.run({ kind: 'sleep', ms: 700 });
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('a busy thread past its deadline is terminated and replaced; the next job runs on a new thread', async () => {
    const p = await pool({ timeoutMs: 500 });
    const before = await p.run({ kind: 'thread' });
    expect((await failure(p.run({ kind: 'spin' }))).message).toBe('timeout 500');
    const after = await p.run({ kind: 'thread' });
    expect(after).not.toBe(before);
    expect(p.stats()).toMatchObject({ workers: 1, running: 0, queued: 0 });
  });

  it('a crashed thread fails its job with the exit code and is replaced', async () => {
    const p = await pool();
    expect((await failure(p.run({ kind: 'crash' }))).message).toBe('failed: worker exited with code: 70');
    await expect(p.run({ kind: 'thread' })).resolves.toBeGreaterThan(0);
  });

  it('resourceLimits cap the heap: a thread over them dies, its job fails, a new thread takes the next job', async () => {
    const p = await pool({ resourceLimits: { maxOldGenerationSizeMb: 48 } });
    const err = await failure(p.run({ kind: 'heap', mb: 400 }));
    expect(err.message).toMatch(/out of memory/);
    await expect(p.run({ kind: 'thread' })).resolves.toBeGreaterThan(0);
  });

  it('a thread keeping more memory than recycleAboveMb after a job is replaced (its job still answered)', async () => {
    const p = await pool({ recycleAboveMb: 64 });
    const first = await p.run({ kind: 'keep', mb: 16 });
    expect(await p.run({ kind: 'thread' })).toBe(first);
    expect(await p.run({ kind: 'keep', mb: 128 })).toBe(first);
    await until(() => p.stats().workers === 1);
    expect(await p.run({ kind: 'thread' })).not.toBe(first);
  });

  it('close() answers running and queued jobs with the closed error, and refuses new ones', async () => {
    const p = await pool();
    const running = failure(p.run({ kind: 'spin' }));
    const queued = failure(p.run({ kind: 'thread' }));
    await until(() => p.stats().running === 1);
    await p.close();
    expect((await running).code).toBe('ServiceUnavailable');
    expect((await queued).code).toBe('ServiceUnavailable');
    expect((await failure(p.run({ kind: 'thread' }))).code).toBe('ServiceUnavailable');
    expect(p.stats()).toMatchObject({ workers: 0, running: 0, queued: 0 });
  });

  it('decodes across every thread of the process share the libuv slots (pool size minus two)', async () => {
    expect(LIBUV_SLOTS).toBe(Math.max(1, (Number(process.env.UV_THREADPOOL_SIZE) || 4) - 2));
    const a = await pool({ workers: 2 });
    const b = await pool({ workers: 2 });
    const held = await Promise.all([a, a, b, b].map((p) => p.run({ kind: 'libuv', ms: 300 })));
    expect(Math.max(...held)).toBeLessThanOrEqual(LIBUV_SLOTS);
    expect(held.filter((n) => n === LIBUV_SLOTS).length).toBeGreaterThan(0);
  });

  it('a terminated thread gives back the libuv slot it held', async () => {
    const p = await pool({ workers: 2, timeoutMs: 400 });
    const stuck = Array.from({ length: LIBUV_SLOTS }, () => failure(p.run({ kind: 'libuv', ms: 60_000 })));
    expect((await Promise.all(stuck)).map((e) => e.message)).toEqual(Array(LIBUV_SLOTS).fill('timeout 400'));
    await until(() => p.stats().workers === 2);
    await expect(p.run({ kind: 'libuv', ms: 10 })).resolves.toBe(1);
  });

  it('close() while threads are still warming: ready() settles instead of hanging', async () => {
    const p = unstarted({ config: { warmMs: 5_000 }, workers: 2 });
    const ready = p.ready().then(
      () => 'resolved',
      () => 'rejected',
    );
    await new Promise((r) => setTimeout(r, 200));
    await p.close();
    expect(await ready).toBe('rejected');
  });

  it('ready() rejects when a thread cannot start', async () => {
    const p = unstarted({ script: { nextTo: import.meta.url, name: '../helpers/no-such-worker' } });
    await expect(p.ready()).rejects.toThrow();
  });
});
