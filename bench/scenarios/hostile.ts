/**
 * Scenario 6, hostile images: a clean QR code (QrcodeOCR, the 600×600 PNG of scenario 2) sent at
 * a steady rate, first to an idle emulator (the baseline, same run), then while two hostile
 * uploads are kept in flight without pause: a 97 KB PNG of 1 × 50,000,000 px to
 * RecognizeHealthCodeOCR and a 21 KB PNG of 600 × 83,333 px to QrcodeOCR. Targets: the clean
 * QR's p99 ≤ 1 s and the emulator's peak RSS ≤ the baseline's + 1 GiB. Default worker counts.
 */
import { HOSTILE_SHAPES, whitePng } from '../../support/hostile-images.js';
import { qr600 } from '../lib/images.js';
import { type LoadResult, load1, runLoad, signed, sleep } from '../lib/load.js';
import { f0, measureHttp, ms, printOutcomes, printRows, withChild } from './measure.js';
import type { BenchSettings, Row, ScenarioReport } from './types.js';

/** Clean QR requests per second, and connections carrying them. */
const PROBE_RATE = 20;
const PROBE_CONNECTIONS = 2;

export async function hostile(settings: BenchSettings): Promise<ScenarioReport> {
  const before = load1();
  const qrBody = JSON.stringify({ ImageBase64: (await qr600()).toString('base64') });
  const tall = whitePng(HOSTILE_SHAPES.tall.width, HOSTILE_SHAPES.tall.height);
  const slab = whitePng(HOSTILE_SHAPES.slab.width, HOSTILE_SHAPES.slab.height);
  console.log(
    `  clean QR at ${PROBE_RATE}/s over ${PROBE_CONNECTIONS} connections for ${settings.duration} s; hostile: 1×50,000,000 PNG (${tall.length} B) to RecognizeHealthCodeOCR and 600×83,333 PNG (${slab.length} B) to QrcodeOCR, one each in flight`,
  );
  const { idle, loaded, hostileRun } = await withChild(
    'emulator.ts',
    { args: [JSON.stringify({ warm: ['barcode', 'healthCode'], env: {} })], label: 'emulator' },
    async (child) => {
      const probe = (label: string, warmup: number) =>
        measureHttp(child, {
          label,
          role: 'emulator',
          connections: PROBE_CONNECTIONS,
          overallRate: PROBE_RATE,
          requests: () => [signed(child.port!, 'QrcodeOCR', qrBody)],
          duration: settings.duration,
          warmup,
          countOutcomes: true,
        });
      const idle = await probe('clean QR, idle server (baseline)', settings.warmup);
      const hostileSeconds = settings.warmup + 2 + settings.duration + 2;
      const run = (action: string, png: Buffer): Promise<LoadResult> =>
        runLoad({
          url: child.url!,
          requests: [signed(child.port!, action, JSON.stringify({ ImageBase64: png.toString('base64') }))],
          connections: 1,
          duration: hostileSeconds,
        });
      const hostileRun = Promise.all([run('RecognizeHealthCodeOCR', tall), run('QrcodeOCR', slab)]);
      await sleep((settings.warmup + 2) * 1000);
      const loaded = await probe('clean QR, two hostile images in flight', 0);
      return { idle, loaded, hostileRun: await hostileRun };
    },
  );
  const hostileRow: Row = {
    label: 'hostile uploads (the load)',
    role: 'reference',
    connections: 2,
    count: hostileRun[0].count + hostileRun[1].count,
    durationS: hostileRun[0].durationS,
    rps: hostileRun[0].rps + hostileRun[1].rps,
    latency: hostileRun[0].latency,
    peakRssMiB: undefined,
    errors: hostileRun.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
  };
  const rows = [idle, loaded, hostileRow];
  printRows(rows);
  for (const r of rows) printOutcomes(r);
  const notes: string[] = [];
  const cleanOk = loaded.outcomes?.['QrcodeOCR/OK'] ?? 0;
  if (cleanOk === 0) notes.push('no clean QR was answered OK while the hostile images were in flight');
  const rssLimit = (idle.peakRssMiB ?? 0) + 1024;
  return {
    name: 'hostile',
    title: 'Clean QR latency and peak RSS with two hostile images in flight',
    rows,
    checks: [
      {
        name: 'clean QR p99 with two hostile images in flight',
        value: loaded.latency.p99,
        unit: 'ms',
        detail: `p50 ${ms(loaded.latency.p50)} / p99 ${ms(loaded.latency.p99)} ms (idle: p50 ${ms(idle.latency.p50)} / p99 ${ms(idle.latency.p99)} ms)`,
        target: '≤ 1000 ms',
        met: loaded.latency.p99 <= 1000,
      },
      {
        name: 'peak RSS with two hostile images in flight',
        value: loaded.peakRssMiB ?? Number.NaN,
        unit: 'MiB',
        detail: `${f0(loaded.peakRssMiB)} MiB (baseline in the same run: ${f0(idle.peakRssMiB)} MiB; limit ${f0(rssLimit)} MiB)`,
        target: '≤ baseline + 1024 MiB',
        met: loaded.peakRssMiB !== undefined && loaded.peakRssMiB <= rssLimit,
      },
    ],
    load: { before, after: load1() },
    notes,
  };
}
