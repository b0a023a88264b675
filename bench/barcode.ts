/**
 * Barcode benchmark on the shared corpora: ZXing's black-box images (../shared/corpus/barcodes, or
 * $BARCODE_CORPUS) and camera photos from other barcode projects (../shared/corpus/photos, or
 * $PHOTO_CORPUS), each scored on its own:
 *   bare    sharp → zxing-wasm with its defaults, one thread, no retries (the reference)
 *   engine  createBarcodeEngine (worker pool, preprocessing and retry passes)
 *   server  the running emulator through tencentcloud-sdk-nodejs QrcodeOCR (when src/index.ts
 *           exports startEmulator)
 * Scored with the corpus README's canonical comparison. Prints a table; writes JSON to
 * bench/results/. Requests run one at a time, image by image through every pipeline in turn (so
 * all see the same machine load); latencies are per image, not throughput.
 *
 * Environment: BARCODE_CORPUS and PHOTO_CORPUS (corpus folders), BENCH_CORPORA (`zxing,photos`:
 * which corpora; default both), BENCH_FILTER (a regular expression on file names), BENCH_SETS (`documented,all`: which format sets to
 * enable and score; default both), BENCH_PIPELINES (`bare,engine,server`), BENCH_ENGINE (the
 * engine pipeline's decoder: `zxing-cpp` (default), `zxing-js` or `zxing-cpp+zxing-js`),
 * BENCH_LIMIT (first N entries, for a quick look).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { toZxingCppFormats, fromZxingCpp, ALL_FORMATS } from '../src/engines/barcode/formats.js';
import { createBarcodeEngine } from '../src/engines/barcode/index.js';
import { DOCUMENTED_FORMATS, type BarcodeEngineName, type SymbolFormat } from '../src/engines/barcode/types.js';
import { readZxingCpp } from '../src/engines/barcode/zxing-cpp.js';
import {
  type CorpusEntry,
  type Found,
  corpusDir,
  isDocumentedEntry,
  loadManifest,
  normaliseFormat,
  photoCorpusDir,
  scoreEntry,
  tallyFormat,
} from '../support/corpus.js';
import { pct, ratio, summarise, table, type LatencySummary } from './lib/stats.js';

type Decoder = (bytes: Buffer) => Promise<Found[]>;

interface Pipeline {
  name: string;
  decoder: Decoder;
  close(): Promise<void>;
}

interface EntryResult {
  file: string;
  found: Found[];
  ms: number;
  error?: string;
}

interface FormatTally {
  entries: number;
  expected: number;
  found: number;
  wrong: number;
  falsePositives: number;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_PIXELS = 100_000_000;

// ---- pipelines -------------------------------------------------------------------------------

/** sharp → RGBA → zxing-wasm defaults: what a caller gets from the library alone. */
function barePipeline(formats: readonly SymbolFormat[]): Pipeline {
  const enabled = new Set(formats);
  const zxFormats = toZxingCppFormats(formats);
  return {
    name: 'bare',
    async decoder(bytes) {
      const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const results = await readZxingCpp({ data, width: info.width, height: info.height }, { formats: zxFormats });
      return results.flatMap((r) => {
        const m = fromZxingCpp(r.format, r.text, r.extra, enabled);
        return m === null ? [] : [m];
      });
    },
    close: async () => {},
  };
}

async function enginePipeline(formats: readonly SymbolFormat[]): Promise<Pipeline> {
  const engine = await createBarcodeEngine({
    engine: (process.env.BENCH_ENGINE ?? 'zxing-cpp') as BarcodeEngineName,
    formats,
    workers: 1,
    maxQueue: 4,
    maxPixels: MAX_PIXELS,
    timeoutMs: 60_000,
  });
  return {
    name: process.env.BENCH_ENGINE === undefined ? 'engine' : `engine:${process.env.BENCH_ENGINE}`,
    async decoder(bytes) {
      const out = await engine.decode(bytes);
      return out.symbols.map((s) => ({ format: s.format, text: s.text }));
    },
    close: () => engine.close(),
  };
}

