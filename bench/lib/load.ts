/**
 * Load-test plumbing for `npm run bench` (bench/index.ts; `startChild` also for bench:healthcode):
 *
 *   startChild   a process under bench/servers/ with an IPC channel, started with the server's
 *                node options (its RSS is the server's own, its CPU separate from autocannon's,
 *                which runs in this process)
 *   RssSampler   the child's resident set, sampled from /proc every 100 ms: the peak
 *   runLoad      autocannon against a URL; every response's latency kept for exact percentiles
 *   signed       a TC3-signed request (support/signer.ts) ready for autocannon; signatures
 *                are valid for 300 s, so sign right before each run
 *   outcomes     the emulator's tcocr_requests_total counters (what the replies said)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Request } from 'autocannon';
import { SERVER_NODE_OPTIONS } from '../../src/cli/node-options.js';
import { signTc3 } from '../../support/signer.js';
import { percentile } from './stats.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the server scripts are and how node starts them (bench/lib/build.ts sets it). */
let serverMode: { dir: string; ext: string; execArgv: string[] } = {
  dir: path.join(repoRoot, 'bench', 'servers'),
  ext: '.ts',
  execArgv: ['--import', 'tsx'],
};

export function useServers(mode: { dir: string; ext: string; execArgv: string[] }): void {
  serverMode = mode;
}

// ---- child processes ---------------------------------------------------------------------------

export interface ChildOptions {
  /** Arguments after the script. */
  args?: string[];
  /** Write a CPU profile of the child's main thread into this folder (node --cpu-prof). */
  profileDir?: string;
  /** Name for messages. */
  label?: string;
  readyTimeoutMs?: number;
}

