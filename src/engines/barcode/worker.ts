/**
 * The barcode worker thread (run by piscina). It warms up once — loads the wasm module and decodes
 * one tiny image — then answers jobs. Image problems come back as values (Tencent codes cross the
 * thread boundary as plain data); anything unexpected is thrown and becomes UnKnowError.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { decodeImage, type DecodeConfig } from './decode.js';
import { ImageError } from './image.js';
import { TEST_CRASH, TEST_HANG } from './test-hooks.js';
import type { DecodeOutput } from './types.js';

export interface WorkerConfig extends DecodeConfig {
  /** Honour the magic images of test-hooks.ts and forbid fetch in the thread. Tests only. */
  testHooks: boolean;
}

export interface WorkerTask {
  id: number;
  image: Uint8Array;
}

export type WorkerReply = { ok: true; output: DecodeOutput } | { ok: false; code: ImageError['code']; message: string };

/** Messages posted to the pool besides replies. */
export type WorkerEvent =
  | { kind: 'barcode-worker-warm'; threadId: number }
  | { kind: 'barcode-worker-failed'; threadId: number; message: string }
  | { kind: 'barcode-job-started'; id: number };

const config = workerData as WorkerConfig;

if (config.testHooks) {
  // Tests prove the decoder never goes to the network (zxing-wasm would fetch its .wasm from a CDN
  // unless handed the binary): any fetch in this thread fails loudly.
  globalThis.fetch = () => Promise.reject(new Error('network access from the barcode worker (test hooks forbid it)'));
}

function post(event: WorkerEvent): void {
  parentPort?.postMessage(event);
}

async function warmUp(): Promise<void> {
  const tiny = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ffffff' } }).png().toBuffer();
  await decodeImage(tiny, config);
}

const warm = warmUp();
warm.then(
  () => post({ kind: 'barcode-worker-warm', threadId }),
  (err: unknown) => post({ kind: 'barcode-worker-failed', threadId, message: err instanceof Error ? err.message : String(err) }),
);

export default async function decodeJob(task: WorkerTask): Promise<WorkerReply> {
  await warm;
  post({ kind: 'barcode-job-started', id: task.id });
  if (config.testHooks) testHook(task.image);
  try {
    return { ok: true, output: await decodeImage(task.image, config) };
  } catch (err) {
    if (err instanceof ImageError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}

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
