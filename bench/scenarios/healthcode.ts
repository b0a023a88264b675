/**
 * Scenario 3, RecognizeHealthCodeOCR on a 1080×2340 screenshot (fixtures/healthcode), over HTTP,
 * against raw tesseract.js on the same image with the same number of workers and no HTTP
 * (bench/servers/tesseract.ts: chi_sim from @tesseract.js-data/chi_sim, local langPath, defaults
 * otherwise). Both are driven with the same number of requests in flight. No target: reported.
 * One round each (OCR runs are long); with --profile the emulator's measured run is profiled.
 */
import { HEALTH_CODE_FIXTURE, healthCodeScreenshot } from '../lib/images.js';
import { load1, sendOnce, signed } from '../lib/load.js';
import { measureHttp, measureLoop, printOutcomes, printRows, withChild } from './measure.js';
import type { BenchSettings, Row, ScenarioReport } from './types.js';

export interface HealthCodeReply {
  Response: { Name?: string; Color?: string; Error?: { Code: string } };
}

export async function healthcode(settings: BenchSettings): Promise<ScenarioReport> {
  const before = load1();
  const png = healthCodeScreenshot();
  const body = JSON.stringify({ ImageBase64: png.toString('base64') });
  console.log(
    `  image: ${HEALTH_CODE_FIXTURE}, ${png.length} B (${body.length} B request body); ${settings.ocrConnections} requests in flight`,
  );
  const rows: Row[] = [];
  const notes: string[] = [];
  const extra: Record<string, unknown> = {};
  const byWorkers = new Map<number, { raw: Row; emulator: Row }>();

  for (const workers of settings.workers) {
    console.log(`  -- ${workers} worker${workers > 1 ? 's' : ''}`);
    const raw = await withChild(
      'tesseract.ts',
      { args: [String(workers)], label: `tesseract.js ×${workers}` },
      async (child) => {
        const text = await child.call<string>('text', { image: png });
        const compact = text.replace(/\s+/g, '');
        extra[`rawText${workers}`] = compact.slice(0, 200);
        if (workers === settings.workers[0]) {
          notes.push(
            `raw tesseract.js read ${compact.length} characters of the screenshot${/健康|随申码/.test(compact) ? '' : ' (not the title: no preprocessing)'}; it is a throughput baseline, not an accuracy one`,
          );
        }
        return measureLoop(child, {
          label: 'raw tesseract.js (no HTTP)',
          role: 'baseline',
          workers,
          concurrency: settings.ocrConnections,
          image: png,
          duration: settings.ocrDuration,
          warmup: settings.warmup,
        });
      },
    );
    const emulator = await withChild(
      'emulator.ts',
      {
        args: [JSON.stringify({ warm: ['healthCode'], env: { TCOCR_OCR_WORKERS: String(workers) } })],
        label: `emulator ×${workers}`,
      },
      async (child) => {
        const reply = JSON.parse(
          (await sendOnce(child.url!, signed(child.port!, 'RecognizeHealthCodeOCR', body))).body.toString(),
        ) as HealthCodeReply;
        if (reply.Response.Error || !reply.Response.Color)
          throw new Error(`RecognizeHealthCodeOCR did not read the screenshot: ${JSON.stringify(reply)}`);
        extra.sample = reply.Response;
        return measureHttp(child, {
          label: 'emulator RecognizeHealthCodeOCR',
          role: 'emulator',
          workers,
          connections: settings.ocrConnections,
          requests: () => [signed(child.port!, 'RecognizeHealthCodeOCR', body)],
          duration: settings.ocrDuration,
          warmup: settings.warmup,
          countOutcomes: true,
          eventLoop: true,
          ...(settings.profileDir
            ? {
                profile: {
                  dir: settings.profileDir,
                  name: `healthcode-emulator-${workers}w`,
                  title: `emulator main thread, RecognizeHealthCodeOCR, ${workers} OCR worker${workers > 1 ? 's' : ''}`,
                },
              }
            : {}),
        });
      },
    );
    rows.push(raw, emulator);
    byWorkers.set(workers, { raw, emulator });
    const bad = Object.keys(emulator.outcomes ?? {}).filter((k) => k !== 'RecognizeHealthCodeOCR/OK');
    if (bad.length) notes.push(`${workers} workers: replies other than OK: ${JSON.stringify(emulator.outcomes)}`);
  }

  printRows(rows, (r) => byWorkers.get(r.workers!)?.raw);
  for (const r of rows) printOutcomes(r);
  for (const r of rows)
    if (r.eventLoop)
      console.log(
        `  ${r.label} ×${r.workers}: event-loop delay p99 ${r.eventLoop.p99.toFixed(1)} ms, max ${r.eventLoop.max.toFixed(1)} ms`,
      );
  const one = byWorkers.get(1);
  const two = byWorkers.get(2);
  if (one && two) {
    extra.scaling = { raw: two.raw.rps / one.raw.rps, emulator: two.emulator.rps / one.emulator.rps };
    console.log(
      `  scaling 1 → 2 workers: raw tesseract.js ×${(two.raw.rps / one.raw.rps).toFixed(2)}, emulator ×${(two.emulator.rps / one.emulator.rps).toFixed(2)}`,
    );
  }
  return {
    name: 'healthcode',
    title: 'RecognizeHealthCodeOCR, 1080×2340 screenshot, vs raw tesseract.js with as many workers',
    rows,
    checks: [...byWorkers].map(([workers, { raw, emulator }]) => ({
      name: `health code req/s vs raw tesseract.js, ${workers} worker${workers > 1 ? 's' : ''}`,
      value: emulator.rps / raw.rps,
      unit: 'ratio' as const,
      detail: `${emulator.rps.toFixed(2)} vs ${raw.rps.toFixed(2)} /s`,
      target: 'none (reported)',
      met: null,
    })),
    load: { before, after: load1() },
    notes,
    extra,
  };
}
