/**
 * Measuring one configuration: an HTTP server child under autocannon (`measureHttp`) or a no-HTTP
 * child running its own closed loop (`measureLoop`), each with an unmeasured warm-up first, the
 * child's peak RSS sampled during the measured window, for the emulator its reply codes, and on
 * request a CPU profile of the child's main thread over the measured window only.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Request } from 'autocannon';
import { type ProfileSummary, summariseProfile } from '../lib/cpuprofile.js';
import {
  type Child,
  type ChildOptions,
  type Latency,
  RssSampler,
  diffOutcomes,
  latencyOf,
  outcomes,
  runLoad,
  startChild,
} from '../lib/load.js';
import { table } from '../lib/stats.js';
import type { Row } from './types.js';

export interface ProfileRequest {
  /** Folder (created) and file name stem. */
  dir: string;
  name: string;
  /** Heading for the printed summary. */
  title: string;
}

async function startProfile(child: Child, profile: ProfileRequest | undefined): Promise<void> {
  if (profile) await child.call('profile-start');
}

async function stopProfile(child: Child, profile: ProfileRequest | undefined): Promise<Row['profile'] | undefined> {
  if (!profile) return undefined;
  mkdirSync(profile.dir, { recursive: true });
  const file = path.join(profile.dir, `${profile.name}.cpuprofile`);
  await child.call('profile-stop', { file });
  const summary = summariseProfile(file);
  printProfile(profile.title, file, summary);
  return {
    file,
    busyMs: summary.busyMs,
    totalMs: summary.totalMs,
    byArea: summary.byArea.slice(0, 15),
    top: summary.top.slice(0, 30),
  };
}

export interface HttpRun {
  label: string;
  role: Row['role'];
  workers?: number;
  connections: number;
  /** Built right before each run, so signatures carry a fresh timestamp. */
  requests: () => Request[];
  duration?: number;
  amount?: number;
  overallRate?: number;
  warmup: number;
  /** Read /_emulator/metrics before and after (emulator children only). */
  countOutcomes?: boolean;
  /** Measure the child's event-loop delay during the run. */
  eventLoop?: boolean;
  profile?: ProfileRequest;
}

export async function measureHttp(child: Child, run: HttpRun): Promise<Row> {
  const url = child.url!;
  if (run.warmup > 0) {
    await runLoad({
      url,
      requests: run.requests(),
      connections: run.connections,
      duration: run.warmup,
      ...(run.overallRate ? { overallRate: run.overallRate } : {}),
    });
  }
  const before = run.countOutcomes ? await outcomes(url) : undefined;
  if (run.eventLoop) await child.call('eld-start');
  await startProfile(child, run.profile);
  const sampler = new RssSampler(child.pid);
  const result = await runLoad({
    url,
    requests: run.requests(),
    connections: run.connections,
    ...(run.amount ? { amount: run.amount } : { duration: run.duration ?? 10 }),
    ...(run.overallRate ? { overallRate: run.overallRate } : {}),
  });
  const cpuMs = sampler.cpuMs();
  const otherCpuPct = sampler.otherCpuPct();
  const peakRssMiB = sampler.stop();
  const profile = await stopProfile(child, run.profile);
  const eventLoop = run.eventLoop ? await child.call<Row['eventLoop']>('eld-stop') : undefined;
  const after = before ? await outcomes(url) : undefined;
  if (profile && result.count > 0) {
    console.log(
      `  main thread busy ${((1000 * profile.busyMs) / result.count).toFixed(0)} µs per response (${result.count} responses in the profiled window)`,
    );
  }
  return {
    label: run.label,
    role: run.role,
    ...(run.workers !== undefined ? { workers: run.workers } : {}),
    connections: run.connections,
    count: result.count,
    durationS: result.durationS,
    rps: result.rps,
    latency: result.latency,
    peakRssMiB,
    errors: result.errors + result.timeouts + result.non2xx,
    ...(cpuMs !== undefined ? { cpuMs } : {}),
    ...(otherCpuPct !== undefined ? { otherCpuPct } : {}),
    clientCpuMs: result.clientCpuMs,
    samples: result.samples,
    ...(before && after ? { outcomes: diffOutcomes(before, after) } : {}),
    ...(eventLoop ? { eventLoop } : {}),
    ...(profile ? { profile } : {}),
  };
}

export interface LoopRun {
  label: string;
  role: Row['role'];
  workers?: number;
  concurrency: number;
  image: Uint8Array;
  duration: number;
  warmup: number;
  profile?: ProfileRequest;
}

interface LoopResult {
  latencies: number[];
  elapsedS: number;
  errors: number;
  firstError?: string;
}

/** The child's `run` command: a closed loop of `concurrency` callers over the same image. */
export async function measureLoop(child: Child, run: LoopRun): Promise<Row> {
  if (run.warmup > 0) await child.call('run', { image: run.image, concurrency: run.concurrency, seconds: run.warmup });
  await startProfile(child, run.profile);
  const sampler = new RssSampler(child.pid);
  const result = await child.call<LoopResult>('run', {
    image: run.image,
    concurrency: run.concurrency,
    seconds: run.duration,
  });
  const cpuMs = sampler.cpuMs();
  const otherCpuPct = sampler.otherCpuPct();
  const peakRssMiB = sampler.stop();
  const profile = await stopProfile(child, run.profile);
  if (result.firstError) console.log(`  ${run.label}: ${result.errors} errors, first: ${result.firstError}`);
  return {
    label: run.label,
    role: run.role,
    ...(run.workers !== undefined ? { workers: run.workers } : {}),
    connections: run.concurrency,
    count: result.latencies.length,
    durationS: result.elapsedS,
    rps: result.latencies.length / result.elapsedS,
    latency: latencyOf(result.latencies),
    peakRssMiB,
    errors: result.errors,
    ...(cpuMs !== undefined ? { cpuMs } : {}),
    ...(otherCpuPct !== undefined ? { otherCpuPct } : {}),
    samples: result.latencies,
    ...(profile ? { profile } : {}),
  };
}

