/**
 * Hostile input, part of the bad-input suite: images tiny on disk whose shape makes decoders and
 * resize passes run away (issue: a 97 KB PNG of 1 × 50,000,000 px, a 21 KB one of 600 × 83,333,
 * a 6 KB one of 50,000,000 × 1). Each is refused from its header with ImageSizeTooLarge, and
 * while they are in flight a clean QR code (inline and by ImageUrl on `localhost`, which needs
 * DNS and libuv's shared threads) and a normal health-code screenshot are answered correctly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { type FileServer, serveFiles } from '../helpers/file-server.js';
import { HOSTILE_SHAPES, whitePng } from '../../support/hostile-images.js';
import { qrPng } from '../../support/images.js';
import { repoRoot } from '../helpers/shared.js';

const SCREENSHOT = 'henan-750x1334-20220117-clean.png';
const fixtures = path.join(repoRoot, 'fixtures', 'healthcode');
const screenshotBytes = readFileSync(path.join(fixtures, SCREENSHOT));
const { truth } = (
  JSON.parse(readFileSync(path.join(fixtures, 'manifest.json'), 'utf8')) as {
    file: string;
    truth: Record<string, string>;
  }[]
).find((f) => f.file === SCREENSHOT)!;

const hostile = {
  tall: whitePng(HOSTILE_SHAPES.tall.width, HOSTILE_SHAPES.tall.height),
  slab: whitePng(HOSTILE_SHAPES.slab.width, HOSTILE_SHAPES.slab.height),
  wide: whitePng(HOSTILE_SHAPES.wide.width, HOSTILE_SHAPES.wide.height),
};

let emulator: RunningEmulator;
let files: FileServer;
let qr: Buffer;

beforeAll(async () => {
  qr = (await qrPng('clean beside hostile')).png;
  files = await serveFiles({ '/qr.png': qr });
  emulator = await startTestEmulator({ TCOCR_ALLOW_PRIVATE_URLS: 'true' }, ['barcode', 'healthCode']);
});
afterAll(async () => {
  await emulator?.close();
  await files?.close();
});

const qrcode = (params: Record<string, unknown>) => sdkClient(emulator, { reqTimeout: 120 }).QrcodeOCR(params);
const healthCode = (params: Record<string, unknown>) =>
  sdkClient(emulator, { reqTimeout: 120 }).request('RecognizeHealthCodeOCR', params) as Promise<Record<string, string>>;
const base64 = (bytes: Buffer) => ({ ImageBase64: bytes.toString('base64') });

describe('hostile image shapes', () => {
  it('the uploads are as small as reported: 1×50M about 100 KB, 600×83333 about 21 KB, 50M×1 about 6 KB', () => {
    expect(hostile.tall.length).toBeLessThan(110_000);
    expect(hostile.slab.length).toBeLessThan(25_000);
    expect(hostile.wide.length).toBeLessThan(8_000);
  });

  it('RecognizeHealthCodeOCR answers ImageSizeTooLarge for each, and a normal screenshot in the meantime is read', async () => {
    const refused = Promise.all([
      errorCode(healthCode(base64(hostile.tall))),
      errorCode(healthCode(base64(hostile.tall))),
      errorCode(healthCode(base64(hostile.slab))),
      errorCode(healthCode(base64(hostile.wide))),
    ]);
    const normal = healthCode(base64(screenshotBytes));
    expect(await refused).toEqual(Array(4).fill('FailedOperation.ImageSizeTooLarge'));
    const fields = await normal;
    expect(fields.Name).toBe(truth.Name);
    expect(fields.Color).toBe(truth.Color);
  });

  it('QrcodeOCR answers ImageSizeTooLarge for each, while a clean QR inline and by ImageUrl (localhost) are decoded', async () => {
    const refused = Promise.all([
      errorCode(qrcode(base64(hostile.tall))),
      errorCode(qrcode(base64(hostile.slab))),
      errorCode(qrcode(base64(hostile.wide))),
    ]);
    const inline = qrcode(base64(qr));
    const byUrl = qrcode({ ImageUrl: files.url('/qr.png').replace('127.0.0.1', 'localhost') });
    expect(await refused).toEqual(Array(3).fill('FailedOperation.ImageSizeTooLarge'));
    expect((await inline).CodeResults?.[0]?.Url).toBe('clean beside hostile');
    expect((await byUrl).CodeResults?.[0]?.Url).toBe('clean beside hostile');
  });

  it('the queue-depth metric covers both engines, and nothing is left queued', async () => {
    const metrics = await (await fetch(`${emulator.url}/_emulator/metrics`)).text();
    expect(metrics).toContain('tcocr_engine_queue_depth{engine="barcode"} 0');
    expect(metrics).toContain('tcocr_engine_queue_depth{engine="healthCode"} 0');
  });

  it('an odd but plausible screenshot shape (540 × 6000, a long capture) is still read, not refused', async () => {
    const long = whitePng(540, 6000, 8);
    expect(await errorCode(healthCode(base64(long)))).toBe('FailedOperation.ImageNoText');
  });
});
