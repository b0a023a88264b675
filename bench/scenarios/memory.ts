/**
 * Scenario 5, memory: mixed QrcodeOCR traffic (valid 600×600 QR codes, invalid parameters, ~2 MB
 * base64 uploads, broken images). After a warm-up of the same mix, a full GC in the emulator child
 * (--expose-gc, over IPC) and its RSS; then the measured requests in five equal parts, each
 * followed by a GC and the RSS. Target: the RSS after the last GC within 10 % of the RSS after
 * the warm-up (no leak). The per-part figures and their least-squares slope show the trend.
 */
import { readFileSync } from 'node:fs';
import type { Request } from 'autocannon';
import { largeQrPng, notAnImage, qr600, truncatedPng } from '../lib/images.js';
import { type Child, RssSampler, diffOutcomes, load1, outcomes, runLoad, signed } from '../lib/load.js';
import { f0, f1, withChild } from './measure.js';
import { table } from '../lib/stats.js';
import type { BenchSettings, Row, ScenarioReport } from './types.js';

interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface Sample {
  after: string;
  requests: number;
  rssMiB: number;
  /** RSS by kind of mapping (/proc/<pid>/smaps), MiB. */
  map?: MemoryMap;
  heapUsedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
}

const MiB = 2 ** 20;

/**
 * Resident memory of a process by kind of mapping, from /proc/<pid>/smaps: the brk heap (glibc's
 * main arena: the main thread's malloc), other anonymous mappings (V8 heaps of every thread,
 * WebAssembly memories, glibc's per-thread arenas: the worker threads' and libvips' malloc) and
 * file-backed ones (code, data).
 */
interface MemoryMap {
  brkHeap: number;
  otherAnon: number;
  files: number;
}

function memoryMap(pid: number): MemoryMap | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'latin1');
  } catch {
    return undefined;
  }
  const out: MemoryMap = { brkHeap: 0, otherAnon: 0, files: 0 };
  let kind: keyof MemoryMap = 'otherAnon';
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[3]!.trim();
      kind = name === '[heap]' ? 'brkHeap' : name.startsWith('/') ? 'files' : 'otherAnon';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] += Number(rss[1]) / 1024;
  }
  return out;
}

/** One cycle of 20 requests: 8 valid, 8 invalid parameters, 2 large, 2 broken. */
function mix(port: number, images: { qr: Buffer; large: Buffer; broken: Buffer; garbage: Buffer }): Request[] {
  const image = (bytes: Buffer) => JSON.stringify({ ImageBase64: bytes.toString('base64') });
  const valid = signed(port, 'QrcodeOCR', image(images.qr));
  const unknown = signed(port, 'QrcodeOCR', '{"NotAParameter":"x"}');
  const wrongType = signed(port, 'QrcodeOCR', '{"ImageBase64":12345}');
  const large = signed(port, 'QrcodeOCR', image(images.large));
  const broken = signed(port, 'QrcodeOCR', image(images.broken));
  const garbage = signed(port, 'QrcodeOCR', image(images.garbage));
  return [
    valid,
    unknown,
    valid,
    wrongType,
    large,
    valid,
    unknown,
    broken,
    valid,
    wrongType,
    valid,
    unknown,
    valid,
    wrongType,
    large,
    valid,
    unknown,
    garbage,
    valid,
    wrongType,
  ];
}