/** Several rounds of one configuration as one row: totals, pooled latencies, each round's req/s. */
export function mergeRounds(rounds: readonly Row[]): Row {
  const first = rounds[0]!;
  if (rounds.length === 1) return { ...first, rounds: [first.rps] };
  const count = rounds.reduce((s, r) => s + r.count, 0);
  const durationS = rounds.reduce((s, r) => s + r.durationS, 0);
  const samples = rounds.flatMap((r) => r.samples ?? []);
  const outcomes: Record<string, number> = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.outcomes ?? {})) outcomes[k] = (outcomes[k] ?? 0) + v;
  const peaks = rounds.map((r) => r.peakRssMiB).filter((x): x is number => x !== undefined);
  const profiled = rounds.find((r) => r.profile);
  return {
    ...first,
    count,
    durationS,
    rps: count / durationS,
    latency: latencyOf(samples),
    peakRssMiB: peaks.length ? Math.max(...peaks) : undefined,
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    ...(rounds.every((r) => r.cpuMs !== undefined) ? { cpuMs: rounds.reduce((s, r) => s + r.cpuMs!, 0) } : {}),
    ...(rounds.every((r) => r.otherCpuPct !== undefined)
      ? { otherCpuPct: rounds.reduce((s, r) => s + r.otherCpuPct! * r.durationS, 0) / durationS }
      : {}),
    ...(rounds.every((r) => r.clientCpuMs !== undefined)
      ? { clientCpuMs: rounds.reduce((s, r) => s + r.clientCpuMs!, 0) }
      : {}),
    samples,
    rounds: rounds.map((r) => r.rps),
    ...(first.outcomes ? { outcomes } : {}),
    ...(profiled?.profile ? { profile: profiled.profile } : {}),
  };
}

/** Starts a child, runs `body`, always stops it. */
export async function withChild<T>(
  script: string,
  options: ChildOptions,
  body: (child: Child) => Promise<T>,
): Promise<T> {
  const child = await startChild(script, options);
  try {
    return await body(child);
  } finally {
    await child.stop();
  }
}

// ---- output ------------------------------------------------------------------------------------

export const f0 = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(0));
export const f1 = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1));
export const ms = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
export const ratioText = (value: number, base: number): string =>
  base > 0 ? `${((100 * value) / base).toFixed(0)}%` : '—';

/** Rows as a table; `base` maps a row to the row its req/s is compared with. */
export function printRows(rows: readonly Row[], base: (row: Row) => Row | undefined = () => undefined): void {
  const header = [
    'run',
    'workers',
    'conns',
    'requests',
    'req/s',
    'vs base',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'peak RSS MiB',
    'CPU %',
    'CPU ms/req',
    'other CPU %',
    'errors',
    'req/s by round',
  ];
  console.log(
    table(
      header,
      rows.map((r) => {
        const b = base(r);
        return [
          r.label,
          r.workers === undefined ? '—' : String(r.workers),
          String(r.connections),
          String(r.count),
          r.rps >= 100 ? f0(r.rps) : r.rps.toFixed(2),
          b && b !== r ? ratioText(r.rps, b.rps) : '',
          ms(r.latency.p50),
          ms(r.latency.p95),
          ms(r.latency.p99),
          ms(r.latency.max),
          f0(r.peakRssMiB),
          r.cpuMs === undefined ? '—' : f0((100 * r.cpuMs) / (1000 * r.durationS)),
          r.cpuMs === undefined || r.count === 0 ? '—' : ms(r.cpuMs / r.count),
          f0(r.otherCpuPct),
          String(r.errors),
          r.rounds && r.rounds.length > 1 ? r.rounds.map((x) => (x >= 100 ? f0(x) : x.toFixed(1))).join(' ') : '',
        ];
      }),
    ),
  );
}

export function printOutcomes(row: Row): void {
  if (!row.outcomes) return;
  const parts = Object.entries(row.outcomes).map(([k, v]) => `${k} ${v}`);
  console.log(`  ${row.label} replies: ${parts.join(', ') || 'none counted'}`);
}

export function latencyLine(l: Latency): string {
  return `p50 ${ms(l.p50)} ms, p95 ${ms(l.p95)} ms, p99 ${ms(l.p99)} ms`;
}

export function printProfile(name: string, file: string, summary: ProfileSummary): void {
  console.log(
    `\n  CPU profile, ${name}: ${path.relative(process.cwd(), file)} (${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s busy; shares of busy time)`,
  );
  console.log(
    table(
      ['  by package / area', 'self ms', 'share'],
      summary.byArea.slice(0, 12).map((a) => [`  ${a.area}`, f0(a.selfMs), `${a.share.toFixed(1)}%`]),
    ),
  );
  console.log(
    table(
      ['  top functions (self time)', 'where', 'self ms', 'share'],
      summary.top.slice(0, 20).map((t) => [`  ${t.name}`, t.where, f0(t.selfMs), `${t.share.toFixed(1)}%`]),
    ),
  );
}
