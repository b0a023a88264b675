/**
 * RecognizeHealthCodeOCR benchmark (`npm run bench:healthcode`; not part of `npm test`).
 *
 * Runs each engine (`--engines paddle,tesseract`, default both; the engine is chosen with
 * createHealthCodeEngine's `engine` option) on the same rendered screenshots and prints them side
 * by side:
 *   - exact-match accuracy per field and variant on the held-out set (held-out layouts, faces
 *     held out or not, held-out seed; docs/health-code.md "Benchmark sets") and on the API doc's
 *     example page, with the eight main fields (all but Name and IDNumber) as one figure;
 *   - the held-out set split by face group (held-out faces vs development faces);
 *   - the `system` set: the held-out set's pages drawn in a phone's system face (HarmonyOS Sans
 *     SC), a face the engine was never developed on, as most real screenshots are drawn in one;
 *   - in fresh child processes started as the server is (compiled JavaScript, the server's node
 *     options; `--source`: from TypeScript through tsx): warm p50/p95 and CPU ms per image for
 *     1080×2340 on one worker with the event loop's longest delay during recognition, then peak
 *     RSS with two workers and a full queue, ready() time and two-worker throughput.
 * Variants: clean PNG, JPEG q60, half size, 60 % size JPEG q40, screen photo (perspective, moiré,
 * glare, blur, JPEG q40–75).
 *
 *   tsx bench/healthcode.ts [--engines paddle,tesseract] [--quick] [--sets held-out,system,demo,dev]
 *                           [--variants clean,jpeg60,half,small-q40,photo(,turned,sideways-photo)]
 *                           [--per N] [--perf-n N]
 *                           [--held-out-seed N] [--dev-seed N] [--regen] [--no-perf] [--perf-only]
 *                           [--source]
 *
 * `--sets dev` measures the development set (development layouts, faces and seed): engine work
 * looks at that set and its failures only; the held-out set's failures are not written out.
 * --quick: 2 screenshots per layout and 6 perf images (a few minutes for both engines).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { HEALTH_CODE_FIELDS, type HealthCodeFields } from '../src/engines/health-code/types.js';
import { VARIANTS, type Variant } from '../fixtures/healthcode/variants.js';
import { HELD_OUT_FACES } from '../fixtures/healthcode/split.js';
import { type EngineKind, openEngine } from './lib/healthcode-engine.js';
import { SERVER_NODE_OPTIONS } from '../src/cli/node-options.js';
import { SOURCE_MODE, buildServers } from './lib/build.js';
import { IDLE_SECONDS, type PerfResult, peakRss, warmPerf } from './lib/healthcode-perf.js';
import { type Scored, emptyScore, score, sideBySide, toJson } from './lib/healthcode-score.js';
import { type LoadedSet, OUT, loadSet } from './lib/healthcode-sets.js';
import { useServers } from './lib/load.js';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const num = (name: string) => (opt(name) === undefined ? undefined : Number(opt(name)));
const quick = argv.includes('--quick');
const perfOnly = argv.includes('--perf-only');
const ENGINES = (opt('engines') ?? 'paddle,tesseract').split(',') as EngineKind[];
const SETS = perfOnly ? [] : (opt('sets') ?? 'held-out,system,demo').split(',');
/** Sets whose failures are never written out: they judge the engine, their pages are not for engine work. */
const BLIND = new Set(['held-out', 'system']);
const RUN_VARIANTS = (opt('variants')?.split(',') as Variant[] | undefined) ?? [...VARIANTS];
const setOptions = {
  heldOutSeed: num('held-out-seed'),
  devSeed: num('dev-seed'),
  per: num('per') ?? (quick ? 2 : 8),
  perfN: num('perf-n') ?? (quick ? 6 : 16),
  variants: RUN_VARIANTS,
  regen: argv.includes('--regen'),
};

const ms = (x: number) => `${Math.round(x)} ms`;
const errorFields = (err: unknown) =>
  Object.fromEntries(
    HEALTH_CODE_FIELDS.map((f) => [f, `<${(err as { code?: string }).code ?? String(err)}>`]),
  ) as HealthCodeFields;

