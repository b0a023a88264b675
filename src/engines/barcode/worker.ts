/**
 * The barcode worker thread (run by the engine pool, src/engines/pool/). It warms up once — loads
 * the wasm module and decodes one tiny image — then decodes one upload per job. Image problems are
 * thrown as ApiError (they cross the thread boundary as data); anything else becomes UnKnowError.
 */
import sharp from 'sharp';
import { ApiError } from '../../errors/api-error.js';
import { serveJobs, workerConfig } from '../pool/worker-host.js';
import { decodeImage, type DecodeConfig } from './decode.js';
import { ImageError } from './image.js';
import { TEST_CRASH, TEST_HANG } from './test-hooks.js';
import type { DecodeOutput } from './types.js';

export interface WorkerConfig extends DecodeConfig {
  /** Honour the magic images of test-hooks.ts and forbid fetch in the thread. Tests only. */
  testHooks: boolean;
}

const config = workerConfig<WorkerConfig>();

if (config.testHooks) {
  // Tests prove the decoder never goes to the network (zxing-wasm would fetch its .wasm from a CDN
  // unless handed the binary): any fetch in this thread fails loudly.
  globalThis.fetch = () => Promise.reject(new Error('network access from the barcode worker (test hooks forbid it)'));
}

serveJobs<Uint8Array, DecodeOutput>(async () => ({
  async warm() {
    const tiny = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    await decodeImage(tiny, config);
  },
  async run(image) {
    if (config.testHooks) testHook(image);
    try {
      return await decodeImage(image, config);
    } catch (err) {
      if (err instanceof ImageError) throw new ApiError(err.code, [], { cause: err });
      throw err;
    }
  },
}));

function testHook(image: Uint8Array): void {
  const head = Buffer.from(image.subarray(0, 32)).toString('latin1');
  if (head.startsWith(TEST_HANG)) {
    // Busy forever, like a decoder stuck in a loop: only terminating the thread ends it.
    for (;;) {
      /* hang */
    }
  }
  if (head.startsWith(TEST_CRASH)) process.exit(70);
}