interface Emulator {
  endpoint: string;
  credentials: { secretId: string; secretKey: string };
  close(): Promise<void>;
}

async function serverPipeline(formatsEnv: string): Promise<Pipeline | string> {
  let startEmulator:
    | ((o: { port: number; warm?: boolean; env?: Record<string, string> }) => Promise<Emulator>)
    | undefined;
  try {
    const mod = (await import('../src/index.js')) as { startEmulator?: typeof startEmulator };
    startEmulator = mod.startEmulator;
  } catch (err) {
    return `src/index.ts could not be imported (${err instanceof Error ? err.message : String(err)})`;
  }
  if (typeof startEmulator !== 'function') return 'src/index.ts does not export startEmulator';
  let emulator: Emulator;
  try {
    // warm: false — only the barcode engine is needed; it starts on the first (untimed) request.
    emulator = await startEmulator({
      port: 0,
      warm: false,
      env: {
        TCOCR_RATE_LIMITS: 'off',
        TCOCR_BARCODE_FORMATS: formatsEnv,
        TCOCR_DECODER_WORKERS: '1',
        TCOCR_MAX_IMAGE_PIXELS: String(MAX_PIXELS),
      },
    });
  } catch (err) {
    return `startEmulator failed (${err instanceof Error ? err.message : String(err)})`;
  }
  // The SDK would send requests through a lower-case http_proxy; the emulator is local.
  delete process.env.http_proxy;
  const sdk = await import('tencentcloud-sdk-nodejs');
  // CommonJS with __esModule: the namespace or its default, depending on the loader.
  const ocr = sdk.ocr ?? (sdk as unknown as { default: typeof sdk }).default.ocr;
  const client = new ocr.v20181119.Client({
    credential: emulator.credentials,
    region: 'ap-guangzhou',
    profile: { httpProfile: { protocol: 'http://', endpoint: emulator.endpoint, reqTimeout: 120 } },
  });
  return {
    name: 'server',
    async decoder(bytes) {
      try {
        const res = await client.QrcodeOCR({ ImageBase64: bytes.toString('base64') });
        return (res.CodeResults ?? []).map((c) => ({
          format: (c.TypeName ?? '').replace(/-/g, '_'),
          text: c.Url ?? '',
        }));
      } catch (err) {
        const code = (err as { code?: string }).code;
        // No symbol is an error reply in the real API.
        if (code === 'FailedOperation.ImageNoText' || code === 'FailedOperation.ImageBlur') return [];
        throw err;
      }
    },
    close: () => emulator.close(),
  };
}

// ---- running and scoring ------------------------------------------------------------------------

/**
 * Decodes every image with every pipeline, image by image (bare, engine, server for one image, then
 * the next), so all pipelines see the same machine load and the latency ratios stay fair.
 */
async function runInterleaved(
  pipelines: readonly Pipeline[],
  entries: readonly CorpusEntry[],
  images: Map<string, Buffer>,
): Promise<Map<string, EntryResult[]>> {
  const out = new Map(pipelines.map((p) => [p.name, [] as EntryResult[]]));
  // One untimed decode each so one-off start-up work does not land in the first sample.
  for (const p of pipelines) await p.decoder(images.get(entries[0]!.file)!).catch(() => []);
  for (const e of entries) {
    const bytes = images.get(e.file)!;
    for (const p of pipelines) {
      const t0 = performance.now();
      try {
        const found = await p.decoder(bytes);
        out.get(p.name)!.push({ file: e.file, found, ms: performance.now() - t0 });
      } catch (err) {
        const code = (err as { code?: string }).code;
        out.get(p.name)!.push({ file: e.file, found: [], ms: performance.now() - t0, error: code ?? String(err) });
      }
    }
  }
  return out;
}

