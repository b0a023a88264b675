/**
 * The barcode pipeline's parts on the current thread: offline wasm loading, format mapping,
 * symbol reconciliation, preprocessing and corner scaling.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import { decodeImage } from '../../src/engines/barcode/decode.js';
import { loadImage } from '../../src/engines/barcode/image.js';
import {
  decodeZxingCpp,
  LARGE_PIXELS,
  LAST_PASSES,
  RETRY_PASSES,
} from '../../src/engines/barcode/zxing-cpp-pipeline.js';
import { fromZxingCpp, toZxingCppFormats } from '../../src/engines/barcode/formats.js';
import { boxDownscale, unsharp, upscale2 } from '../../src/engines/barcode/preprocess.js';
import { type Candidate, reconcile, scaleCorners } from '../../src/engines/barcode/symbols.js';
import { DOCUMENTED_FORMATS, type Corners, type SymbolFormat } from '../../src/engines/barcode/types.js';
import { canonicalExpected, canonicalFound, scoreEntry, upcEToUpcA, type CorpusEntry } from '../../support/corpus.js';
import { qrPng } from '../../support/images.js';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/barcodes');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('zxing-wasm loads from node_modules, never from the network', () => {
  it('decodes with fetch replaced by a function that throws (and never calls it)', async () => {
    const fetch = vi.fn(() => {
      throw new Error('network is off in this test');
    });
    vi.stubGlobal('fetch', fetch);
    const out = await decodeImage(await readFile(path.join(fixturesDir, 'images/qr.png')), {
      engine: 'zxing-cpp',
      formats: DOCUMENTED_FORMATS,
      maxPixels: 1e7,
    });
    expect(out.symbols.map((s) => s.text)).toEqual(['https://example.com/tencent-ocr-emulator/qr']);
    expect(fetch).not.toHaveBeenCalled();
  });
});

interface FixtureEntry {
  file: string;
  symbols: { format: SymbolFormat; text: string; corners: Corners }[];
}
const manifest = JSON.parse(await readFile(path.join(fixturesDir, 'manifest.json'), 'utf8')) as FixtureEntry[];

function maxCornerError(got: Corners, want: Corners): number {
  const keys = ['topLeft', 'topRight', 'bottomRight', 'bottomLeft'] as const;
  return Math.max(...keys.map((k) => Math.hypot(got[k].x - want[k].x, got[k].y - want[k].y)));
}

describe('retry passes (only when the first pass finds nothing)', () => {
  it.each([
    ['images/ean13-thin.png', 'upscaled'],
    ['images/datamatrix-soft.png', 'sharpened'],
  ])(
    '%s: nothing with the library defaults, found by the %s pass, corners in upload pixels (±3 px)',
    async (file, pass) => {
      const f = manifest.find((m) => m.file === file)!;
      const raster = await loadImage(await readFile(path.join(fixturesDir, file)), 1e7);
      const formats = DOCUMENTED_FORMATS;
      expect((await decodeZxingCpp(raster, { formats, retries: false })).candidates).toEqual([]);
      const found = await decodeZxingCpp(raster, { formats, retries: true });
      expect(found.pass).toBe(pass);
      expect(RETRY_PASSES.map((p) => p.name)).toContain(pass);
      expect(found.candidates.map((c) => [c.format, c.text])).toEqual(f.symbols.map((s) => [s.format, s.text]));
      expect(maxCornerError(found.candidates[0]!.corners, f.symbols[0]!.corners)).toBeLessThanOrEqual(3);
    },
  );

  it('a QR code whose modules are covered in heavy texture is read only by the last, smoothed pass', async () => {
    const qr = await qrPng('textured modules', 6, 4);
    const { data, info } = await sharp(qr.png).greyscale().raw().toBuffer({ resolveWithObject: true });
    let seed = 12345;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    const textured = Buffer.from(data.map((v) => Math.max(0, Math.min(255, v + 300 * noise()))));
    const png = await sharp(textured, { raw: { width: info.width, height: info.height, channels: 1 } })
      .png()
      .toBuffer();
    const found = await decodeZxingCpp(await loadImage(png, 1e7), { formats: DOCUMENTED_FORMATS, retries: true });
    expect(found.pass).toBe('smoothed');
    expect(LAST_PASSES.map((p) => p.name)).toContain('smoothed');
    expect(found.candidates.map((c) => c.text)).toEqual(['textured modules']);
  });

  it('a photo above the large-image threshold is read downscaled first, corners still in upload pixels', async () => {
    const qr = await readFile(path.join(fixturesDir, 'images/qr.png'));
    const big = await sharp({ create: { width: 2400, height: 2000, channels: 3, background: '#ffffff' } })
      .composite([{ input: qr, left: 1500, top: 1200 }])
      .png()
      .toBuffer();
    expect(2400 * 2000).toBeGreaterThan(LARGE_PIXELS);
    const found = await decodeZxingCpp(await loadImage(big, 1e7), { formats: DOCUMENTED_FORMATS, retries: true });
    expect(found.pass).toBe('downscaled');
    const want = manifest.find((m) => m.file === 'images/qr.png')!.symbols[0]!;
    const shifted: Corners = {
      topLeft: { x: want.corners.topLeft.x + 1500, y: want.corners.topLeft.y + 1200 },
      topRight: { x: want.corners.topRight.x + 1500, y: want.corners.topRight.y + 1200 },
      bottomRight: { x: want.corners.bottomRight.x + 1500, y: want.corners.bottomRight.y + 1200 },
      bottomLeft: { x: want.corners.bottomLeft.x + 1500, y: want.corners.bottomLeft.y + 1200 },
    };
    expect(found.candidates.map((c) => c.text)).toEqual([want.text]);
    expect(maxCornerError(found.candidates[0]!.corners, shifted)).toBeLessThanOrEqual(4);
  });
});

describe('format mapping (zxing-wasm → ours)', () => {
  const all = new Set<SymbolFormat>(DOCUMENTED_FORMATS);

  it('asks zxing-wasm for model 1/2 QR codes only and the whole PDF417 family', () => {
    expect(toZxingCppFormats(['QR_CODE', 'PDF_417'])).toEqual(['QRCodeModel1', 'QRCodeModel2', 'PDF417']);
    expect(toZxingCppFormats([])).toEqual([]);
  });

  it('turns an EAN-13 with a leading 0 into a 12-digit UPC-A when UPC-A is enabled', () => {
    expect(fromZxingCpp('EAN13', '0036000291452', '', all)).toEqual({ format: 'UPC_A', text: '036000291452' });
    expect(fromZxingCpp('UPCA', '0036000291452', '', all)).toEqual({ format: 'UPC_A', text: '036000291452' });
    expect(fromZxingCpp('EAN13', '0036000291452', '', new Set<SymbolFormat>(['EAN_13']))).toEqual({
      format: 'EAN_13',
      text: '0036000291452',
    });
    expect(fromZxingCpp('EAN13', '5901234123457', '', all)).toEqual({ format: 'EAN_13', text: '5901234123457' });
  });

  it('reports UPC-E in its 8-digit form from the extra data', () => {
    expect(fromZxingCpp('UPCE', '0012345000065', '{"UPCE":"01234565"}', all)).toEqual({
      format: 'UPC_E',
      text: '01234565',
    });
  });

  it('maps variants to their family and drops formats that are not enabled', () => {
    expect(fromZxingCpp('Code39Ext', 'abc', '', all)).toEqual({ format: 'CODE_39', text: 'abc' });
    expect(fromZxingCpp('CompactPDF417', 'x', '', all)).toEqual({ format: 'PDF_417', text: 'x' });
    expect(fromZxingCpp('MicroPDF417', 'x', '', all)).toBeNull();
    expect(fromZxingCpp('Aztec', 'x', '', all)).toBeNull();
    expect(fromZxingCpp('Aztec', 'x', '', new Set<SymbolFormat>(['AZTEC']))).toEqual({ format: 'AZTEC', text: 'x' });
  });
});

function box(x0: number, y0: number, x1: number, y1: number): Corners {
  return {
    topLeft: { x: x0, y: y0 },
    topRight: { x: x1, y: y0 },
    bottomRight: { x: x1, y: y1 },
    bottomLeft: { x: x0, y: y1 },
  };
}
const sym = (format: SymbolFormat, text: string, corners: Corners, lines = 0): Candidate => ({
  format,
  text,
  corners,
  lines,
});

describe('reconcile: duplicates and contradictory 1-D reads', () => {
  it('merges the same symbol found twice at one place, keeps equal symbols at different places', () => {
    const out = reconcile([
      sym('DATA_MATRIX', 'X12', box(0, 0, 50, 50)),
      sym('DATA_MATRIX', 'X12', box(1, 1, 51, 51)),
      sym('DATA_MATRIX', 'X12', box(100, 0, 150, 50)),
    ]);
    expect(out.map((s) => s.corners.topLeft.x)).toEqual([0, 100]);
  });

  it('drops the weaker of two different texts read from the same bars when it has half the scan lines or fewer', () => {
    const out = reconcile([
      sym('UPC_E', '14761809', box(64, 94, 177, 95), 2),
      sym('UPC_E', '01264904', box(63, 96, 178, 132), 10),
    ]);
    expect(out.map((s) => s.text)).toEqual(['01264904']);
  });

  it('drops both when neither read is clearly better supported', () => {
    const out = reconcile([
      sym('EAN_13', '0023942431015', box(148, 192, 340, 201), 5),
      sym('EAN_13', '1110134738478', box(147, 180, 339, 190), 8),
    ]);
    expect(out).toEqual([]);
  });

  it('keeps two different codes of equal width stacked on a label sheet', () => {
    const out = reconcile([
      sym('EAN_13', '5901234123457', box(420, 460, 705, 540), 40),
      sym('CODE_128', 'abc', box(420, 340, 705, 420), 40),
    ]);
    expect(out.map((s) => s.text).sort()).toEqual(['5901234123457', 'abc']);
  });

  it('never treats 2-D symbols as contradictions (nested QR codes are real)', () => {
    const out = reconcile([sym('QR_CODE', 'outer', box(0, 0, 100, 100)), sym('QR_CODE', 'inner', box(30, 30, 70, 70))]);
    expect(out).toHaveLength(2);
  });
});

describe('preprocessing', () => {
  it('upscale2 keeps a flat image flat and a step edge monotonic', () => {
    expect([...upscale2(new Uint8Array(9).fill(77), 3, 3)]).toEqual(new Array(36).fill(77));
    const row = upscale2(Uint8Array.from([0, 0, 255, 255]), 4, 1).slice(0, 8);
    expect([...row].slice(0, 2)).toEqual([0, 0]);
    expect([...row].slice(6)).toEqual([255, 255]);
    for (let i = 1; i < row.length; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]! - 12); // cubic overshoot is small
  });

  it('boxDownscale averages whole blocks', () => {
    const grey = Uint8Array.from([0, 100, 200, 255, 50, 150, 250, 255]);
    expect(boxDownscale(grey, 4, 2, 2)).toEqual({ data: Uint8Array.from([75, 240]), width: 2, height: 1 });
  });

  it('unsharp steepens an edge: darker on the dark side, lighter on the light side', () => {
    const w = 12;
    const grey = new Uint8Array(w * 3);
    for (let y = 0; y < 3; y++) for (let x = 0; x < w; x++) grey[y * w + x] = x < 6 ? 60 : 200;
    const out = unsharp(grey, w, 3, 1.5, 1.5);
    expect(out[w + 5]!).toBeLessThan(60);
    expect(out[w + 6]!).toBeGreaterThan(200);
    expect(out[w]!).toBe(60);
  });

  it('scaleCorners maps variant pixels back to the upload', () => {
    expect(scaleCorners(box(20, 40, 60, 80), 2, 2)).toEqual(box(10, 20, 30, 40));
  });
});

describe('benchmark scoring (corpus README rules)', () => {
  it('expands UPC-E and compares EAN/UPC as 13-digit GTINs', () => {
    expect(upcEToUpcA('01234565')).toBe('012345000065');
    const e: CorpusEntry = {
      file: 'f',
      corpus: 'zxing',
      source: 'upce-1/1.png',
      kind: 'single',
      format: 'UPC_E',
      expected: '01234565',
    };
    expect(canonicalExpected(e, 'UPC_E', '01234565')).toBe('0012345000065');
    expect(canonicalFound({ format: 'UPC_E', text: '01234565' })).toBe('0012345000065');
    expect(canonicalFound({ format: 'UPC_A', text: '012345000065' })).toBe('0012345000065');
  });

  it('scores the main code of an add-on symbol and drops GS separators', () => {
    const ext: CorpusEntry = {
      file: 'f',
      corpus: 'zxing-cpp',
      source: 'upca-extension-1/19.webp',
      kind: 'single',
      format: 'UPC_A',
      expected: '002454313653800',
    };
    expect(scoreEntry(ext, [{ format: 'UPC_A', text: '024543136538' }]).outcome).toBe('decoded');
    const gs: CorpusEntry = {
      file: 'g',
      corpus: 'zxing',
      source: 'datamatrix/x.png',
      kind: 'single',
      format: 'DATA_MATRIX',
      expected: 'A\x1dB',
    };
    expect(scoreEntry(gs, [{ format: 'DATA_MATRIX', text: 'AB' }]).outcome).toBe('decoded');
    expect(scoreEntry(gs, [{ format: 'DATA_MATRIX', text: 'AC' }])).toMatchObject({ outcome: 'wrong', wrong: 1 });
  });

  it('counts any symbol on a negative image as a false positive', () => {
    const neg: CorpusEntry = {
      file: 'n',
      corpus: 'zxing',
      source: 'falsepositives-1/1.png',
      kind: 'negative',
      format: null,
    };
    expect(scoreEntry(neg, []).outcome).toBe('clean');
    expect(scoreEntry(neg, [{ format: 'QR_CODE', text: 'x' }]).outcome).toBe('false-positive');
  });
});
