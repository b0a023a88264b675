/**
 * Warming the engines with progress lines on stderr, shared by `npm start`, the command and
 * `exec`: one line when warming starts, one per engine once it is warm, and a "still warming"
 * line every 5 s in between, so a slow first start on a loaded machine does not look hung.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { EngineName } from '../engines/engines.js';

const LABELS: Record<EngineName, string> = {
  barcode: 'barcode (QrcodeOCR)',
  healthCode: 'health code (RecognizeHealthCodeOCR)',
};

export async function warmWithProgress(
  app: FastifyInstance,
  config: Readonly<Config>,
  write: (line: string) => void,
): Promise<void> {
  const names: EngineName[] = config.healthCodeOffline ? ['barcode'] : ['barcode', 'healthCode'];
  const pending = new Set(names);
  write(`  Warming:      ${names.map((n) => LABELS[n]).join(', ')} (/_emulator/ready answers 503 until done)\n`);
  const started = Date.now();
  const ticker = setInterval(() => {
    write(
      `  Warming:      still loading ${[...pending].map((n) => LABELS[n]).join(', ')} (${Math.round((Date.now() - started) / 1000)} s)\n`,
    );
  }, 5_000);
  ticker.unref();
  try {
    // The engines' loaders are memoised: these are the same promises warm() waits for.
    for (const name of names) {
      void app.engines[name]().then(
        () => {
          pending.delete(name);
          write(`  Warm:         ${LABELS[name]}\n`);
        },
        () => undefined, // warm() below rejects with the same error
      );
    }
    await app.engines.warm(names);
  } finally {
    clearInterval(ticker);
  }
}
