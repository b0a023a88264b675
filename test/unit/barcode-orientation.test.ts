/**
 * The any-angle search for 1-D barcodes: bwip-js symbols rotated through 0–180°, found, read and
 * given corners in the uploaded image's pixels; the region finder's angle; the pixel bounds.
 */
import bwipjs from 'bwip-js';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { addOnCorners, addOnDigits, withoutAddOn } from '../../src/engines/barcode/addon.js';
import {
  decodeElements,
  decodeUpcEElements,
  readEanProfiles,
  upcEToUpcA,
} from '../../src/engines/barcode/ean-profile.js';
import { PixelBudget } from '../../src/engines/barcode/budget.js';
import { loadImage, luminance } from '../../src/engines/barcode/image.js';
import { findBarRegions } from '../../src/engines/barcode/orientation.js';
import { uprightSize } from '../../src/engines/barcode/upright.js';
import { DOCUMENTED_FORMATS, type Point } from '../../src/engines/barcode/types.js';
import { decodeZxingCpp, ORIENTED_PASS } from '../../src/engines/barcode/zxing-cpp-pipeline.js';

const BORDER = 40;

interface Rotated {
  png: Buffer;
  /** symbol size (outermost bars, without quiet zone) */
  w: number;
  h: number;
  /** upload pixel → symbol coordinates (x across the bars from the first bar, y down the bars) */
  toSymbol(p: Point): Point;
}

/** A bwip-js symbol cropped to its bars, a white quiet zone around it, turned clockwise by `degrees`. */
async function rotatedSymbol(bcid: string, text: string, degrees: number): Promise<Rotated> {
  const raw = await bwipjs.toBuffer({ bcid, text, scale: 3, height: 12, includetext: false });
  const bars = await darkBox(raw);
  const { width: w, height: h } = bars;
  const padded = await sharp(raw)
    .flatten({ background: '#ffffff' })
    .extract(bars)
    .extend({ top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, background: '#ffffff' })
    .png()
    .toBuffer();
  const rotated = await sharp(padded)
    .rotate(degrees, { background: '#ffffff' })
    .png()
    .toBuffer({ resolveWithObject: true });
  const W = w + 2 * BORDER;
  const H = h + 2 * BORDER;
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  return {
    png: rotated.data,
    w,
    h,
    // Inverse of p' = R(p − c) + c' (clockwise in image coordinates), then the border removed.
    toSymbol(p) {
      const dx = p.x - rotated.info.width / 2;
      const dy = p.y - rotated.info.height / 2;
      return { x: cos * dx + sin * dy + W / 2 - BORDER, y: -sin * dx + cos * dy + H / 2 - BORDER };
    },
  };
}

