/**
 * Benchmark child of `npm run bench:healthcode` (bench/lib/healthcode-perf.ts): the health-code
 * engine alone, in a process started as the server is (compiled, with the server's node options;
 * bench/lib/load.ts). The bench's own file reading happens outside the measured windows.
 *
 *   healthcode-engine.js <paddle|tesseract> <workers> <maxQueue> [rss]
 *
 * `rss`: sample the process's RSS every 20 ms from its start (the burst's peak); left out where
 * the event loop is measured, since the server runs no such timer.
 *
 * Commands (besides ipc.ts's, whose eld-start / eld-stop give the idle baseline):
 *   open   start the engine and wait until it is ready → { readyMs }
 *   warm   { files }: the first file once out of the figures, then each file on its own →
 *          { latencies, cpu } (ms per image) and the event loop's longest delay while they ran
 *          (monitorEventLoopDelay, 1 ms resolution) → { maxBlockMs }
 *   burst  { files, jobs }: `jobs` recognitions submitted at once (running, queued, rejected) →
 *          { peakMiB, rejected, done, perSecond }
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type EngineKind, openEngine } from '../lib/healthcode-engine.js';
import { serveIpc } from './ipc.js';

const [kind, workers, maxQueue, rss] = process.argv.slice(2);
let peak = process.memoryUsage.rss();
const sampler = rss === 'rss' ? setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20) : undefined;
const engine = openEngine(kind as EngineKind, Number(workers), Number(maxQueue));
const read = (files: unknown) => (files as string[]).map((f) => readFileSync(f));

serveIpc({
  handlers: {
    open: async () => {
      const t = performance.now();
      await engine.ready();
      return { readyMs: performance.now() - t };
    },
    warm: async (args) => {
      const images = read(args.files);
      await engine.recognize(images[0]!);
      const latencies: number[] = [];
      const cpu: number[] = [];
      const loop = monitorEventLoopDelay({ resolution: 1 });
      for (const bytes of images) {
        loop.enable();
        const c = process.cpuUsage();
        const t = performance.now();
        await engine.recognize(bytes);
        latencies.push(performance.now() - t);
        const used = process.cpuUsage(c);
        loop.disable();
        cpu.push((used.user + used.system) / 1000);
      }
      return { latencies, cpu, maxBlockMs: loop.max / 1e6 };
    },
    burst: async (args) => {
      const images = read(args.files);
      const t = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: Number(args.jobs) }, (_, i) =>
          engine.recognize(images[i % images.length]!).then(
            () => 'ok',
            (err: { code?: string }) => err.code ?? 'error',
          ),
        ),
      );
      const seconds = (performance.now() - t) / 1000;
      peak = Math.max(peak, process.memoryUsage.rss());
      const done = outcomes.filter((o) => o === 'ok').length;
      return {
        peakMiB: peak / 2 ** 20,
        rejected: outcomes.filter((o) => o === 'RequestLimitExceeded').length,
        done,
        perSecond: done / seconds,
      };
    },
  },
  onExit: async () => {
    clearInterval(sampler);
    await engine.close();
  },
});