function tally(entries: readonly CorpusEntry[], results: readonly EntryResult[]): Map<string, FormatTally> {
  const byFile = new Map(results.map((r) => [r.file, r]));
  const t = new Map<string, FormatTally>();
  for (const e of entries) {
    const r = byFile.get(e.file)!;
    const s = scoreEntry(e, r.found);
    const key = tallyFormat(e);
    const row = t.get(key) ?? { entries: 0, expected: 0, found: 0, wrong: 0, falsePositives: 0 };
    row.entries++;
    row.expected += s.expected;
    row.found += s.found;
    if (e.kind === 'negative') row.falsePositives += s.outcome === 'false-positive' ? 1 : 0;
    else row.wrong += s.wrong > 0 ? 1 : 0;
    t.set(key, row);
  }
  return t;
}

function total(t: Map<string, FormatTally>): FormatTally {
  const sum: FormatTally = { entries: 0, expected: 0, found: 0, wrong: 0, falsePositives: 0 };
  for (const r of t.values()) {
    sum.entries += r.entries;
    sum.expected += r.expected;
    sum.found += r.found;
    sum.wrong += r.wrong;
    sum.falsePositives += r.falsePositives;
  }
  return sum;
}

interface SetReport {
  corpus: string;
  set: string;
  formats: readonly SymbolFormat[];
  entries: number;
  pipelines: Record<
    string,
    { totals: FormatTally; latency: LatencySummary; errors: number; perFormat: Record<string, FormatTally> }
  >;
  skipped: Record<string, string>;
}

function printSet(report: SetReport): void {
  const names = Object.keys(report.pipelines);
  const perFormat = names.map((n) => report.pipelines[n]!.perFormat);
  const formats = [...new Set(perFormat.flatMap((p) => Object.keys(p)))].filter((f) => f !== 'NEGATIVE').sort();
  const header = ['format', 'symbols', ...names.map((n) => `${n} rate`), ...names.map((n) => `${n} wrong`)];
  const rows = formats.map((f) => {
    const first = perFormat.find((p) => p[f] !== undefined)![f]!;
    return [
      f,
      String(first.expected),
      ...perFormat.map((p) => (p[f] ? pct(p[f]!.found, p[f]!.expected) : '—')),
      ...perFormat.map((p) => String(p[f]?.wrong ?? '—')),
    ];
  });
  const totals = names.map((n) => report.pipelines[n]!.totals);
  rows.push([
    `TOTAL (${report.set})`,
    String(totals[0]!.expected),
    ...totals.map((t) => `${pct(t.found, t.expected)}`),
    ...totals.map((t) => String(t.wrong)),
  ]);
  console.log(
    `\n== ${report.corpus} corpus, ${report.set} formats enabled (${report.formats.length}), ${report.entries} images ==`,
  );
  console.log(table(header, rows));
  const base = report.pipelines[names[0]!]!;
  const summaryRows = names.map((n) => {
    const p = report.pipelines[n]!;
    return [
      n,
      `${p.totals.found}/${p.totals.expected}`,
      pct(p.totals.found, p.totals.expected),
      String(p.totals.wrong),
      `${p.totals.falsePositives}/${perFormat[0]!.NEGATIVE?.entries ?? 0}`,
      p.latency.p50.toFixed(1),
      p.latency.p95.toFixed(1),
      ratio(p.latency.p50, base.latency.p50),
      ratio(p.latency.p95, base.latency.p95),
      String(p.errors),
    ];
  });
  console.log(
    '\n' +
      table(
        [
          'pipeline',
          'found',
          'rate',
          'wrong',
          'false pos.',
          'p50 ms',
          'p95 ms',
          'p50 vs bare',
          'p95 vs bare',
          'errors',
        ],
        summaryRows,
      ),
  );
  for (const [n, why] of Object.entries(report.skipped)) console.log(`${n}: skipped — ${why}`);
}

function fail(message: string): never {
  throw new Error(message);
}