export interface Child {
  label: string;
  pid: number;
  /** Set when the child is an HTTP server. */
  port: number | undefined;
  url: string | undefined;
  call<T = unknown>(cmd: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Asks the child to shut down and exit (writing its profile); kills it if it does not. */
  stop(): Promise<void>;
  rss(): number | undefined;
}

interface Reply {
  id?: number;
  ok?: boolean;
  value?: unknown;
  error?: string;
  type?: string;
  port?: number;
}

/**
 * Starts a server script (`emulator.ts` → compiled `emulator.js`, or the source with tsx's loader;
 * see useServers) with the server's node options (src/cli/node-options.ts), --expose-gc and an
 * IPC channel.
 */
export async function startChild(script: string, options: ChildOptions = {}): Promise<Child> {
  const file = path.join(serverMode.dir, script.replace(/\.ts$/, serverMode.ext));
  const label = options.label ?? script;
  const execArgv = [...SERVER_NODE_OPTIONS, ...serverMode.execArgv, '--expose-gc'];
  if (options.profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  const child: ChildProcess = fork(file, options.args ?? [], {
    cwd: repoRoot,
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, http_proxy: '', HTTP_PROXY: '' },
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  child.on('exit', (code, signal) => {
    for (const p of pending.values()) p.reject(new Error(`${label} exited (${code ?? signal}) during a call`));
    pending.clear();
  });

  const ready = await new Promise<Reply>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${label} not ready after ${options.readyTimeoutMs ?? 180_000} ms`)),
      options.readyTimeoutMs ?? 180_000,
    );
    child.on('message', function onReady(message: Reply) {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onReady);
      resolve(message);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code ?? signal}) before it was ready`));
    });
  });
  child.on('message', (message: Reply) => {
    if (typeof message?.id !== 'number') return;
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.ok) p.resolve(message.value);
    else p.reject(new Error(`${label}: ${message.error}`));
  });

  const pid = child.pid!;
  const port = ready.port;
  return {
    label,
    pid,
    port,
    url: port === undefined ? undefined : `http://127.0.0.1:${port}`,
    call<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 600_000): Promise<T> {
      if (exited) return Promise.reject(new Error(`${label} has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${label}: ${cmd} took more than ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ id, cmd, args });
      });
    },
    async stop() {
      if (exited) return;
      try {
        child.send({ id: nextId++, cmd: 'exit', args: {} });
      } catch {
        /* channel already closed */
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exitedPromise;
      clearTimeout(timer);
    },
    rss: () => readRss(pid),
  };
}

/** Resident set of a process in bytes, from /proc (undefined when unavailable). */
export function readRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, every thread) a process has used, in ms, from /proc (Linux: 100 ticks/s). */
export function readCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU time all processes on the machine have used (user, nice, system, irq, softirq, steal), ms. */
export function readSystemBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Samples a server process during a measured window: its RSS every `intervalMs` (the peak), the
 * CPU time it used, and the CPU time every *other* process on the machine used (everything but
 * the server and this process, which runs autocannon): a measure of how disturbed the run was.
 */
export class RssSampler {
  #peak = 0;
  #last = 0;
  #timer: NodeJS.Timeout;
  readonly #cpuStart: number | undefined;
  readonly #systemStart: number | undefined;
  readonly #selfStart = process.cpuUsage();
  readonly #t0 = performance.now();
  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.#cpuStart = readCpuMs(pid);
    this.#systemStart = readSystemBusyMs();
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }
  /** CPU used by other processes since the start, in % of one core (200 % = both of 2 cores). */
  otherCpuPct(): number | undefined {
    const system = readSystemBusyMs();
    const server = this.cpuMs();
    if (system === undefined || this.#systemStart === undefined || server === undefined) return undefined;
    const self = process.cpuUsage(this.#selfStart);
    const other = system - this.#systemStart - server - (self.user + self.system) / 1000;
    return Math.max(0, (100 * other) / (performance.now() - this.#t0));
  }
  /** CPU ms the process used since the sampler started. */
  cpuMs(): number | undefined {
    const now = readCpuMs(this.pid);
    return now === undefined || this.#cpuStart === undefined ? undefined : now - this.#cpuStart;
  }
  private sample(): void {
    const rss = readRss(this.pid);
    if (rss === undefined) return;
    this.#last = rss;
    if (rss > this.#peak) this.#peak = rss;
  }
  /** Peak RSS in MiB. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.#peak / 2 ** 20;
  }
  get lastMiB(): number {
    return this.#last / 2 ** 20;
  }
}

// ---- load ----------------------------------------------------------------------------------------

export interface LoadOptions {
  url: string;
  requests: Request[];
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  amount?: number;
  /** Requests per second over all connections (open-ish loop); default: as fast as answered. */
  overallRate?: number;
  /** Seconds to wait for one response. */
  timeout?: number;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  /** Responses received. */
  count: number;
  /** Every response's latency, ms. */
  samples: number[];
  durationS: number;
  rps: number;
  latency: Latency;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU ms this process (autocannon, the client) used during the run. */
  clientCpuMs: number;
}

export function latencyOf(samples: readonly number[]): Latency {
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    // A loop, not Math.max(...samples): runs collect 100 000+ samples.
    max: samples.length ? samples.reduce((m, x) => (x > m ? x : m), -Infinity) : Number.NaN,
    mean: samples.length ? samples.reduce((s, x) => s + x, 0) / samples.length : Number.NaN,
  };
}

/** One autocannon run; latencies are every response's own time (no coordinated-omission correction). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    requests: options.requests,
    timeout: options.timeout ?? 60,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
  });
  const result = await instance;
  const cpu = process.cpuUsage(cpu0);
  return {
    count: latencies.length,
    samples: latencies,
    durationS: result.duration,
    rps: latencies.length / result.duration,
    latency: latencyOf(latencies),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

// ---- requests ------------------------------------------------------------------------------------

export const BENCH_SECRET_ID = 'AKIDEMULATOR000000000000000000000000';
export const BENCH_SECRET_KEY = 'EmulatorSecretKey0000000000000000';

/** A TC3-signed POST for autocannon, valid for the server's 300 s window from now. */
export function signed(port: number, action: string, body: string | Buffer, region = 'ap-guangzhou'): Request {
  const req = signTc3({
    secretId: BENCH_SECRET_ID,
    secretKey: BENCH_SECRET_KEY,
    host: `127.0.0.1:${port}`,
    action,
    region,
    body,
  });
  return { method: req.method, path: req.url, headers: req.headers, ...(req.body ? { body: req.body } : {}) };
}

/** Sends one request with fetch: the reply body (to check what a request is answered with). */
export async function sendOnce(
  url: string,
  request: Request,
): Promise<{ status: number; body: Buffer; contentType: string | null }> {
  const headers = { ...request.headers };
  delete headers.Host; // fetch sets Host from the URL: the same 127.0.0.1:port that was signed
  const res = await fetch(url + (request.path ?? '/'), {
    method: request.method ?? 'GET',
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  return {
    status: res.status,
    body: Buffer.from(await res.arrayBuffer()),
    contentType: res.headers.get('content-type'),
  };
}

/** tcocr_requests_total by `action/code` from the emulator's /_emulator/metrics. */
export async function outcomes(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/_emulator/metrics`)).text();
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/^tcocr_requests_total\{action="([^"]*)",code="([^"]*)"\} (\d+)/gm)) {
    out[`${match[1]}/${match[2]}`] = Number(match[3]);
  }
  return out;
}

/** Counters after minus before (only those that moved). */
export function diffOutcomes(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0);
    if (d > 0) out[key] = d;
  }
  return out;
}

/** CPU other processes use (everything but this one), % of one core, over `ms`. */
export async function otherCpuNow(ms = 2000): Promise<number | undefined> {
  const system0 = readSystemBusyMs();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(ms);
  const system1 = readSystemBusyMs();
  if (system0 === undefined || system1 === undefined) return undefined;
  const self = process.cpuUsage(self0);
  return Math.max(0, (100 * (system1 - system0 - (self.user + self.system) / 1000)) / (performance.now() - t0));
}

/**
 * Waits (up to `maxSeconds`) until other processes use less than `thresholdPct` of one core.
 * Returns the last figure measured.
 */
export async function waitForQuiet(maxSeconds: number, thresholdPct = 15): Promise<number | undefined> {
  const deadline = performance.now() + maxSeconds * 1000;
  let other = await otherCpuNow();
  while (other !== undefined && other >= thresholdPct && performance.now() < deadline) {
    console.log(`  other processes use ${other.toFixed(0)}% of a core; waiting for a quieter machine…`);
    await sleep(5000);
    other = await otherCpuNow();
  }
  return other;
}

export function load1(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
