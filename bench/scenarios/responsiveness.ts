/**
 * Scenario 4, responsiveness: the cheap request of scenario 1 (signed, UnknownParameter) sent at
 * a steady rate, first to an idle emulator, then while scenario 3's RecognizeHealthCodeOCR load
 * keeps every OCR worker busy with a queue behind it. The main thread must stay free (decoding,
 * OCR and their waiting happen off it), so the cheap request's p99 stays ≤ 50 ms. The main
 * thread's event-loop delay is measured alongside. The target applies to the default worker count
 * (one per core); each count in --workers is measured too.
 */
import os from 'node:os';
import type { Request } from 'autocannon';
import { healthCodeScreenshot } from '../lib/images.js';
import { type LoadResult, load1, runLoad, signed, sleep } from '../lib/load.js';
import { measureHttp, ms, printOutcomes, printRows, withChild } from './measure.js';
import { CHEAP_BODY } from './protocol.js';
import type { BenchSettings, Row, ScenarioReport } from './types.js';

/** Cheap requests per second, and connections carrying them. */
const PROBE_RATE = 100;
const PROBE_CONNECTIONS = 2;

export async function responsiveness(settings: BenchSettings): Promise<ScenarioReport> {
  const before = load1();
  const png = healthCodeScreenshot();
  const ocrBody = JSON.stringify({ ImageBase64: png.toString('base64') });
  const notes: string[] = [];
  const extra: Record<string, unknown> = { probeRate: PROBE_RATE, probeConnections: PROBE_CONNECTIONS };
  // The target is for the default worker count (one per core); the others show how much of the
  // latency is CPU contention (OCR threads on every core) rather than work on the event loop.
  const defaultWorkers = Math.max(1, os.availableParallelism());
  const workerCounts = [...new Set([...settings.workers, defaultWorkers])].sort((a, b) => a - b);
  console.log(
    `  cheap request at ${PROBE_RATE}/s over ${PROBE_CONNECTIONS} connections for ${settings.duration} s; OCR load: ${settings.ocrConnections} RecognizeHealthCodeOCR in flight; OCR workers ${workerCounts.join(', ')} (default here: ${defaultWorkers})`,
  );

  const rows: Row[] = [];
  const pairs = new Map<number, { idle: Row; loaded: Row }>();
  for (const workers of workerCounts) {
    const result = await withChild(
      'emulator.ts',
      {
        args: [JSON.stringify({ warm: ['healthCode'], env: { TCOCR_OCR_WORKERS: String(workers) } })],
        label: `emulator ×${workers}`,
      },
      async (child) => {
        const probe = (label: string, warmup: number, name: string) =>
          measureHttp(child, {
            label,
            role: 'emulator',
            workers,
            connections: PROBE_CONNECTIONS,
            overallRate: PROBE_RATE,
            requests: () => [signed(child.port!, 'QrcodeOCR', CHEAP_BODY)],
            duration: settings.duration,
            warmup,
            countOutcomes: true,
            eventLoop: true,
            ...(settings.profileDir
              ? {
                  profile: {
                    dir: settings.profileDir,
                    name: `responsiveness-${workers}w-${name}`,
                    title: `emulator main thread, ${label}, ${workers} OCR workers`,
                  },
                }
              : {}),
          });
        const idle = await probe('cheap request, idle server', settings.warmup, 'idle');

        // The OCR load runs from before the probe starts until after it ends.
        const ocrRequests: Request[] = [signed(child.port!, 'RecognizeHealthCodeOCR', ocrBody)];
        const ocrSeconds = settings.warmup + 2 + settings.duration + 2;
        const ocr: Promise<LoadResult> = runLoad({
          url: child.url!,
          requests: ocrRequests,
          connections: settings.ocrConnections,
          duration: ocrSeconds,
        });
        await sleep((settings.warmup + 2) * 1000);
        const loaded = await probe('cheap request, OCR pool saturated', 0, 'loaded');
        const ocrResult = await ocr;
        const ocrRow: Row = {
          label: 'RecognizeHealthCodeOCR (the load)',
          role: 'reference',
          workers,
          connections: settings.ocrConnections,
          count: ocrResult.count,
          durationS: ocrResult.durationS,
          rps: ocrResult.rps,
          latency: ocrResult.latency,
          peakRssMiB: undefined,
          errors: ocrResult.errors + ocrResult.timeouts + ocrResult.non2xx,
        };
        return { idle, loaded, ocrRow };
      },
    );
    rows.push(result.idle, result.loaded, result.ocrRow);
    pairs.set(workers, result);
    const recognitions = result.loaded.outcomes?.['RecognizeHealthCodeOCR/OK'] ?? 0;
    if (result.loaded.profile && recognitions > 0) {
      // The health-code pipeline's own JavaScript (decode to pixels, QR location, OCR page, fields)
      // runs on the main thread between the OCR calls: the event loop's long tasks.
      const engineMs = result.loaded.profile.byArea
        .filter((a) => a.area.includes('engines/health-code'))
        .reduce((sum, a) => sum + a.selfMs, 0);
      const gcMs = result.loaded.profile.byArea.find((a) => a.area === '(garbage collector)')?.selfMs ?? 0;
      const line = `${workers} OCR workers: health-code code on the main thread ${(engineMs / recognitions).toFixed(0)} ms per recognition, garbage collection ${(gcMs / recognitions).toFixed(0)} ms per recognition (${recognitions} recognitions in the profiled window)`;
      console.log(`  ${line}`);
      extra[`mainThreadPerRecognition${workers}`] = {
        engineMs: engineMs / recognitions,
        gcMs: gcMs / recognitions,
        recognitions,
      };
    }
    const probeCodes = Object.keys(result.loaded.outcomes ?? {}).filter(
      (k) => k.startsWith('QrcodeOCR/') && k !== 'QrcodeOCR/UnknownParameter',
    );
    if (probeCodes.length) notes.push(`${workers} workers: unexpected cheap-request replies: ${probeCodes.join(', ')}`);
    if ((result.loaded.outcomes?.['RecognizeHealthCodeOCR/OK'] ?? 0) === 0)
      notes.push(`${workers} workers: no recognition finished during the probe: the pool was not loaded`);
  }

  printRows(rows);
  for (const r of rows) printOutcomes(r);
  for (const r of rows) {
    if (r.eventLoop)
      console.log(
        `  ${r.label}, ${r.workers} OCR workers: event-loop delay p50 ${ms(r.eventLoop.p50)} ms, p99 ${ms(r.eventLoop.p99)} ms, max ${ms(r.eventLoop.max)} ms`,
      );
  }
  return {
    name: 'responsiveness',
    title: 'Cheap request latency while the OCR pool is saturated',
    rows,
    checks: [...pairs].map(([workers, { idle, loaded }]) => ({
      name: `cheap request p99 under OCR load, ${workers} OCR worker${workers > 1 ? 's' : ''}${workers === defaultWorkers ? ' (default)' : ''}`,
      value: loaded.latency.p99,
      unit: 'ms' as const,
      detail: `p50 ${ms(loaded.latency.p50)} / p99 ${ms(loaded.latency.p99)} ms (idle: p50 ${ms(idle.latency.p50)} / p99 ${ms(idle.latency.p99)} ms)`,
      target: '≤ 50 ms',
      met: loaded.latency.p99 <= 50,
    })),
    load: { before, after: load1() },
    notes,
    extra,
  };
}
