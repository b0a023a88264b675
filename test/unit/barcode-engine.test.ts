/**
 * The barcode engine end to end (worker pool included) against the generated fixtures in
 * fixtures/barcodes (manifest.json: expected format, text and corners of every symbol).
 *
 * Corner tolerance: 3 px for zxing-wasm (measured error ≤ 1 px on these images), 8 px for
 * @zxing/library's QR corners (derived from finder-pattern centres; ≈ 1.3 modules at 6 px modules,
 * measured ≤ 7 px on the 30° rotation). The workers run with test hooks, which also make any fetch
 * in the worker fail: every decode here proves the wasm is loaded without network.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors/api-error.js';
import { createBarcodeEngine } from '../../src/engines/barcode/index.js';
import {
  DOCUMENTED_FORMATS,
  type BarcodeEngine,
  type Corners,
  type DecodedSymbol,
  type SymbolFormat,
} from '../../src/engines/barcode/types.js';
import { TEST_CRASH, TEST_HANG } from '../../src/engines/barcode/test-hooks.js';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/barcodes');

interface FixtureSymbol {
  format: SymbolFormat;
  text: string;
  corners: Corners;
}
interface Fixture {
  file: string;
  description: string;
  width: number;
  height: number;
  symbols: FixtureSymbol[];
  expectError?: string;
}

const manifest = JSON.parse(await readFile(path.join(fixturesDir, 'manifest.json'), 'utf8')) as Fixture[];
const readFixture = (file: string): Promise<Buffer> => readFile(path.join(fixturesDir, file));
const fixture = (name: string): Fixture => manifest.find((f) => f.file === `images/${name}`)!;

const CORNERS = ['topLeft', 'topRight', 'bottomRight', 'bottomLeft'] as const;

/** Largest distance between a decoded corner and the expected one. */
function cornerError(got: Corners, want: Corners): number {
  return Math.max(...CORNERS.map((k) => Math.hypot(got[k].x - want[k].x, got[k].y - want[k].y)));
}

