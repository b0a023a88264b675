/**
 * Benchmark child: the QrcodeOCR scenario's decoders without HTTP, in a closed loop.
 *
 *   decoder.js <bare|engine> <workers>
 *
 *   bare    a piscina pool of <workers> threads running bench/servers/decoder-worker.ts
 *           (sharp decode + the same zxing-wasm reader), strictly FIFO: the baseline
 *   engine  createBarcodeEngine with the emulator's defaults (its own piscina pool, pixel limit,
 *           retry passes, timeouts): the engine alone, to split the gap into engine and HTTP parts
 *
 * Command `run { image, concurrency, seconds }` → closedLoop's latencies; `symbols` checks the
 * image decodes; `stages { image, n }` times each stage of both decoders on this thread, one image
 * at a time (wall and CPU ms per image; sharp's share runs on libuv's threads).
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import sharp from 'sharp';
import { decodeImage } from '../../src/engines/barcode/decode.js';
import { toZxingCppFormats } from '../../src/engines/barcode/formats.js';
import { loadImage } from '../../src/engines/barcode/image.js';
import { createBarcodeEngine } from '../../src/engines/barcode/index.js';
import { DOCUMENTED_FORMATS } from '../../src/engines/barcode/types.js';
import { decodeZxingCpp } from '../../src/engines/barcode/zxing-cpp-pipeline.js';
import { readZxingCpp } from '../../src/engines/barcode/zxing-cpp.js';
import { closedLoop, serveIpc } from './ipc.js';

const MAX_PIXELS = 50_000_000;

/**
 * Wall and CPU (whole process) ms per call of `fn`: three batches of n/3 calls after a few
 * unmeasured ones; the fastest batch (the least disturbed by anything else on the machine).
 */
async function timed(fn: () => Promise<unknown>, n: number): Promise<{ wallMs: number; cpuMs: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const per = Math.max(1, Math.round(n / 3));
  let best = { wallMs: Number.POSITIVE_INFINITY, cpuMs: Number.POSITIVE_INFINITY };
  for (let batch = 0; batch < 3; batch++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < per; i++) await fn();
    const cpu = process.cpuUsage(cpu0);
    const wallMs = (performance.now() - t0) / per;
    if (wallMs < best.wallMs) best = { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 / per };
  }
  return best;
}

async function stages(image: Uint8Array, n: number): Promise<Record<string, { wallMs: number; cpuMs: number }>> {
  const formats = toZxingCppFormats(DOCUMENTED_FORMATS);
  const bareDecode = () => sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { data, info } = await bareDecode();
  const raster = {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
  const config = { engine: 'zxing-cpp' as const, formats: DOCUMENTED_FORMATS, maxPixels: MAX_PIXELS, retries: true };
  // The same picture without an alpha channel: what loadImage costs when there is nothing to flatten.
  const opaque = new Uint8Array(await sharp(image).removeAlpha().png().toBuffer());
  // Everything once first (sharp, the wasm module, the JIT), so no stage pays for another's start.
  for (let i = 0; i < 5; i++) await decodeImage(image, config);
  return {
    'bare: sharp → RGBA': await timed(bareDecode, n),
    'bare: zxing-wasm read': await timed(() => readZxingCpp(raster, { formats }), n),
    'bare: whole decode': await timed(async () => {
      const r = await bareDecode();
      return readZxingCpp({ data: r.data, width: r.info.width, height: r.info.height }, { formats });
    }, n),
    'engine: loadImage (metadata, flatten, sRGB, RGBA)': await timed(() => loadImage(image, MAX_PIXELS), n),
    'engine: loadImage, same image saved without alpha': await timed(() => loadImage(opaque, MAX_PIXELS), n),
    'engine: sharp metadata alone': await timed(() => sharp(image, { limitInputPixels: false }).metadata(), n),
    'engine: decodeZxingCpp (first pass + reconcile)': await timed(
      () => decodeZxingCpp(raster, { formats: DOCUMENTED_FORMATS, retries: true }),
      n,
    ),
    'engine: decodeImage (what a worker job runs)': await timed(() => decodeImage(image, config), n),
  };
}

const mode = process.argv[2] === 'engine' ? 'engine' : 'bare';
const workers = Number(process.argv[3] ?? 1);

let decode: (image: Uint8Array) => Promise<number>;
let close: () => Promise<void>;

if (mode === 'bare') {
  const pool = new Piscina<Uint8Array, number>({
    // Compiled: decoder-worker.js; from source: the .mjs that registers tsx in the thread.
    filename: fileURLToPath(
      new URL(import.meta.url.endsWith('.ts') ? './decoder-worker.mjs' : './decoder-worker.js', import.meta.url),
    ),
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    atomics: 'disabled',
    // First in, first out. By default piscina puts a task it could not hand to a busy thread at
    // the back of the queue, and with more callers than threads some wait for the whole run.
    stricterFIFO: true,
  });
  decode = (image) => pool.run(image);
  close = () => pool.destroy();
} else {
  const engine = await createBarcodeEngine({
    engine: 'zxing-cpp',
    formats: DOCUMENTED_FORMATS,
    workers,
    maxQueue: 64,
    maxPixels: MAX_PIXELS,
    timeoutMs: 20_000,
  });
  decode = async (image) => (await engine.decode(image)).symbols.length;
  close = () => engine.close();
}

serveIpc({
  handlers: {
    symbols: (args) => decode(args.image as Uint8Array),
    stages: (args) => stages(args.image as Uint8Array, Number(args.n ?? 60)),
    run: (args) => closedLoop(() => decode(args.image as Uint8Array), Number(args.concurrency), Number(args.seconds)),
  },
  onExit: close,
});
