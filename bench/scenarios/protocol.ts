/**
 * Scenario 1, protocol path: a TC3-signed QrcodeOCR request whose body names a parameter the
 * action does not define, so the whole pipeline runs (method, size, common parameters, signature,
 * routing, CAM, rate limit, parameters → UnknownParameter) and no engine is touched; against a
 * bare Fastify route answering the same bytes. Each server in its own child process; the same
 * connections and duration. Target: the emulator serves ≥ 50 % of the baseline's requests/s.
 */
import { API_PIPELINE } from '../../src/app.js';
import { inclusiveTimes } from '../lib/cpuprofile.js';
import { type Child, load1, sendOnce, signed, startChild } from '../lib/load.js';
import { table } from '../lib/stats.js';
import { measureHttp, mergeRounds, printOutcomes, printRows } from './measure.js';
import type { BenchSettings, Row, ScenarioReport } from './types.js';

export const CHEAP_BODY = '{"NotAParameter":"x"}';
/** The calibration row: the bare route plus this much busy CPU per request. */
const CALIBRATION_BUSY_US = 20;

export async function protocol(settings: BenchSettings): Promise<ScenarioReport> {
  const before = load1();
  const notes: string[] = [];
  const rows: Row[] = [];
  const extra: Record<string, unknown> = {};

  // The reply the baseline will send: the emulator's own answer to the request.
  const emu = await startChild('emulator.ts', { args: [JSON.stringify({ warm: false })], label: 'emulator' });
  let bare: Child;
  let busy: Child;
  try {
    const reply = await sendOnce(emu.url!, signed(emu.port!, 'QrcodeOCR', CHEAP_BODY));
    const code = (JSON.parse(reply.body.toString()) as { Response: { Error?: { Code: string } } }).Response.Error?.Code;
    if (code !== 'UnknownParameter') throw new Error(`expected UnknownParameter, got ${reply.body.toString()}`);
    console.log(
      `  request: POST / QrcodeOCR ${CHEAP_BODY} (TC3, ${Buffer.byteLength(CHEAP_BODY)} B body) → ${reply.body.length} B ${code}`,
    );
    // Both servers stay up; rounds alternate baseline and emulator so drifting machine load hits both.
    bare = await startChild('bare-http.ts', { args: [reply.body.toString('base64')], label: 'bare fastify' });
    busy = await startChild('bare-http.ts', {
      args: [reply.body.toString('base64'), String(CALIBRATION_BUSY_US)],
      label: 'bare fastify + busy work',
    }).catch(async (err: unknown) => {
      await bare.stop();
      throw err;
    });
  } catch (err) {
    await emu.stop();
    throw err;
  }
  const busyRounds: Row[] = [];
  const baseRounds: Row[] = [];
  const emuRounds: Row[] = [];
  const profiles: Row[] = [];
  try {
    // Measured rounds, then (with --profile) one more of each under the profiler, not counted.
    const profiling = settings.profileDir ? 1 : 0;
    for (let round = 1; round <= settings.rounds + profiling; round++) {
      const profiled = round > settings.rounds;
      const profile = (name: string, title: string) =>
        profiled ? { profile: { dir: settings.profileDir!, name: `protocol-${name}`, title } } : {};
      (profiled ? profiles : baseRounds).push(
        await measureHttp(bare, {
          label: 'bare Fastify route',
          role: 'baseline',
          connections: settings.connections,
          requests: () => [signed(bare.port!, 'QrcodeOCR', CHEAP_BODY)],
          duration: settings.duration,
          warmup: settings.warmup,
          ...profile('bare', 'bare Fastify route'),
        }),
      );
      if (!profiled) {
        busyRounds.push(
          await measureHttp(busy, {
            label: `bare route + ${CALIBRATION_BUSY_US} µs busy`,
            role: 'reference',
            connections: settings.connections,
            requests: () => [signed(busy.port!, 'QrcodeOCR', CHEAP_BODY)],
            duration: settings.duration,
            warmup: settings.warmup,
          }),
        );
      }
      (profiled ? profiles : emuRounds).push(
        await measureHttp(emu, {
          label: 'emulator UnknownParameter',
          role: 'emulator',
          connections: settings.connections,
          requests: () => [signed(emu.port!, 'QrcodeOCR', CHEAP_BODY)],
          duration: settings.duration,
          warmup: settings.warmup,
          countOutcomes: true,
          ...profile('emulator', 'emulator main thread, signed request → UnknownParameter'),
        }),
      );
    }
  } finally {
    await bare.stop();
    await busy.stop();
    await emu.stop();
  }
  const baseline = { ...mergeRounds(baseRounds), ...(profiles[0]?.profile ? { profile: profiles[0].profile } : {}) };
  const emulator = { ...mergeRounds(emuRounds), ...(profiles[1]?.profile ? { profile: profiles[1].profile } : {}) };
  const calibration = mergeRounds(busyRounds);
  rows.push(baseline, calibration, emulator);

  printRows(rows, () => baseline);
  if (emulator.profile) printStages(emulator.profile.file, profiles[1]!.count, extra);
  for (const r of rows) {
    if (r.clientCpuMs !== undefined)
      console.log(
        `  ${r.label}: autocannon (this process) used ${((100 * r.clientCpuMs) / (1000 * r.durationS)).toFixed(0)}% of a core`,
      );
  }
  printOutcomes(emulator);
  const unexpected = Object.entries(emulator.outcomes ?? {}).filter(([k]) => k !== 'QrcodeOCR/UnknownParameter');
  if (unexpected.length) notes.push(`unexpected replies: ${JSON.stringify(Object.fromEntries(unexpected))}`);
  notes.push('The emulator child starts with warm: false (no engine is loaded; this request never reaches one).');
  notes.push(
    `Calibration: the bare route plus ${CALIBRATION_BUSY_US} µs of busy CPU per request serves ${((100 * calibration.rps) / baseline.rps).toFixed(0)}% of the bare route: ` +
      `the 50% target leaves the whole pipeline (signature, validation, journal, metrics, envelope) ${calibration.rps >= baseline.rps / 2 ? 'at least' : 'less than'} ${CALIBRATION_BUSY_US} µs of CPU per request.`,
  );
  const ratio = emulator.rps / baseline.rps;
  return {
    name: 'protocol',
    title: 'Protocol path: signed request → UnknownParameter vs a bare Fastify route with the same reply',
    rows,
    checks: [
      {
        name: 'protocol req/s vs bare Fastify',
        value: ratio,
        unit: 'ratio',
        detail: `${emulator.rps.toFixed(0)} vs ${baseline.rps.toFixed(0)} req/s`,
        target: '≥ 50%',
        met: ratio >= 0.5,
      },
      ...(baseline.cpuMs !== undefined && emulator.cpuMs !== undefined
        ? [
            {
              name: 'protocol CPU per request, bare ÷ emulator',
              value: baseline.cpuMs / baseline.count / (emulator.cpuMs / emulator.count),
              unit: 'ratio' as const,
              detail: `${((1000 * baseline.cpuMs) / baseline.count).toFixed(0)} vs ${((1000 * emulator.cpuMs) / emulator.count).toFixed(0)} µs CPU/req`,
              target: 'none (reported)',
              met: null,
            },
          ]
        : []),
    ],
    load: { before, after: load1() },
    notes,
    extra,
  };
}