function expectSymbols(got: readonly DecodedSymbol[], want: readonly FixtureSymbol[], tolerance: number): void {
  expect(got.map((s) => `${s.format} ${s.text}`).sort()).toEqual(want.map((s) => `${s.format} ${s.text}`).sort());
  for (const w of want) {
    const g = got.find((s) => s.format === w.format && s.text === w.text)!;
    expect(cornerError(g.corners, w.corners), `${w.format} corners ${JSON.stringify(g.corners)}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

const positives = manifest.filter((f) => f.expectError === undefined && f.symbols.length > 0);
const negatives = manifest.filter((f) => f.expectError === undefined && f.symbols.length === 0);

it('the fixture set covers every documented format, several symbols per image, rotations, inversion and sizes', () => {
  const formats = new Set(positives.flatMap((f) => f.symbols.map((s) => s.format)));
  expect([...formats].sort()).toEqual([...DOCUMENTED_FORMATS].sort());
  expect(Math.max(...positives.map((f) => f.symbols.length))).toBeGreaterThanOrEqual(5);
  expect(negatives.map((f) => f.file).sort()).toEqual([
    'images/blank.png',
    'images/noise.jpg',
    'images/qr-blurred.png',
  ]);
});

describe('zxing-wasm engine (2 workers)', () => {
  let engine: BarcodeEngine;
  beforeAll(async () => {
    engine = await createBarcodeEngine({
      engine: 'zxing-cpp',
      formats: DOCUMENTED_FORMATS,
      workers: 2,
      maxQueue: 32,
      maxPixels: 40_000_000,
      timeoutMs: 30_000,
      testHooks: true,
    });
  });
  afterAll(async () => engine?.close());

  it('is warm when created: every worker is up', () => {
    expect(engine.stats()).toMatchObject({ workers: 2, running: 0, queued: 0 });
  });

  it.each(positives.map((f) => [f.file, f] as const))(
    '%s decodes to the manifest text, format and corners (±3 px)',
    async (_, f) => {
      const out = await engine.decode(await readFixture(f.file));
      expect({ width: out.width, height: out.height }).toEqual({ width: f.width, height: f.height });
      expectSymbols(out.symbols, f.symbols, 3);
    },
  );

  it('returns every symbol of the multi-symbol image', async () => {
    const f = fixture('multi.png');
    const out = await engine.decode(await readFixture(f.file));
    expect(out.symbols.map((s) => s.format).sort()).toEqual([
      'CODE_128',
      'DATA_MATRIX',
      'EAN_13',
      'PDF_417',
      'QR_CODE',
    ]);
  });

  it('reports UPC-A with 12 digits and UPC-E in its 8-digit form', async () => {
    const upca = await engine.decode(await readFixture('images/upca.png'));
    const upce = await engine.decode(await readFixture('images/upce.png'));
    expect(upca.symbols.map((s) => [s.format, s.text])).toEqual([['UPC_A', '036000291452']]);
    expect(upce.symbols.map((s) => [s.format, s.text])).toEqual([['UPC_E', '01234565']]);
  });

  it.each(negatives.map((f) => [f.file] as const))('%s decodes to no symbol', async (file) => {
    const out = await engine.decode(await readFixture(file));
    expect(out.symbols).toEqual([]);
    expect(out.width).toBeGreaterThan(0);
  });

  it('runs jobs on both workers at once and counts them', async () => {
    const before = engine.stats().completed;
    const files = ['qr.png', 'datamatrix.png', 'ean13.png', 'pdf417.png'];
    const outs = await Promise.all(files.map(async (f) => engine.decode(await readFixture(`images/${f}`))));
    expect(outs.map((o) => o.symbols[0]?.format)).toEqual(['QR_CODE', 'DATA_MATRIX', 'EAN_13', 'PDF_417']);
    expect(engine.stats().completed - before).toBe(4);
  });

  it('a truncated PNG is FailedOperation.ImageDecodeFailed', async () => {
    const png = await readFixture('images/qr.png');
    const err = await rejection(engine.decode(png.subarray(0, Math.floor(png.length / 2))));
    expect(err.code).toBe('FailedOperation.ImageDecodeFailed');
  });

  it('bytes that are no image are FailedOperation.ImageDecodeFailed', async () => {
    const err = await rejection(engine.decode(Buffer.from('this is not an image')));
    expect(err.code).toBe('FailedOperation.ImageDecodeFailed');
  });

  it('a decompression bomb (20000 × 20000, small on disk) is FailedOperation.ImageSizeTooLarge', async () => {
    const bomb = await readFixture('images/bomb.png');
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([meta.width, meta.height]).toEqual([20_000, 20_000]);
    expect(bomb.length).toBeLessThan(100_000);
    const err = await rejection(engine.decode(bomb));
    expect(err.code).toBe('FailedOperation.ImageSizeTooLarge');
    expect(String((err.cause as Error).message)).toContain('40000000');
  });
});

describe('pool limits (1 worker, queue of 1, 1.5 s timeout, 100 000-pixel limit)', () => {
  let engine: BarcodeEngine;
  beforeAll(async () => {
    engine = await createBarcodeEngine({
      engine: 'zxing-cpp',
      formats: DOCUMENTED_FORMATS,
      workers: 1,
      maxQueue: 1,
      maxPixels: 100_000,
      timeoutMs: 1_500,
      testHooks: true,
    });
  });
  afterAll(async () => engine?.close());

  it('enforces its own pixel limit: 278² passes, 984² is FailedOperation.ImageSizeTooLarge', async () => {
    const small = await engine.decode(await readFixture('images/qr.png'));
    expect(small.symbols).toHaveLength(1);
    const err = await rejection(engine.decode(await readFixture('images/qr-large.png')));
    expect(err.code).toBe('FailedOperation.ImageSizeTooLarge');
  });

  it('a full queue is RequestLimitExceeded; a hung worker is replaced and its job is UnKnowError', async () => {
    const qr = await readFixture('images/qr.png');
    const started = Date.now();
    const hung = rejection(engine.decode(Buffer.from(TEST_HANG)));
    const queued = engine.decode(qr);
    const overflow = await rejection(engine.decode(qr));
    expect(overflow.code).toBe('RequestLimitExceeded');
    expect(overflow.message).toMatch(/^The barcode decoder queue is full/);

    const timedOut = await hung;
    expect(timedOut.code).toBe('FailedOperation.UnKnowError');
    expect(timedOut.message).toMatch(/did not finish within 1500 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    // The job that waited behind it runs on the replacement worker.
    expect((await queued).symbols.map((s) => s.format)).toEqual(['QR_CODE']);
    expect(engine.stats()).toMatchObject({ workers: 1, running: 0, queued: 0 });
  });

  it('a crashed worker is UnKnowError and the next decode still works', async () => {
    const err = await rejection(engine.decode(Buffer.from(TEST_CRASH)));
    expect(err.code).toBe('FailedOperation.UnKnowError');
    expect(err.message).toMatch(/worker exited with code: 70/);
    const out = await engine.decode(await readFixture('images/datamatrix.png'));
    expect(out.symbols.map((s) => s.text)).toEqual(['DataMatrix fixture 01']);
  });

  it('serves queued jobs first come, first served', async () => {
    const spare = await createBarcodeEngine({
      engine: 'zxing-cpp',
      formats: ['QR_CODE'],
      workers: 1,
      maxQueue: 20,
      maxPixels: 1e6,
      timeoutMs: 10_000,
    });
    try {
      const image = await readFixture('images/qr.png');
      const finished: number[] = [];
      await Promise.all(Array.from({ length: 12 }, (_, i) => spare.decode(image).then(() => finished.push(i))));
      expect(finished).toEqual(Array.from({ length: 12 }, (_, i) => i));
    } finally {
      await spare.close();
    }
  });

  it('after close() every decode is refused', async () => {
    const spare = await createBarcodeEngine({
      engine: 'zxing-cpp',
      formats: ['QR_CODE'],
      workers: 1,
      maxQueue: 1,
      maxPixels: 1e6,
      timeoutMs: 5_000,
    });
    await spare.close();
    const err = await rejection(spare.decode(await readFixture('images/qr.png')));
    expect(err.code).toBe('FailedOperation.UnKnowError');
  });
});

describe('@zxing/library engine (zxing-js)', () => {
  let engine: BarcodeEngine;
  beforeAll(async () => {
    engine = await createBarcodeEngine({
      engine: 'zxing-js',
      formats: DOCUMENTED_FORMATS,
      workers: 1,
      maxQueue: 16,
      maxPixels: 40_000_000,
      timeoutMs: 30_000,
      testHooks: true,
    });
  });
  afterAll(async () => engine?.close());

  const qrFixtures = positives.filter((f) => f.symbols.length === 1 && f.symbols[0]!.format === 'QR_CODE');

  it('has QR fixtures to check, rotated and inverted among them', () => {
    expect(qrFixtures.map((f) => f.file)).toEqual(
      expect.arrayContaining(['images/qr.png', 'images/qr-rot90.png', 'images/qr-rot30.png', 'images/qr-inverted.png']),
    );
  });

  it.each(qrFixtures.map((f) => [f.file, f] as const))(
    '%s: text and corners derived from the finder patterns (±8 px)',
    async (_, f) => {
      const out = await engine.decode(await readFixture(f.file));
      expectSymbols(out.symbols, f.symbols, 8);
    },
  );

  it('derives DataMatrix and 1-D corners too (±3 px on clean images)', async () => {
    for (const name of ['datamatrix.png', 'ean13.png', 'code128-rot90.png']) {
      const f = fixture(name);
      const out = await engine.decode(await readFixture(f.file));
      expectSymbols(out.symbols, f.symbols, 3);
    }
  });

  it('gives each image its own answer (no state carried over between decodes)', async () => {
    const a = await engine.decode(await readFixture('images/qr.png'));
    const blank = await engine.decode(await readFixture('images/blank.png'));
    const b = await engine.decode(await readFixture('images/code39.png'));
    expect(a.symbols.map((s) => s.text)).toEqual([fixture('qr.png').symbols[0]!.text]);
    expect(blank.symbols).toEqual([]);
    expect(b.symbols.map((s) => s.text)).toEqual(['CODE39 FIXTURE']);
  });
});
