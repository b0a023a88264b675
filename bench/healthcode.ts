/**
 * RecognizeHealthCodeOCR engine benchmark (`npm run bench:healthcode`).
 *
 * Renders two sets of synthetic screenshots into bench/results/healthcode/ (gitignored):
 *   train    – the layouts the field extraction was written against, seed 1001;
 *   held-out – layouts it was NOT written against (other label wording and order), seed 7007
 *              (seeds 2002, 3003, 4004, 5005 and 6006 served during development and are no
 *              longer held out; see docs/health-code.md).
 * Each screenshot in three variants: clean PNG, JPEG q60, 50 % downscale. Then prints
 *   - per-field exact-match accuracy per set and variant, next to a baseline in the same run:
 *     the same images through raw tesseract.js with default settings (chi_sim, same data,
 *     PSM auto, no preprocessing) and the same field extraction;
 *   - warm latency p50/p95 (all images and 1080×2340 only), cold latency (new engine → first
 *     answer), peak RSS with a full queue, throughput with 1 vs 2 workers.
 *
 *   tsx bench/healthcode.ts [--per N] [--held-out-per N] [--baseline-per N] [--regen] [--quick] [--perf-only]
 *                           [--train-seed N] [--held-out-seed N] [--sets train,held-out] [--variants clean,jpeg60,half]
 *                           [--no-baseline] [--no-perf]
 *
 * --perf-only skips accuracy and the baseline: warm latency (1080×2340), cold start, throughput,
 * RSS (for a quiet moment on a shared machine). --train-seed / --held-out-seed render other
 * screenshots of the same layouts (a seed used during development is no longer held out);
 * --sets and --variants restrict the accuracy pass; --no-baseline and --no-perf skip those parts.
 */
import '../fixtures/healthcode/fontconfig.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Tesseract from 'tesseract.js';
import { HELD_OUT_LAYOUTS, TRAINING_LAYOUTS } from '../fixtures/healthcode/layouts.js';
import { type ManifestEntry, VARIANTS, type Variant, planFor, writeSet } from '../fixtures/healthcode/render.js';
import { extractFields } from '../src/engines/health-code/extract.js';
import { createHealthCodeEngine } from '../src/engines/health-code/index.js';
import { parseTsv } from '../src/engines/health-code/ocr-words.js';
import { languageDataPath } from '../src/engines/health-code/tesseract.js';
import { HEALTH_CODE_FIELDS, type HealthCodeFields } from '../src/engines/health-code/types.js';

const argv = process.argv.slice(2);
const num = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const quick = argv.includes('--quick');
const perfOnly = argv.includes('--perf-only');
const PER = num('per', quick ? 1 : 4);
const HELD_OUT_PER = num('held-out-per', quick ? 2 : 8);
const BASELINE_PER = num('baseline-per', quick ? 1 : 2);
const list = (name: string): string[] | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]!.split(',') : undefined;
};
const ONLY_SETS = list('sets');
const ONLY_VARIANTS = list('variants') as Variant[] | undefined;
const RUN_VARIANTS = VARIANTS.filter((v) => !ONLY_VARIANTS || ONLY_VARIANTS.includes(v));
const NO_BASELINE = argv.includes('--no-baseline');
const NO_PERF = argv.includes('--no-perf');
const OUT = join(import.meta.dirname, 'results', 'healthcode');

interface SetSpec {
  name: string;
  layouts: string[];
  seed: number;
  per: number;
}
const SETS: SetSpec[] = [
  { name: 'train', layouts: Object.keys(TRAINING_LAYOUTS), seed: num('train-seed', 1001), per: PER },
  { name: 'held-out', layouts: Object.keys(HELD_OUT_LAYOUTS), seed: num('held-out-seed', 7007), per: HELD_OUT_PER },
].filter((spec) => perfOnly || !ONLY_SETS || ONLY_SETS.includes(spec.name));

async function loadSet(spec: SetSpec): Promise<{ dir: string; entries: ManifestEntry[] }> {
  const dir = join(OUT, `${spec.name}-s${spec.seed}-p${spec.per}`);
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest) && !argv.includes('--regen')) return { dir, entries: JSON.parse(readFileSync(manifest, 'utf8')) };
  process.stdout.write(`rendering ${spec.name} set (${spec.layouts.length} layouts × ${spec.per}) … `);
  const entries = await writeSet(dir, planFor(spec.layouts, spec.seed, spec.per, VARIANTS));
  console.log(`${entries.length} images`);
  return { dir, entries };
}

