/**
 * `npm run bench`: load benchmarks of the emulator over HTTP (autocannon, 127.0.0.1), each next to
 * a baseline measured in the same run on the same machine. Servers run in child processes
 * (bench/servers/), so autocannon's CPU is not theirs and the RSS reported is their own.
 *
 *   npm run bench                                  every scenario
 *   npm run bench -- protocol qrcode               some (protocol qrcode healthcode responsiveness memory hostile)
 *   npm run bench -- --profile protocol            also CPU-profile the emulator child (node --cpu-prof)
 *
 * Options: --duration S (HTTP/QR runs, default 10), --ocr-duration S (health-code runs, 15),
 * --warmup S (2), --connections N (10), --ocr-connections N (4), --workers 1,2, --rounds N
 * (alternating baseline/emulator rounds in protocol and qrcode, 2), --memory-requests N (5000),
 * --quick (short runs, one round, for a smoke check), --source (run the servers from TypeScript
 * through tsx instead of compiling them first; see bench/lib/build.ts), --max-wait S (before each
 * scenario, wait up to S seconds, default 60, for other processes to use < 15 % of a core).
 *
 * Each table has an `other CPU %` column: CPU used during the run by processes other than the
 * server and autocannon (other work on the machine). High figures mean disturbed numbers.
 *
 * Prints a table per scenario and a summary; writes JSON to bench/results/load-<time>.json.
 * See BENCHMARKS.md for the figures and what they mean.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SOURCE_MODE, buildServers } from './lib/build.js';
import { load1, repoRoot, useServers, waitForQuiet } from './lib/load.js';
import { table } from './lib/stats.js';
import { healthcode } from './scenarios/healthcode.js';
import { hostile } from './scenarios/hostile.js';
import { memory } from './scenarios/memory.js';
import { protocol } from './scenarios/protocol.js';
import { qrcode } from './scenarios/qrcode.js';
import { responsiveness } from './scenarios/responsiveness.js';
import type { BenchSettings, Scenario, ScenarioReport } from './scenarios/types.js';

const SCENARIOS: Record<string, Scenario> = { protocol, qrcode, healthcode, responsiveness, memory, hostile };

function parseArgs(argv: readonly string[]): {
  names: string[];
  settings: BenchSettings;
  profile: boolean;
  source: boolean;
  maxWait: number;
} {
  const settings: BenchSettings = {
    duration: 10,
    ocrDuration: 15,
    warmup: 2,
    connections: 10,
    ocrConnections: 4,
    rounds: 2,
    workers: [1, 2],
    memoryRequests: 5000,
    profileDir: undefined,
  };
  const names: string[] = [];
  let profile = false;
  let source = false;
  let maxWait = 60;
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--duration':
        settings.duration = number(arg, argv[++i]);
        break;
      case '--ocr-duration':
        settings.ocrDuration = number(arg, argv[++i]);
        break;
      case '--warmup':
        settings.warmup = Number(argv[++i]);
        break;
      case '--connections':
        settings.connections = number(arg, argv[++i]);
        break;
      case '--ocr-connections':
        settings.ocrConnections = number(arg, argv[++i]);
        break;
      case '--workers':
        settings.workers = (argv[++i] ?? '').split(',').map((w) => number(arg, w));
        break;
      case '--rounds':
        settings.rounds = number(arg, argv[++i]);
        break;
      case '--memory-requests':
        settings.memoryRequests = number(arg, argv[++i]);
        break;
      case '--profile':
        profile = true;
        break;
      case '--source':
        source = true;
        break;
      case '--max-wait':
        maxWait = Number(argv[++i]);
        break;
      case '--quick':
        Object.assign(settings, { duration: 3, ocrDuration: 5, warmup: 1, rounds: 1, memoryRequests: 1000 });
        break;
      case '--help':
      case '-h':
        console.log(
          `usage: npm run bench -- [${Object.keys(SCENARIOS).join(' ')}] [--profile] [--quick] [--duration S] [--ocr-duration S] [--warmup S] [--connections N] [--ocr-connections N] [--workers 1,2] [--rounds N] [--memory-requests N] [--source] [--max-wait S]`,
        );
        process.exit(0);
        break;
      default:
        if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
        if (!SCENARIOS[arg]) throw new Error(`unknown scenario ${arg} (${Object.keys(SCENARIOS).join(', ')})`);
        names.push(arg);
    }
  }
  return { names: names.length ? names : Object.keys(SCENARIOS), settings, profile, source, maxWait };
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

async function main(): Promise<void> {
  const { names, settings, profile, source, maxWait } = parseArgs(process.argv.slice(2));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(repoRoot, 'bench', 'results');
  if (profile) settings.profileDir = path.join(resultsDir, 'profiles', stamp);
  const host = machine();
  console.log(
    `${host.cpuModel as string}, ${host.cpus as number} CPUs, ${host.memoryGiB as number} GiB, Node ${process.version}; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`scenarios: ${names.join(', ')}; ${JSON.stringify(settings)}`);
  const servers = source ? SOURCE_MODE : buildServers();
  useServers(servers);
  console.log(
    `servers: ${servers.kind === 'source' ? 'TypeScript through tsx (--source)' : 'compiled JavaScript, plain node'}`,
  );

  const reports: ScenarioReport[] = [];
  const failures: Record<string, string> = {};
  for (const name of names) {
    console.log(`\n== ${name} ==`);
    const other = maxWait > 0 ? await waitForQuiet(maxWait) : undefined;
    if (other !== undefined) console.log(`  other processes: ${other.toFixed(0)}% of a core before the start`);
    const t0 = performance.now();
    try {
      const report = await SCENARIOS[name]!(settings);
      reports.push(report);
      for (const note of report.notes) console.log(`  note: ${note}`);
      console.log(
        `  (${((performance.now() - t0) / 1000).toFixed(0)} s; load average ${report.load.before} → ${report.load.after})`,
      );
    } catch (err) {
      failures[name] = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.log(`  FAILED: ${failures[name]}`);
    }
  }

  console.log('\n== summary ==');
  console.log(
    table(
      ['scenario', 'check', 'value', 'figures', 'target', 'met'],
      reports.flatMap((r) =>
        r.checks.map((c) => [
          r.name,
          c.name,
          c.unit === 'ratio' ? `${(100 * c.value).toFixed(0)}%` : `${c.value.toFixed(1)} ${c.unit}`,
          c.detail,
          c.target,
          c.met === null ? '—' : c.met ? 'yes' : 'NO',
        ]),
      ),
    ),
  );
  for (const [name, why] of Object.entries(failures)) console.log(`${name}: failed — ${why.split('\n')[0]}`);

  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `load-${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: host,
        settings,
        servers: servers.kind,
        loadAverageEnd: load1(),
        reports,
        failures,
      },
      // Raw latency samples stay out of the file (percentiles are in each row).
      (key, value: unknown) => (key === 'samples' ? undefined : value),
      1,
    )}\n`,
  );
  console.log(`\nJSON: ${path.relative(process.cwd(), file)}`);
  if (Object.keys(failures).length > 0) process.exitCode = 1;
}

await main();