/** Accuracy rows of one engine on one set: per variant, and (held-out) per face group. */
async function accuracy(engine: EngineKind, set: LoadedSet, failures: string[]) {
  const e = openEngine(engine, 1);
  await e.ready();
  const byVariant = new Map<string, Scored>();
  const byFaces = new Map<string, Scored>();
  for (const entry of set.entries) {
    const bytes = readFileSync(join(set.dir, entry.file));
    let got: HealthCodeFields;
    try {
      got = await e.recognize(bytes);
    } catch (err) {
      got = errorFields(err);
    }
    const v = byVariant.get(entry.variant) ?? emptyScore();
    byVariant.set(entry.variant, v);
    const wrong = score(v, got, entry.truth);
    if (entry.face && set.name === 'held-out') {
      const group = (HELD_OUT_FACES as readonly string[]).includes(entry.face) ? 'held-out faces' : 'dev faces';
      const s = byFaces.get(group) ?? emptyScore();
      byFaces.set(group, s);
      score(s, got, entry.truth);
    }
    if (wrong.length)
      failures.push(
        `${engine} ${set.name} ${entry.file} [${entry.face ?? ''}${entry.dark ? ', dark' : ''}]: ${wrong.join('; ')}`,
      );
  }
  await e.close();
  return { byVariant, byFaces };
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  console.log(
    `health-code bench · engines ${ENGINES.join(', ')} · node ${process.version} · load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const results: Record<string, unknown> = { date: new Date().toISOString(), loadavg: loadavg(), engines: ENGINES };
  const sets: LoadedSet[] = [];
  for (const name of SETS) sets.push(await loadSet(name, setOptions));

  const variantRows: { row: string; engine: string; s: Scored }[] = [];
  const faceRows: { row: string; engine: string; s: Scored }[] = [];
  const failures: string[] = [];
  for (const set of sets) {
    for (const engine of ENGINES) {
      const t = performance.now();
      const { byVariant, byFaces } = await accuracy(engine, set, BLIND.has(set.name) ? [] : failures);
      console.log(
        `  ${engine} on ${set.name}: ${set.entries.length} images in ${((performance.now() - t) / 1000).toFixed(0)} s`,
      );
      for (const [variant, s] of byVariant) variantRows.push({ row: `${set.name}/${variant}`, engine, s });
      for (const [group, s] of byFaces) faceRows.push({ row: `held-out/${group}`, engine, s });
    }
  }
  if (variantRows.length) {
    variantRows.sort((a, b) => a.row.localeCompare(b.row) || a.engine.localeCompare(b.engine));
    console.log(
      sideBySide(
        'Accuracy, exact match per field (%); main8 = the eight fields other than Name and IDNumber',
        variantRows,
      ),
    );
    if (faceRows.length)
      console.log(
        sideBySide(
          'Held-out set by face group, every variant (%)',
          faceRows.sort((a, b) => a.row.localeCompare(b.row)),
        ),
      );
    results.accuracy = variantRows.map(({ row, engine, s }) => ({ row, engine, ...toJson(s) }));
    results.byFaces = faceRows.map(({ row, engine, s }) => ({ row, engine, ...toJson(s) }));
    writeFileSync(join(OUT, 'failures.txt'), `${failures.join('\n')}\n`);
    console.log(
      `(${failures.length} screenshots of the dev and demo sets with a wrong field: bench/results/healthcode/failures.txt; held-out and system failures are not written)`,
    );
  }

  if (!argv.includes('--no-perf')) {
    const perf = await loadSet('perf', { ...setOptions, variants: ['clean'] });
    const perfResults: Record<string, PerfResult> = {};
    const servers = argv.includes('--source') ? SOURCE_MODE : buildServers();
    useServers(servers);
    for (const engine of ENGINES)
      perfResults[engine] = { ...(await warmPerf(engine, perf)), ...(await peakRss(engine, perf)) };
    console.log(
      `\nPerformance, 1080×2340 clean, each part in a fresh child process (warm: one worker, n=${perf.entries.length}; RSS: 2 workers, 2 running + 16 queued + 4 rejected)`,
    );
    console.log(
      `children: ${servers.kind === 'source' ? 'TypeScript through tsx (--source)' : 'compiled JavaScript'}, node ${SERVER_NODE_OPTIONS.join(' ')}; "loop idle": the same child's longest event-loop delay over ${IDLE_SECONDS} s with the engine ready and idle, before the recognitions`,
    );
    console.log(
      [
        'engine'.padEnd(10),
        'p50'.padStart(8),
        'p95'.padStart(8),
        'CPU/img'.padStart(9),
        'loop max'.padStart(10),
        'loop idle'.padStart(10),
        'peak RSS'.padStart(10),
        'ready'.padStart(8),
        '2w img/s'.padStart(9),
      ].join(''),
    );
    for (const [engine, p] of Object.entries(perfResults)) {
      console.log(
        [
          engine.padEnd(10),
          ms(p.p50).padStart(8),
          ms(p.p95).padStart(8),
          ms(p.cpuMs).padStart(9),
          `${p.maxBlockMs.toFixed(1)} ms`.padStart(10),
          `${p.idleBlockMs.toFixed(1)} ms`.padStart(10),
          `${Math.round(p.peakRssMiB ?? NaN)} MiB`.padStart(10),
          ms(p.readyMs ?? NaN).padStart(8),
          (p.twoWorkerPerSecond ?? NaN).toFixed(2).padStart(9),
        ].join(''),
      );
    }
    results.perf = perfResults;
  }
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nresults: bench/results/healthcode/results.json');
}

await main();