const pct = (ok: number, n: number) => (n ? `${((100 * ok) / n).toFixed(1)}%` : '–');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};
const ms = (x: number) => `${Math.round(x)} ms`;

interface Scored {
  ok: Record<string, number>;
  n: number;
}
function score(acc: Scored, got: HealthCodeFields, want: HealthCodeFields): string[] {
  acc.n++;
  const wrong: string[] = [];
  for (const f of HEALTH_CODE_FIELDS) {
    if (got[f] === want[f]) acc.ok[f] = (acc.ok[f] ?? 0) + 1;
    else wrong.push(`${f}: ${JSON.stringify(got[f])} ≠ ${JSON.stringify(want[f])}`);
  }
  return wrong;
}

function table(title: string, rows: [string, Scored][]): void {
  console.log(`\n${title}`);
  const head = ['set/variant'.padEnd(26), ...HEALTH_CODE_FIELDS.map((f) => f.slice(0, 12).padStart(13))].join('');
  console.log(head);
  for (const [name, s] of rows) {
    console.log([`${name} (n=${s.n})`.padEnd(26), ...HEALTH_CODE_FIELDS.map((f) => pct(s.ok[f] ?? 0, s.n).padStart(13))].join(''));
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  console.log(`health-code bench · node ${process.version} · load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const sets = await Promise.all(SETS.map(async (spec) => ({ spec, ...(await loadSet(spec)) })));
  const results: Record<string, unknown> = { date: new Date().toISOString(), loadavg: loadavg() };

  if (perfOnly) {
    await perf(sets, results);
    return;
  }

  // ---- accuracy and warm latency, one worker ------------------------------------------------
  const engine = createHealthCodeEngine({ workers: 1, maxQueue: 64, maxPixels: 40_000_000, timeoutMs: 60_000 });
  await engine.ready();
  const accuracy: [string, Scored][] = [];
  const latency: number[] = [];
  const latencyTall: number[] = [];
  const cpuTall: number[] = [];
  const failures: string[] = [];
  for (const { spec, dir, entries } of sets) {
    for (const variant of RUN_VARIANTS) {
      const acc: Scored = { ok: {}, n: 0 };
      for (const e of entries.filter((x) => x.variant === variant)) {
        const bytes = readFileSync(join(dir, e.file));
        const c = process.cpuUsage();
        const t = performance.now();
        let got: HealthCodeFields;
        try {
          got = await engine.recognize(bytes);
        } catch (err) {
          got = Object.fromEntries(HEALTH_CODE_FIELDS.map((f) => [f, `<${(err as { code?: string }).code ?? err}>`])) as HealthCodeFields;
        }
        const dt = performance.now() - t;
        const used = process.cpuUsage(c);
        latency.push(dt);
        if (e.size === '1080x2340' && variant === 'clean') {
          latencyTall.push(dt);
          cpuTall.push((used.user + used.system) / 1000);
        }
        const wrong = score(acc, got, e.truth);
        if (wrong.length) failures.push(`${spec.name} ${e.file}: ${wrong.join('; ')}`);
      }
      accuracy.push([`${spec.name}/${variant}`, acc]);
    }
  }
  await engine.close();
  table('Engine accuracy (exact match per field)', accuracy);
  writeFileSync(join(OUT, 'failures.txt'), failures.join('\n') + '\n');
  console.log(`(${failures.length} screenshots with at least one wrong field: bench/results/healthcode/failures.txt)`);
  console.log(`\nWarm latency, 1 worker: all images p50 ${ms(quantile(latency, 0.5))} p95 ${ms(quantile(latency, 0.95))} (n=${latency.length});`);
  console.log(`  1080×2340 clean p50 ${ms(quantile(latencyTall, 0.5))} p95 ${ms(quantile(latencyTall, 0.95))} (n=${latencyTall.length}); CPU time per screenshot p50 ${ms(quantile(cpuTall, 0.5))} p95 ${ms(quantile(cpuTall, 0.95))}`);
  results.accuracy = Object.fromEntries(accuracy.map(([k, s]) => [k, { n: s.n, ...Object.fromEntries(HEALTH_CODE_FIELDS.map((f) => [f, (s.ok[f] ?? 0) / s.n])) }]));
  results.warm = { p50: quantile(latency, 0.5), p95: quantile(latency, 0.95), tallP50: quantile(latencyTall, 0.5), tallP95: quantile(latencyTall, 0.95), tallCpuP50: quantile(cpuTall, 0.5), tallCpuP95: quantile(cpuTall, 0.95) };

  if (!NO_BASELINE) await baseline(sets, results);
  if (!NO_PERF) await perf(sets, results);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nresults: bench/results/healthcode/results.json');
}

type LoadedSet = { spec: SetSpec; dir: string; entries: ManifestEntry[] };

/** Peak RSS of this process while 2 workers run and a full queue (16) of 1080×2340 screenshots waits. */
async function peakRss(jobs: Buffer[], results: Record<string, unknown>): Promise<void> {
  const maxQueue = 16;
  const full = createHealthCodeEngine({ workers: 2, maxQueue, maxPixels: 40_000_000, timeoutMs: 60_000 });
  await full.ready();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const burst = Array.from({ length: 2 + maxQueue + 4 }, (_, i) => full.recognize(jobs[i % jobs.length]!).then(() => 'ok', (err) => (err as { code?: string }).code ?? 'error'));
  const outcomes = await Promise.all(burst);
  clearInterval(sampler);
  await full.close();
  const rejected = outcomes.filter((o) => o === 'RequestLimitExceeded').length;
  console.log(`Peak RSS (process), 2 workers + full queue (${maxQueue}) of 1080×2340: ${(peak / 2 ** 20).toFixed(0)} MiB; ${rejected} of ${burst.length} rejected with RequestLimitExceeded`);
  results.peakRssMiB = peak / 2 ** 20;
  results.queueRejected = rejected;
}

async function baseline(sets: LoadedSet[], results: Record<string, unknown>): Promise<void> {
  // ---- baseline: raw tesseract.js, default settings -----------------------------------------
  const base = await Tesseract.createWorker('chi_sim', undefined, { langPath: languageDataPath(), cacheMethod: 'none', gzip: true });
  await base.setParameters({ debug_file: '/dev/null' }); // silences tesseract's stdout chatter only
  const baseAcc: [string, Scored][] = [];
  const baseLatency: number[] = [];
  for (const { spec, dir, entries } of sets) {
    const chosen = new Set<string>();
    const perLayout = new Map<string, number>();
    for (const e of entries.filter((x) => x.variant === 'clean')) {
      const k = perLayout.get(e.layout) ?? 0;
      if (k < BASELINE_PER) chosen.add(`${e.layout}-${e.size}-${e.seed}`);
      perLayout.set(e.layout, k + 1);
    }
    for (const variant of RUN_VARIANTS) {
      const acc: Scored = { ok: {}, n: 0 };
      for (const e of entries.filter((x) => x.variant === variant && chosen.has(`${x.layout}-${x.size}-${x.seed}`))) {
        const t = performance.now();
        const r = await base.recognize(readFileSync(join(dir, e.file)), {}, { text: false, tsv: true });
        baseLatency.push(performance.now() - t);
        score(acc, extractFields(parseTsv(r.data.tsv ?? '')), e.truth);
      }
      baseAcc.push([`${spec.name}/${variant}`, acc]);
    }
  }
  await base.terminate();
  table(`Baseline: raw tesseract.js defaults (chi_sim ${languageDataPath().split('/').pop()}, PSM auto, no preprocessing, no colour), same extraction, ${BASELINE_PER} per layout`, baseAcc);
  console.log(`Baseline latency p50 ${ms(quantile(baseLatency, 0.5))} p95 ${ms(quantile(baseLatency, 0.95))} (n=${baseLatency.length})`);
  results.baseline = Object.fromEntries(baseAcc.map(([k, s]) => [k, { n: s.n, ...Object.fromEntries(HEALTH_CODE_FIELDS.map((f) => [f, (s.ok[f] ?? 0) / s.n])) }]));
  results.baselineLatency = { p50: quantile(baseLatency, 0.5), p95: quantile(baseLatency, 0.95) };
}

async function perf(sets: LoadedSet[], results: Record<string, unknown>): Promise<void> {
  // Peak RSS first, before other engines in this process have grown its allocators: with
  // --perf-only that is a fresh process, as a started emulator is.
  const tallForRss = sets[0]!.entries.filter((e) => e.size === '1080x2340' && e.variant === 'clean');
  await peakRss(tallForRss.slice(0, 12).map((e) => readFileSync(join(sets[0]!.dir, e.file))), results);
  if (perfOnly) {
    // Warm latency on 1080×2340 screenshots only.
    const engine = createHealthCodeEngine({ workers: 1, maxQueue: 64, maxPixels: 40_000_000, timeoutMs: 60_000 });
    await engine.ready();
    const lat: number[] = [];
    const cpu: number[] = [];
    for (const e of sets[0]!.entries.filter((x) => x.size === '1080x2340' && x.variant === 'clean')) {
      const bytes = readFileSync(join(sets[0]!.dir, e.file));
      const c = process.cpuUsage();
      const t = performance.now();
      await engine.recognize(bytes);
      lat.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    await engine.close();
    console.log(`Warm latency, 1 worker, 1080×2340 clean: p50 ${ms(quantile(lat, 0.5))} p95 ${ms(quantile(lat, 0.95))} (n=${lat.length})`);
    console.log(`  CPU time per screenshot (all threads of the process; what one free core needs): p50 ${ms(quantile(cpu, 0.5))} p95 ${ms(quantile(cpu, 0.95))}`);
    results.warmTall = { p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), cpuP50: quantile(cpu, 0.5), cpuP95: quantile(cpu, 0.95) };
  }
  // ---- cold latency: new engine → first answer ----------------------------------------------
  const tall = sets[0]!.entries.filter((e) => e.size === '1080x2340' && e.variant === 'clean');
  const cold: number[] = [];
  const coldReady: number[] = [];
  for (let i = 0; i < (quick ? 2 : 4); i++) {
    const e = tall[i % tall.length]!;
    const bytes = readFileSync(join(sets[0]!.dir, e.file));
    const t = performance.now();
    const fresh = createHealthCodeEngine({ workers: 1, maxQueue: 4, maxPixels: 40_000_000, timeoutMs: 60_000 });
    await fresh.ready();
    coldReady.push(performance.now() - t);
    await fresh.recognize(bytes);
    cold.push(performance.now() - t);
    await fresh.close();
  }
  console.log(`\nCold: ready() p50 ${ms(quantile(coldReady, 0.5))}; new engine → first answer (1080×2340) p50 ${ms(quantile(cold, 0.5))} p95 ${ms(quantile(cold, 0.95))} (n=${cold.length})`);
  results.cold = { readyP50: quantile(coldReady, 0.5), firstAnswerP50: quantile(cold, 0.5), firstAnswerP95: quantile(cold, 0.95) };

  // ---- throughput 1 vs 2 workers, peak RSS with a full queue --------------------------------
  const jobs = tall.slice(0, quick ? 6 : 12).map((e) => readFileSync(join(sets[0]!.dir, e.file)));
  const throughput: Record<number, number> = {};
  for (const workers of [1, 2]) {
    const pool = createHealthCodeEngine({ workers, maxQueue: 64, maxPixels: 40_000_000, timeoutMs: 60_000 });
    await pool.ready();
    const t = performance.now();
    await Promise.all(jobs.map((b) => pool.recognize(b)));
    throughput[workers] = jobs.length / ((performance.now() - t) / 1000);
    await pool.close();
  }
  console.log(`\nThroughput (${jobs.length} × 1080×2340 submitted at once): 1 worker ${throughput[1]!.toFixed(2)}/s, 2 workers ${throughput[2]!.toFixed(2)}/s, ratio ${(throughput[2]! / throughput[1]!).toFixed(2)}×`);
  results.throughput = { one: throughput[1], two: throughput[2], ratio: throughput[2]! / throughput[1]! };


  writeFileSync(join(OUT, perfOnly ? 'results-perf.json' : 'results.json'), JSON.stringify(results, null, 2) + '\n');
}

await main();