/**
 * Inclusive main-thread time per response of each API_PIPELINE stage (src/app.ts) and of the
 * reply and journal steps, from the profiled run: where the protocol path's time goes.
 */
function printStages(file: string, responses: number, extra: Record<string, unknown>): void {
  const specs = [
    'handler@src/app',
    ...API_PIPELINE.map((stage) => stage.name),
    'sendError',
    'writev',
    'finish@journal/observer',
    'ApiError',
  ];
  const inc = inclusiveTimes(file, specs);
  const perResponse = (ms: number) => (1000 * ms) / responses;
  const rows = Object.entries(inc.byName)
    .filter(([, ms]) => perResponse(ms) >= 1)
    .map(([name, ms]) => [
      `  ${name.replace('@src/app', ' (the API route, all of it)')}`,
      perResponse(ms).toFixed(0),
      `${((100 * ms) / inc.busyMs).toFixed(1)}%`,
    ]);
  rows.push(['  main thread busy, all', perResponse(inc.busyMs).toFixed(0), '100%']);
  console.log(
    `\n  emulator main thread, inclusive time per response (${responses} responses profiled; stages under 1 µs left out):`,
  );
  console.log(table(['  function', 'µs/response', 'share'], rows));
  extra.stagesUsPerResponse = Object.fromEntries(
    Object.entries(inc.byName).map(([name, ms]) => [name, perResponse(ms)]),
  );
  extra.busyUsPerResponse = perResponse(inc.busyMs);
}
