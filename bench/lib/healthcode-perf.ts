import { join } from 'node:path';
import type { EngineKind } from './healthcode-engine.js';
import type { LoadedSet } from './healthcode-sets.js';
import { type Child, startChild } from './load.js';

/**
 * Latency, CPU, event-loop delay and peak RSS of one health-code engine, each measured in a fresh
 * child process started as the server is (bench/servers/healthcode-engine.ts; compiled JavaScript
 * with the server's node options unless the bench runs with --source).
 */

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

/** The idle baseline's window: about as long as sixteen pages take to read. */
export const IDLE_SECONDS = 10;

export interface PerfResult {
  p50: number;
  p95: number;
  cpuMs: number;
  maxBlockMs: number;
  /** The same child's longest delay over IDLE_SECONDS with the engine ready and idle, before the recognitions. */
  idleBlockMs: number;
  n: number;
  peakRssMiB?: number;
  readyMs?: number;
  rejected?: number;
  twoWorkerPerSecond?: number;
}

async function withEngine<T>(
  engine: EngineKind,
  args: { workers: number; maxQueue: number; rss: boolean },
  use: (child: Child, readyMs: number) => Promise<T>,
): Promise<T> {
  const child = await startChild('healthcode-engine.ts', {
    args: [engine, String(args.workers), String(args.maxQueue), ...(args.rss ? ['rss'] : [])],
    label: `${engine} engine`,
  });
  try {
    const { readyMs } = await child.call<{ readyMs: number }>('open');
    return await use(child, readyMs);
  } finally {
    await child.stop();
  }
}

/**
 * Warm latency and CPU time per image on one worker (1080×2340 clean), with the event loop's
 * longest delay while recognitions run and, as its baseline, while the ready engine is idle
 * (measured first, so no collection left over from the recognitions falls into it).
 */
export function warmPerf(engine: EngineKind, perf: LoadedSet): Promise<PerfResult> {
  const files = perf.entries.map((x) => join(perf.dir, x.file));
  return withEngine(engine, { workers: 1, maxQueue: 64, rss: false }, async (child) => {
    await child.call('eld-start');
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idle = await child.call<{ max: number }>('eld-stop');
    const r = await child.call<{ latencies: number[]; cpu: number[]; maxBlockMs: number }>('warm', { files });
    return {
      p50: quantile(r.latencies, 0.5),
      p95: quantile(r.latencies, 0.95),
      cpuMs: quantile(r.cpu, 0.5),
      maxBlockMs: r.maxBlockMs,
      idleBlockMs: idle.max,
      n: r.latencies.length,
    };
  });
}

/**
 * Two workers and a full queue: two running jobs, 16 queued and four more (rejected) at once —
 * peak RSS, ready() time, rejections and throughput.
 */
export function peakRss(
  engine: EngineKind,
  perf: LoadedSet,
): Promise<Pick<PerfResult, 'peakRssMiB' | 'readyMs' | 'rejected' | 'twoWorkerPerSecond'>> {
  const files = perf.entries.slice(0, 12).map((x) => join(perf.dir, x.file));
  const maxQueue = 16;
  return withEngine(engine, { workers: 2, maxQueue, rss: true }, async (child, readyMs) => {
    const r = await child.call<{ peakMiB: number; rejected: number; perSecond: number }>('burst', {
      files,
      jobs: 2 + maxQueue + 4,
    });
    return { peakRssMiB: r.peakMiB, readyMs, rejected: r.rejected, twoWorkerPerSecond: r.perSecond };
  });
}
