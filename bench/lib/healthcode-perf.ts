import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type EngineKind, openEngine } from './healthcode-engine.js';
import type { LoadedSet } from './healthcode-sets.js';

/** Latency, CPU, event-loop blocking and peak RSS of one health-code engine. */

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

export interface PerfResult {
  p50: number;
  p95: number;
  cpuMs: number;
  maxBlockMs: number;
  n: number;
  peakRssMiB?: number;
  readyMs?: number;
  rejected?: number;
  twoWorkerPerSecond?: number;
}

/**
 * Warm latency and CPU time per image on one worker (1080×2340 clean), with the event loop's
 * longest block while recognitions run (monitorEventLoopDelay at 1 ms resolution; the bench's
 * own file reading happens outside the measured windows).
 */
export async function warmPerf(engine: EngineKind, perf: LoadedSet): Promise<PerfResult> {
  const e = openEngine(engine, 1);
  await e.ready();
  const images = perf.entries.map((x) => readFileSync(join(perf.dir, x.file)));
  await e.recognize(images[0]!); // first job after ready() out of the figures
  const lat: number[] = [];
  const cpu: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  for (const bytes of images) {
    loop.enable();
    const c = process.cpuUsage();
    const t = performance.now();
    await e.recognize(bytes);
    lat.push(performance.now() - t);
    const used = process.cpuUsage(c);
    loop.disable();
    cpu.push((used.user + used.system) / 1000);
  }
  await e.close();
  return {
    p50: quantile(lat, 0.5),
    p95: quantile(lat, 0.95),
    cpuMs: quantile(cpu, 0.5),
    maxBlockMs: loop.max / 1e6,
    n: lat.length,
  };
}

/** Peak RSS with two workers and a full queue, in a fresh child process. */
export function peakRss(
  engine: EngineKind,
  perf: LoadedSet,
): Pick<PerfResult, 'peakRssMiB' | 'readyMs' | 'rejected' | 'twoWorkerPerSecond'> {
  const files = perf.entries.slice(0, 12).map((x) => join(perf.dir, x.file));
  const script = join(import.meta.dirname, '..', 'healthcode-rss.ts');
  const out = execFileSync(process.execPath, [...process.execArgv, script, engine, ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const last = out.trim().split('\n').pop()!;
  const r = JSON.parse(last) as { peakMiB: number; readyMs: number; rejected: number; perSecond: number };
  return { peakRssMiB: r.peakMiB, readyMs: r.readyMs, rejected: r.rejected, twoWorkerPerSecond: r.perSecond };
}