export async function memory(settings: BenchSettings): Promise<ScenarioReport> {
  const before = load1();
  const qr = await qr600();
  const large = await largeQrPng();
  const images = { qr, large, broken: truncatedPng(qr), garbage: notAnImage() };
  const parts = 5;
  const perPart = Math.ceil(settings.memoryRequests / parts);
  // Native allocators (glibc arenas of the decoder and libvips threads) keep growing for a while
  // after the first large images: a warm-up of 40 % of the measured requests reaches their plateau.
  const warmupRequests = Math.max(400, Math.round(settings.memoryRequests * 0.4));
  console.log(
    `  mix of 20: 8 valid 600×600 QR, 4 UnknownParameter, 4 InvalidParameter, 2 large (${(large.length / MiB).toFixed(2)} MB PNG, ${(
      (large.length * 4) / 3 / MiB
    ).toFixed(2)} MB base64), 1 truncated PNG, 1 non-image; ${settings.connections} connections`,
  );
  console.log(`  warm-up ${warmupRequests} requests, then ${parts} × ${perPart}, a GC after each`);
  const extra: Record<string, unknown> = {};
  const notes: string[] = [];

  const result = await withChild(
    'emulator.ts',
    { args: [JSON.stringify({ warm: ['barcode'] })], label: 'emulator' },
    async (child: Child) => {
      const samples: Sample[] = [];
      const record = async (after: string, requests: number) => {
        const m = await child.call<MemoryUsage>('gc');
        // RSS from /proc after the GC (the same figure process.memoryUsage().rss reports).
        const rss = child.rss() ?? m.rss;
        const map = memoryMap(child.pid);
        const s = {
          after,
          requests,
          rssMiB: rss / MiB,
          heapUsedMiB: m.heapUsed / MiB,
          externalMiB: m.external / MiB,
          arrayBuffersMiB: m.arrayBuffers / MiB,
          ...(map ? { map } : {}),
        };
        samples.push(s);
        return s;
      };
      await record('start (engines warm)', 0);
      await runLoad({
        url: child.url!,
        requests: mix(child.port!, images),
        connections: settings.connections,
        amount: warmupRequests,
      });
      await record('warm-up', 0);
      const first = await outcomes(child.url!);
      const sampler = new RssSampler(child.pid);
      let done = 0;
      let seconds = 0;
      let errors = 0;
      for (let part = 1; part <= parts; part++) {
        // Fresh signatures for every part (a signature is valid for 300 s).
        const r = await runLoad({
          url: child.url!,
          requests: mix(child.port!, images),
          connections: settings.connections,
          amount: perPart,
        });
        done += r.count;
        seconds += r.durationS;
        errors += r.errors + r.timeouts + r.non2xx;
        await record(`part ${part}`, done);
      }
      const otherCpuPct = sampler.otherCpuPct();
      const peakRssMiB = sampler.stop();
      const replies = diffOutcomes(first, await outcomes(child.url!));
      return { samples, peakRssMiB, done, seconds, errors, replies, otherCpuPct };
    },
  );

  const { samples, peakRssMiB, done, seconds, errors, replies, otherCpuPct } = result;
  console.log(
    table(
      ['after', 'requests', 'RSS MiB', 'heap used MiB', 'external MiB', 'brk heap', 'other anon', 'files'],
      samples.map((s) => [
        s.after,
        String(s.requests),
        f1(s.rssMiB),
        f1(s.heapUsedMiB),
        f1(s.externalMiB),
        f1(s.map?.brkHeap),
        f1(s.map?.otherAnon),
        f1(s.map?.files),
      ]),
    ),
  );
  console.log(
    "  (heap used / external: the main thread's V8 heap after GC; the last three: RSS by mapping, /proc/<pid>/smaps, all threads)",
  );
  console.log(
    `  ${done} requests in ${seconds.toFixed(1)} s (${f0(done / seconds)}/s), ${errors} transport errors; peak RSS ${f0(peakRssMiB)} MiB`,
  );
  console.log(
    `  replies: ${Object.entries(replies)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const warm = samples.find((s) => s.after === 'warm-up')!;
  const last = samples[samples.length - 1]!;
  const ratio = last.rssMiB / warm.rssMiB;
  // Least-squares slope of RSS over the measured parts: a leak grows steadily, allocator noise does not.
  const measured = samples.filter((s) => s.after.startsWith('part'));
  const mx = measured.reduce((a, s) => a + s.requests, 0) / measured.length;
  const my = measured.reduce((a, s) => a + s.rssMiB, 0) / measured.length;
  const slope =
    measured.reduce((a, s) => a + (s.requests - mx) * (s.rssMiB - my), 0) /
    measured.reduce((a, s) => a + (s.requests - mx) ** 2, 0);
  console.log(
    `  RSS trend over the parts: ${(slope * 1000).toFixed(1)} MiB per 1000 requests; other processes used ${f0(otherCpuPct)}% of a core`,
  );
  extra.samples = samples;
  extra.rssSlopeMiBPer1000 = slope * 1000;
  extra.replies = replies;
  const row: Row = {
    label: 'emulator, mixed QrcodeOCR',
    role: 'emulator',
    connections: settings.connections,
    count: done,
    durationS: seconds,
    rps: done / seconds,
    latency: { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN },
    peakRssMiB,
    errors,
    outcomes: replies,
    ...(otherCpuPct !== undefined ? { otherCpuPct } : {}),
  };
  return {
    name: 'memory',
    title: `Memory: ${done} mixed requests, RSS after a full GC vs after warm-up`,
    rows: [row],
    checks: [
      {
        name: `RSS after ${done} mixed requests vs after warm-up`,
        value: ratio,
        unit: 'ratio',
        detail: `${f1(last.rssMiB)} vs ${f1(warm.rssMiB)} MiB (peak ${f0(peakRssMiB)}, trend ${(slope * 1000).toFixed(1)} MiB/1000 req)`,
        target: '≤ 110%',
        met: ratio <= 1.1,
      },
    ],
    load: { before, after: load1() },
    notes,
    extra,
  };
}
