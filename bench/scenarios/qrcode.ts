/**
 * Scenario 2, QrcodeOCR: a 600×600 PNG with one QR code, over HTTP (autocannon, TC3-signed,
 * ImageBase64), against the bare decoder with the same number of worker threads and no HTTP:
 * sharp decode + the same zxing-wasm reader in a piscina pool (bench/servers/decoder-worker.ts),
 * driven by a closed loop with as many callers as autocannon has connections. A third row,
 * createBarcodeEngine alone (no HTTP), splits the gap into engine and server parts.
 * Target: the emulator ≥ 80 % of the bare decoder's throughput, for each worker count. Rounds
 * alternate the three so drifting machine load hits all of them.
 */
import sharp from 'sharp';
import { qr600 } from '../lib/images.js';
import { type Child, load1, sendOnce, signed, startChild } from '../lib/load.js';
import { table } from '../lib/stats.js';
import {
  type ProfileRequest,
  measureHttp,
  measureLoop,
  mergeRounds,
  printOutcomes,
  printRows,
  withChild,
} from './measure.js';
import type { BenchSettings, Check, Row, ScenarioReport } from './types.js';

export async function qrcode(settings: BenchSettings): Promise<ScenarioReport> {
  const before = load1();
  const png = await qr600();
  const body = JSON.stringify({ ImageBase64: png.toString('base64') });
  const meta = await sharp(png).metadata();
  console.log(
    `  image: 600×600 PNG, ${meta.channels} channels${meta.hasAlpha ? ' (RGBA, opaque)' : ''}, ${png.length} B (${body.length} B request body); ${settings.connections} connections / callers`,
  );
  const rows: Row[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  const extra: Record<string, unknown> = {};
  const byWorkers = new Map<number, { bare: Row; engine: Row; emulator: Row }>();

  for (const workers of settings.workers) {
    console.log(`  -- ${workers} worker${workers > 1 ? 's' : ''}`);
    // All three up at once (idle ones cost no CPU); rounds alternate bare, engine, emulator.
    const children: Child[] = [];
    const start = async (script: string, options: Parameters<typeof startChild>[1]) => {
      const child = await startChild(script, options);
      children.push(child);
      return child;
    };
    const rounds = { bare: [] as Row[], engine: [] as Row[], emulator: [] as Row[] };
    let profiled: Row | undefined;
    try {
      const bareChild = await start('decoder.ts', {
        args: ['bare', String(workers)],
        label: `bare decoder ×${workers}`,
      });
      const engineChild = await start('decoder.ts', { args: ['engine', String(workers)], label: `engine ×${workers}` });
      const emuChild = await start('emulator.ts', {
        args: [JSON.stringify({ warm: ['barcode'], env: { TCOCR_DECODER_WORKERS: String(workers) } })],
        label: `emulator ×${workers}`,
      });
      for (const [name, child] of [
        ['bare decoder', bareChild],
        ['createBarcodeEngine', engineChild],
      ] as const) {
        const found = await child.call<number>('symbols', { image: png });
        if (found !== 1) throw new Error(`${name} found ${found} symbols, expected 1`);
      }
      const reply = JSON.parse(
        (await sendOnce(emuChild.url!, signed(emuChild.port!, 'QrcodeOCR', body))).body.toString(),
      ) as {
        Response: { CodeResults?: { TypeName: string }[]; Error?: { Code: string } };
      };
      if (reply.Response.CodeResults?.[0]?.TypeName !== 'QR_CODE')
        throw new Error(`QrcodeOCR did not find the code: ${JSON.stringify(reply)}`);

      const loop = (child: Child, label: string, role: Row['role']) =>
        measureLoop(child, {
          label,
          role,
          workers,
          concurrency: settings.connections,
          image: png,
          duration: settings.duration,
          warmup: settings.warmup,
        });
      const http = (profile?: ProfileRequest) =>
        measureHttp(emuChild, {
          label: 'emulator QrcodeOCR',
          role: 'emulator',
          workers,
          connections: settings.connections,
          requests: () => [signed(emuChild.port!, 'QrcodeOCR', body)],
          duration: settings.duration,
          warmup: settings.warmup,
          countOutcomes: true,
          ...(profile ? { profile } : {}),
        });
      for (let round = 1; round <= settings.rounds; round++) {
        rounds.bare.push(await loop(bareChild, 'bare decoder (no HTTP)', 'baseline'));
        rounds.engine.push(await loop(engineChild, 'createBarcodeEngine (no HTTP)', 'reference'));
        rounds.emulator.push(await http());
      }
      if (settings.profileDir) {
        profiled = await http({
          dir: settings.profileDir,
          name: `qrcode-emulator-${workers}w`,
          title: `emulator main thread, QrcodeOCR, ${workers} decoder worker${workers > 1 ? 's' : ''}`,
        });
      }
    } finally {
      for (const child of children) await child.stop();
    }
    const bare = mergeRounds(rounds.bare);
    const engine = mergeRounds(rounds.engine);
    const emulator = { ...mergeRounds(rounds.emulator), ...(profiled?.profile ? { profile: profiled.profile } : {}) };
    rows.push(bare, engine, emulator);
    byWorkers.set(workers, { bare, engine, emulator });
    const bad = Object.keys(emulator.outcomes ?? {}).filter((k) => k !== 'QrcodeOCR/OK');
    if (bad.length) notes.push(`${workers} workers: replies other than OK: ${JSON.stringify(emulator.outcomes)}`);
    const ratio = emulator.rps / bare.rps;
    checks.push({
      name: `QrcodeOCR req/s vs bare decoder, ${workers} worker${workers > 1 ? 's' : ''}`,
      value: ratio,
      unit: 'ratio',
      detail: `${emulator.rps.toFixed(1)} vs ${bare.rps.toFixed(1)} /s`,
      target: '≥ 80%',
      met: ratio >= 0.8,
    });
  }

  // Where the engine's extra time goes: each stage of both decoders, one image at a time.
  const stageTimes = await withChild('decoder.ts', { args: ['bare', '1'], label: 'decoder stages' }, (child) =>
    child.call<Record<string, { wallMs: number; cpuMs: number }>>('stages', { image: png, n: 60 }),
  );
  extra.stages = stageTimes;

  printRows(rows, (r) => byWorkers.get(r.workers!)?.bare);
  console.log('  per image, one at a time, no pool (bench/servers/decoder.ts stages; fastest of 3 batches):');
  console.log(
    table(
      ['  stage', 'wall ms', 'CPU ms'],
      Object.entries(stageTimes).map(([name, t]) => [`  ${name}`, t.wallMs.toFixed(2), t.cpuMs.toFixed(2)]),
    ),
  );
  for (const r of rows) printOutcomes(r);
  const one = byWorkers.get(1);
  const two = byWorkers.get(2);
  if (one && two) {
    const scaling = {
      bare: two.bare.rps / one.bare.rps,
      engine: two.engine.rps / one.engine.rps,
      emulator: two.emulator.rps / one.emulator.rps,
    };
    extra.scaling = scaling;
    console.log(
      `  scaling 1 → 2 workers: bare ×${scaling.bare.toFixed(2)}, engine ×${scaling.engine.toFixed(2)}, emulator ×${scaling.emulator.toFixed(2)}`,
    );
  }
  return {
    name: 'qrcode',
    title: 'QrcodeOCR, 600×600 PNG with one QR code, vs the bare decoder in as many worker threads',
    rows,
    checks,
    load: { before, after: load1() },
    notes,
    extra,
  };
}
