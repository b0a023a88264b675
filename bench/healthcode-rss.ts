/**
 * Child process of bench/healthcode.ts (a fresh process, as a started emulator is): opens the
 * health-code engine with two workers, submits two running jobs, a full queue (16) and four more
 * (rejected), and prints one JSON line: peak RSS, ready() time, rejections, throughput.
 *
 *   tsx bench/healthcode-rss.ts <paddle|tesseract> <image> [image …]
 */
import { readFileSync } from 'node:fs';
import { type EngineKind, openEngine } from './lib/healthcode-engine.js';

const [kind, ...files] = process.argv.slice(2);
const images = files.map((f) => readFileSync(f));
const maxQueue = 16;
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const t0 = performance.now();
const engine = openEngine(kind as EngineKind, 2, maxQueue);
await engine.ready();
const readyMs = performance.now() - t0;
const t1 = performance.now();
const burst = Array.from({ length: 2 + maxQueue + 4 }, (_, i) =>
  engine.recognize(images[i % images.length]!).then(
    () => 'ok',
    (err: { code?: string }) => err.code ?? 'error',
  ),
);
const outcomes = await Promise.all(burst);
const seconds = (performance.now() - t1) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await engine.close();
const done = outcomes.filter((o) => o === 'ok').length;
console.log(
  JSON.stringify({
    peakMiB: peak / 2 ** 20,
    readyMs,
    rejected: outcomes.filter((o) => o === 'RequestLimitExceeded').length,
    done,
    perSecond: done / seconds,
  }),
);
