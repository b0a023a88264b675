/**
 * The emulator's heavy engines, created once per app. Each is loaded and started on first use or
 * by `warm()` at start-up (the server warms both before it reports ready) and closed with the app.
 * Their modules are imported on demand, so protocol-only use never loads wasm or tesseract.
 */
import type { Config } from '../config.js';
import type { BarcodeEngine, BarcodeEngineStats } from './barcode/types.js';
import type { HealthCodeEngine } from './health-code/types.js';
import type { UrlOptions } from './image-input.js';

export type EngineName = 'barcode' | 'healthCode';

export interface Engines {
  barcode(): Promise<BarcodeEngine>;
  healthCode(): Promise<HealthCodeEngine>;
  readonly url: UrlOptions;
  /** Starts and warms the named engines (default: every engine the configuration serves). */
  warm(which?: readonly EngineName[]): Promise<void>;
  /** True once `warm()` has finished. */
  isWarm(): boolean;
  /** Pool figures of the engines that are up (never starts one). */
  stats(): Partial<Record<EngineName, BarcodeEngineStats>>;
  close(): Promise<void>;
}

export function createEngines(config: Readonly<Config>): Engines {
  let barcode: Promise<BarcodeEngine> | undefined;
  let healthCode: Promise<HealthCodeEngine> | undefined;
  let warm = false;
  let closed = false;
  const up: Partial<Record<EngineName, { stats(): BarcodeEngineStats }>> = {};

  const engines: Engines = {
    barcode() {
      if (closed) return Promise.reject(new Error('engines are closed'));
      barcode ??= import('./barcode/index.js').then(({ createBarcodeEngine }) =>
        createBarcodeEngine({
          engine: config.barcodeEngine,
          formats: config.barcodeFormats,
          workers: config.decoderWorkers,
          maxQueue: config.queueLimit,
          maxPixels: config.maxImagePixels,
          timeoutMs: config.decodeTimeoutMs,
        }).then((engine) => (up.barcode = engine)),
      );
      return barcode;
    },
    healthCode() {
      if (closed) return Promise.reject(new Error('engines are closed'));
      healthCode ??= (async () => {
        const { createHealthCodeEngine } = await import('./health-code/index.js');
        const engine = createHealthCodeEngine({
          engine: config.ocrEngine,
          workers: config.ocrWorkers,
          threads: config.ocrThreads,
          maxQueue: config.queueLimit,
          maxPixels: config.maxImagePixels,
          timeoutMs: config.decodeTimeoutMs,
        });
        await engine.ready();
        up.healthCode = engine;
        return engine;
      })();
      return healthCode;
    },
    url: {
      timeoutMs: config.urlTimeoutMs,
      maxRedirects: 3,
      allowPrivateNetworks: config.allowPrivateUrls,
      urlMap: config.urlMap,
    },
    async warm(which = config.healthCodeOffline ? ['barcode'] : ['barcode', 'healthCode']) {
      await Promise.all(which.map((name) => engines[name]()));
      warm = true;
    },
    isWarm: () => warm,
    stats: () => Object.fromEntries(Object.entries(up).map(([name, engine]) => [name, engine.stats()])),
    async close() {
      closed = true;
      const started: Promise<{ close(): Promise<void> }>[] = [];
      if (barcode) started.push(barcode);
      if (healthCode) started.push(healthCode);
      await Promise.allSettled(started.map(async (engine) => (await engine).close()));
    },
  };
  return engines;
}