async function runSet(
  corpus: string,
  set: string,
  manifest: readonly CorpusEntry[],
  images: Map<string, Buffer>,
  wanted: ReadonlySet<string>,
  raw: Record<string, Record<string, EntryResult[]>>,
): Promise<SetReport> {
  const formats: readonly SymbolFormat[] = set === 'all' ? ALL_FORMATS : DOCUMENTED_FORMATS;
  const entries = set === 'all' ? manifest : manifest.filter(isDocumentedEntry);
  const report: SetReport = { corpus, set, formats, entries: entries.length, pipelines: {}, skipped: {} };
  const key = `${corpus}/${set}`;
  raw[key] = {};
  const makers: [string, () => Promise<Pipeline | string>][] = [
    ['bare', async () => barePipeline(formats)],
    ['engine', () => enginePipeline(formats)],
    ['server', () => serverPipeline(set === 'all' ? 'all' : 'documented')],
  ];
  const pipelines: Pipeline[] = [];
  for (const [name, make] of makers) {
    if (!wanted.has(name)) continue;
    const pipeline = await make();
    if (typeof pipeline === 'string') {
      report.skipped[name] = pipeline;
      console.log(`${name}: skipped — ${pipeline}`);
    } else pipelines.push(pipeline);
  }
  if (entries.length === 0) return report;
  process.stdout.write(`${key}: ${pipelines.map((p) => p.name).join(', ')} on ${entries.length} images… `);
  const t0 = performance.now();
  const results = await runInterleaved(pipelines, entries, images);
  for (const p of pipelines) await p.close();
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const [name, rs] of results) {
    const perFormat = tally(entries, rs);
    report.pipelines[name] = {
      totals: total(perFormat),
      latency: summarise(rs.map((r) => r.ms)),
      errors: rs.filter((r) => r.error !== undefined).length,
      perFormat: Object.fromEntries(perFormat),
    };
    raw[key]![name] = rs;
  }
  return report;
}

const CORPORA: Record<string, () => string> = { zxing: corpusDir, photos: photoCorpusDir };

async function main(): Promise<void> {
  const limit = Number(process.env.BENCH_LIMIT ?? 0);
  const filter = process.env.BENCH_FILTER === undefined ? null : new RegExp(process.env.BENCH_FILTER);
  const corpora = (process.env.BENCH_CORPORA ?? 'zxing,photos').split(',').filter(Boolean);
  const sets = (process.env.BENCH_SETS ?? 'documented,all').split(',').filter(Boolean);
  const wanted = new Set((process.env.BENCH_PIPELINES ?? 'bare,engine,server').split(','));
  const reports: SetReport[] = [];
  const raw: Record<string, Record<string, EntryResult[]>> = {};
  for (const corpus of corpora) {
    const dir = CORPORA[corpus]?.() ?? fail(`unknown corpus ${corpus} (${Object.keys(CORPORA).join(', ')})`);
    let manifest = await loadManifest(dir);
    if (filter !== null) manifest = manifest.filter((e) => filter.test(e.file));
    if (limit > 0) manifest = manifest.slice(0, limit);
    const images = new Map<string, Buffer>();
    for (const e of manifest) images.set(e.file, await readFile(path.join(dir, e.file)));
    console.log(`corpus ${dir}: ${manifest.length} images`);
    for (const set of sets) {
      const report = await runSet(corpus, set, manifest, images, wanted, raw);
      reports.push(report);
    }
  }
  for (const r of reports) if (Object.keys(r.pipelines).length > 0) printSet(r);

  const outDir = path.join(repoRoot, 'bench', 'results');
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `barcode-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        corpora: Object.fromEntries(corpora.map((c) => [c, CORPORA[c]!()])),
        node: process.version,
        reports,
        results: Object.fromEntries(
          Object.entries(raw).map(([set, byPipeline]) => [
            set,
            Object.fromEntries(
              Object.entries(byPipeline).map(([name, rs]) => [
                name,
                rs.map((r) => ({
                  ...r,
                  ms: Math.round(r.ms * 10) / 10,
                  found: r.found.map((f) => ({ ...f, format: normaliseFormat(f.format) })),
                })),
              ]),
            ),
          ]),
        ),
      },
      null,
      1,
    ),
  );
  console.log(`\nJSON: ${path.relative(process.cwd(), file)}`);
}

await main();
