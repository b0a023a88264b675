/**
 * The child side of the benchmark's IPC: every process under bench/servers/ is started by
 * bench/lib/load.ts (`startChild`: compiled into bench/results/build/ and run with plain node, or
 * with `--source` from TypeScript through tsx; always with the server's node options and
 * --expose-gc) with an IPC channel (advanced serialisation, so Buffers cross as bytes). The child announces itself with `{ type: 'ready', port? }` and then answers calls
 * `{ id, cmd, args }` with `{ id, ok, value | error }`.
 *
 * Built-in commands, in every child:
 *   memory     process.memoryUsage()
 *   gc         two full garbage collections (needs --expose-gc), then process.memoryUsage()
 *   eld-start  start measuring event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution)
 *   eld-stop   stop it: { p50, p99, max, mean } in ms
 *   profile-start  start the V8 CPU profiler on the main thread (node:inspector, 1 ms sampling)
 *   profile-stop   stop it and write the .cpuprofile to `file` (what node --cpu-prof writes, for
 *                  the measured window only, not start-up)
 *   exit       run the child's own shutdown, then exit 0
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export type Handler = (args: Record<string, unknown>) => Promise<unknown> | unknown;

interface Call {
  id: number;
  cmd: string;
  args?: Record<string, unknown>;
}

export interface ServeOptions {
  /** Port the child listens on, when it is an HTTP server. */
  port?: number;
  /** The child's own commands. */
  handlers?: Record<string, Handler>;
  /** Shutdown work before exit (close the server, terminate workers). */
  onExit?: () => Promise<void>;
}

const send = (message: unknown): void => {
  process.send?.(message);
};

export function serveIpc(options: ServeOptions = {}): void {
  if (!process.send)
    throw new Error('bench/servers/* must be started with an IPC channel (bench/lib/load.ts startChild)');
  let eld: IntervalHistogram | undefined;
  let session: Session | undefined;
  let profileCalled = 0;
  let profileStarted = 0;
  let exiting = false;
  const exit = async (): Promise<void> => {
    if (exiting) return;
    exiting = true;
    try {
      await options.onExit?.();
    } finally {
      process.exit(0);
    }
  };
  const builtIn: Record<string, Handler> = {
    memory: () => process.memoryUsage(),
    gc: async () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error('gc is not exposed: start the child with --expose-gc');
      gc();
      // Let finalisers and released external memory settle, then collect again.
      await new Promise((resolve) => setTimeout(resolve, 100));
      gc();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return process.memoryUsage();
    },
    'eld-start': () => {
      eld?.disable();
      eld = monitorEventLoopDelay({ resolution: 1 });
      eld.enable();
      return true;
    },
    'eld-stop': () => {
      if (!eld) return undefined;
      eld.disable();
      const ms = (ns: number) => ns / 1e6;
      const out = { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max), mean: ms(eld.mean) };
      eld = undefined;
      return out;
    },
    'profile-start': async () => {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 1000 });
      profileCalled = performance.now();
      await session.post('Profiler.start');
      profileStarted = performance.now();
      return true;
    },
    'profile-stop': async (args) => {
      if (!session) throw new Error('no profile running');
      const endUs = (performance.now() - profileCalled) * 1000;
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      // Starting and stopping the profiler are work on this thread too (the inspector's
      // `dispatch`): keep only the samples between the start call's return and the stop call.
      const fromUs = (profileStarted - profileCalled) * 1000;
      const samples: number[] = [];
      const deltas: number[] = [];
      let elapsed = 0;
      profile.samples!.forEach((id, i) => {
        elapsed += profile.timeDeltas![i]!;
        if (elapsed < fromUs || elapsed > endUs) return;
        samples.push(id);
        deltas.push(samples.length === 1 ? 0 : profile.timeDeltas![i]!);
      });
      profile.samples = samples;
      profile.timeDeltas = deltas;
      writeFileSync(String(args.file), JSON.stringify(profile));
      return args.file;
    },
    exit: () => {
      // Answer first, then shut down.
      setImmediate(() => void exit());
      return true;
    },
  };
  const handlers = { ...builtIn, ...options.handlers };
  process.on('message', (raw: unknown) => {
    const call = raw as Call;
    if (typeof call?.id !== 'number' || typeof call.cmd !== 'string') return;
    const handler = handlers[call.cmd];
    if (!handler) {
      send({ id: call.id, ok: false, error: `unknown command ${call.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(call.args ?? {}))
      .then(
        (value) => send({ id: call.id, ok: true, value }),
        (err: unknown) =>
          send({ id: call.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
  // The parent went away (crashed or Ctrl-C): do not linger.
  process.on('disconnect', () => void exit());
  process.on('SIGINT', () => void exit());
  process.on('SIGTERM', () => void exit());
  send({ type: 'ready', port: options.port, pid: process.pid });
}

/**
 * A closed loop inside the child: `concurrency` callers, each starting its next job when the
 * previous one ends (what autocannon's connections do), for `seconds`. Returns every job's latency.
 */
export async function closedLoop(
  job: () => Promise<unknown>,
  concurrency: number,
  seconds: number,
): Promise<{ latencies: number[]; elapsedS: number; errors: number; firstError?: string }> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await job();
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }),
  );
  return { latencies, elapsedS: (performance.now() - start) / 1000, errors, ...(firstError ? { firstError } : {}) };
}