/** The bounding box of the dark pixels (the outermost bars). */
async function darkBox(png: Buffer): Promise<{ left: number; top: number; width: number; height: number }> {
  const { data, info } = await sharp(png)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[y * info.width + x]! >= 128) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return { left: x0, top: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

const ANGLES = Array.from({ length: 13 }, (_, i) => i * 15);

describe.each([
  ['ean13', '5901234123457', 'EAN_13'],
  ['code128', 'ANY-ANGLE-128', 'CODE_128'],
])('%s rotated through 0–180°', (bcid, text, format) => {
  it.each(ANGLES)('%i°: read, corners on the outermost bars in upload pixels', async (degrees) => {
    const sym = await rotatedSymbol(bcid, text, degrees);
    const raster = await loadImage(sym.png, 1e7);
    const out = await decodeZxingCpp(raster, { formats: DOCUMENTED_FORMATS, retries: true });
    expect(out.candidates.map((c) => [c.format, c.text])).toEqual([[format, text]]);
    const c = out.candidates[0]!.corners;
    const [tl, tr, br, bl] = [c.topLeft, c.topRight, c.bottomRight, c.bottomLeft].map((p) => sym.toSymbol(p));
    // Left corners on the first bar, right corners on the last (±4 px), all within the bars' height.
    for (const p of [tl!, bl!]) expect(Math.abs(p.x)).toBeLessThanOrEqual(4);
    for (const p of [tr!, br!]) expect(Math.abs(p.x - sym.w)).toBeLessThanOrEqual(4);
    for (const p of [tl!, tr!, br!, bl!]) {
      expect(p.y).toBeGreaterThanOrEqual(-4);
      expect(p.y).toBeLessThanOrEqual(sym.h + 4);
    }
    // Far from the image axes only the any-angle search reads it, and its corners are in the
    // symbol's own orientation: the top edge runs along the rotated x axis. (Near the axes ZXing's
    // own row scans read it, with corners on one scan row.)
    const offAxis = Math.min(degrees % 90, 90 - (degrees % 90));
    if (offAxis >= 30) expect(out.pass).toBe(ORIENTED_PASS);
    if (out.pass === ORIENTED_PASS) {
      const dir = (Math.atan2(c.topRight.y - c.topLeft.y, c.topRight.x - c.topLeft.x) * 180) / Math.PI;
      const diff = ((((dir - degrees) % 360) + 540) % 360) - 180;
      expect(Math.abs(diff)).toBeLessThanOrEqual(3);
    }
  });
});

describe('findBarRegions', () => {
  it.each([0, 20, 45, 70, 110, 160])(
    'finds the bars of an EAN-13 turned %i° with the angle across them (±4°)',
    async (degrees) => {
      const sym = await rotatedSymbol('ean13', '5901234123457', degrees);
      const raster = await loadImage(sym.png, 1e7);
      const regions = findBarRegions(luminance(raster), raster.width, raster.height);
      expect(regions.length).toBeGreaterThan(0);
      const angle = (regions[0]!.angle * 180) / Math.PI;
      const diff = Math.abs(((((angle - degrees) % 180) + 270) % 180) - 90);
      expect(diff).toBeLessThanOrEqual(4);
    },
  );

  it('finds nothing in a blank image', () => {
    expect(findBarRegions(new Uint8Array(200 * 100).fill(255), 200, 100)).toEqual([]);
  });
});

describe('pixel bounds', () => {
  it('a budget refuses what does not fit and keeps what it refused', () => {
    const budget = new PixelBudget(1000);
    expect(budget.take(600)).toBe(true);
    expect(budget.take(500)).toBe(false);
    expect(budget.take(400)).toBe(true);
    expect(budget.used).toBe(1000);
  });

  it('an upright crop never exceeds its pixel limit, however large the region', () => {
    const region = { cx: 0, cy: 0, angle: 0.3, halfAcross: 20_000, halfAlong: 15_000, energy: 1 };
    const size = uprightSize(region, 1_000_000, 0.5);
    expect(size.width * size.height).toBeLessThanOrEqual(1_010_000);
    expect(size.step).toBeGreaterThan(1);
  });
});

describe('EAN add-ons', () => {
  it('takes the digits from the extra data and keeps them out of the main text', () => {
    expect(addOnDigits('{"EanAddOn":"52395"}')).toBe('52395');
    expect(addOnDigits('{"UPCE":"01234565"}')).toBeUndefined();
    expect(withoutAddOn('900437801102701', '{"EanAddOn":"01"}')).toBe('9004378011027');
    expect(withoutAddOn('9004378011027', '{"EanAddOn":"01"}')).toBe('9004378011027');
  });

  it('places the add-on 9 modules right of the main symbol', () => {
    const main = {
      topLeft: { x: 0, y: 0 },
      topRight: { x: 95, y: 0 },
      bottomRight: { x: 95, y: 50 },
      bottomLeft: { x: 0, y: 50 },
    };
    expect(addOnCorners(main, 95, 20)).toEqual({
      topLeft: { x: 104, y: 0 },
      topRight: { x: 124, y: 0 },
      bottomRight: { x: 124, y: 50 },
      bottomLeft: { x: 104, y: 50 },
    });
  });
});

describe('EAN-13 from edges (the last resort for defocused bars)', () => {
  /** Element widths (in modules) of an EAN-13, from the standard's tables. */
  function elements(text: string): number[] {
    const L = ['3211', '2221', '2122', '1411', '1132', '1231', '1114', '1312', '1213', '3112'];
    const parity = ['000000', '001011', '001101', '001110', '010011', '011001', '011100', '010101', '010110', '011010'][
      Number(text[0])
    ]!;
    const digit = (d: string, g: boolean) =>
      [...(g ? [...L[Number(d)]!].reverse().join('') : L[Number(d)]!)].map(Number);
    const left = [...text.slice(1, 7)].flatMap((d, i) => digit(d, parity[i] === '1'));
    const right = [...text.slice(7)].flatMap((d) => digit(d, false));
    return [1, 1, 1, ...left, 1, 1, 1, 1, 1, ...right, 1, 1, 1];
  }

  it('decodes the 59 element widths of an EAN-13 and refuses a wrong check digit', () => {
    expect(decodeElements(elements('5901234123457').map((m) => m * 3.1))).toBe('5901234123457');
    expect(decodeElements(elements('5901234123458'))).toBeNull();
  });

  /** Widths on a curved label: the module shrinks steadily from `from` to `to` pixels along the symbol. */
  const curved = (w: number[], from: number, to: number) => w.map((m, i) => m * (from + ((to - from) * i) / w.length));

  it('reads an EAN-13 whose module shrinks by half along the symbol (a label round a bottle)', () => {
    expect(decodeElements(curved(elements('5901234123457'), 4, 2))).toBe('5901234123457');
  });

  it('decodes a UPC-E, its check digit carried by the parity pattern, also with a shrinking module', () => {
    const L = ['3211', '2221', '2122', '1411', '1132', '1231', '1114', '1312', '1213', '3112'];
    // 0 126490 4: number system 0, check digit 4 → parities G L G G L L (1 = G).
    const parity = '101100';
    const digits = [...'126490'].flatMap((d, i) =>
      [...(parity[i] === '1' ? [...L[Number(d)]!].reverse().join('') : L[Number(d)]!)].map(Number),
    );
    const w = [1, 1, 1, ...digits, 1, 1, 1, 1, 1, 1];
    expect(decodeUpcEElements(w.map((m) => m * 2))).toBe('01264904');
    expect(decodeUpcEElements(curved(w, 3, 2))).toBe('01264904');
    expect(upcEToUpcA('01264904')).toBe('012000006494');
    // The parities flipped mean number system 1, check digit 4, which 1 120000 0649 does not have.
    const flipped = [...'126490'].flatMap((d, i) =>
      [...(parity[i] === '0' ? [...L[Number(d)]!].reverse().join('') : L[Number(d)]!)].map(Number),
    );
    expect(decodeUpcEElements([1, 1, 1, ...flipped, 1, 1, 1, 1, 1, 1])).toBeNull();
  });

  it('reads a blurred bwip-js EAN-13 from its edges, with the extent of its bars', async () => {
    const raw = await bwipjs.toBuffer({
      bcid: 'ean13',
      text: '5901234123457',
      scale: 3,
      height: 20,
      includetext: false,
    });
    const bars = await darkBox(raw);
    const { data, info } = await sharp(raw)
      .flatten({ background: '#ffffff' })
      .extract(bars)
      .extend({ top: 20, bottom: 20, left: 30, right: 30, background: '#ffffff' })
      .greyscale()
      .blur(1.2)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const reads = readEanProfiles(new Uint8Array(data), info.width, info.height);
    expect(reads.map((r) => r.text)).toEqual(['5901234123457']);
    expect(Math.abs(reads[0]!.x0 - 30)).toBeLessThanOrEqual(2);
    expect(Math.abs(reads[0]!.x1 - (30 + bars.width))).toBeLessThanOrEqual(2);
  });
});
