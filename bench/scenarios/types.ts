/** What every scenario of `npm run bench` receives and reports. */
import type { ProfileSummary } from '../lib/cpuprofile.js';
import type { Latency } from '../lib/load.js';

export interface BenchSettings {
  /** Measured seconds of each HTTP-protocol and QR run. */
  duration: number;
  /** Measured seconds of each health-code (OCR) run. */
  ocrDuration: number;
  /** Unmeasured seconds before each run (JIT, pools, caches). */
  warmup: number;
  /** autocannon connections (= closed-loop concurrency of the no-HTTP baselines). */
  connections: number;
  /** Concurrent health-code requests (OCR is ~1 s per image: a few suffice to keep the pool busy). */
  ocrConnections: number;
  /** Alternating rounds of baseline and emulator in the protocol and QR scenarios (noise). */
  rounds: number;
  /** Worker counts for the QR and health-code scenarios. */
  workers: number[];
  /** Requests in the memory scenario (after its warm-up). */
  memoryRequests: number;
  /** When set, emulator children write CPU profiles under this folder. */
  profileDir: string | undefined;
}

export interface Row {
  label: string;
  role: 'emulator' | 'baseline' | 'reference';
  workers?: number;
  connections: number;
  /** Responses (or jobs) completed in the measured window. */
  count: number;
  durationS: number;
  rps: number;
  latency: Latency;
  /** Peak RSS of the process serving the load, MiB. */
  peakRssMiB: number | undefined;
  errors: number;
  /** CPU time (all threads) of the serving process during the measured window, ms. */
  cpuMs?: number;
  /** CPU used by other processes on the machine during the window, % of one core (disturbance). */
  otherCpuPct?: number;
  /** CPU time of the load generator (autocannon, the parent process) during the window, ms. */
  clientCpuMs?: number;
  /** The emulator's reply codes during the run (action/code → count). */
  outcomes?: Record<string, number>;
  /** Event-loop delay of the emulator's main thread during the run, ms. */
  eventLoop?: { p50: number; p99: number; max: number; mean: number };
  /** Requests/s of each round, when the row merges several. */
  rounds?: number[];
  /** Every latency (ms); dropped from the JSON. */
  samples?: number[];
  /** CPU profile of the measured window (main thread) and its summary. */
  profile?: {
    file: string;
    busyMs: number;
    totalMs: number;
    byArea: ProfileSummary['byArea'];
    top: ProfileSummary['top'];
  };
}

export interface Check {
  name: string;
  /** A ratio (0.93 = 93 %), milliseconds or MiB, as `unit` says. */
  value: number;
  unit: 'ratio' | 'ms' | 'MiB';
  /** Human-readable figures behind the value. */
  detail: string;
  target: string;
  /** null: reported, no target. */
  met: boolean | null;
}

export interface ScenarioReport {
  name: string;
  title: string;
  rows: Row[];
  checks: Check[];
  /** 1-minute load average before and after the scenario. */
  load: { before: number; after: number };
  notes: string[];
  extra?: Record<string, unknown>;
}

export type Scenario = (settings: BenchSettings) => Promise<ScenarioReport>;
