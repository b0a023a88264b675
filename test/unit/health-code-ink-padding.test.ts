import { describe, expect, it } from 'vitest';
import type { Decoded } from '../../src/engines/health-code/image.js';
import { DEFAULT_DETECT } from '../../src/engines/health-code/paddle/detect.js';
import type { PaddleModels } from '../../src/engines/health-code/paddle/models.js';
import { pageReads } from '../../src/engines/health-code/paddle/reads.js';
import { REC_CHOICES } from '../../src/engines/health-code/paddle/recognize.js';

/** Class index → character, as the recogniser's dictionary (0 is CTC's blank). */
const DICTIONARY = ['', '吕', '多', '*'];

/**
 * A recogniser that reads a short bold name as PP-OCR did on a brush face's `吕*`: `多` at 0.21
 * when the line is sampled alone at its own width, `吕` at 0.65 when padded to 320 model pixels;
 * a line more than half ink (a solid bar) reads `吕*` at any width. It records the width of every call.
 */
function fakeModels(widths: number[]): PaddleModels {
  class Tensor {
    constructor(
      readonly type: string,
      readonly data: Float32Array | Int32Array,
      readonly dims: number[],
    ) {}
  }
  const rec = {
    inputNames: ['x'],
    async run(feeds: Record<string, Tensor>) {
      const [n, , , stride] = feeds.x!.dims as [number, number, number, number];
      widths.push(stride);
      const steps = stride / 8;
      const k = REC_CHOICES;
      const values = new Float32Array(n * steps * k);
      const indices = new Int32Array(n * steps * k);
      const step = (line: number, t: number, cls: number, p: number) => {
        const at = (line * steps + t) * k;
        const others = [0, 1, 2, 3].filter((c) => c !== cls);
        indices.set([cls, ...others], at);
        values.set([p, ...others.map(() => (1 - p) / others.length)], at);
      };
      const input = feeds.x!.data as Float32Array;
      const plane = 48 * stride;
      for (let line = 0; line < n; line++) {
        // Samples of the line's first plane: ink is well below zero, padding exactly zero.
        const samples = input.subarray(line * 3 * plane, line * 3 * plane + plane).filter((v) => v !== 0);
        const dense = samples.filter((v) => v < -0.5).length > 0.5 * samples.length;
        const sure = stride >= 320 || dense;
        for (let t = 0; t < steps; t++) step(line, t, 0, 0.99);
        step(line, 1, sure ? 1 : 2, sure ? 0.65 : 0.21);
        step(line, 3, 3, 0.99);
      }
      return {
        values: new Tensor('float32', values, [n, steps, k]),
        indices: new Tensor('int32', indices, [n, steps, k]),
      };
    },
  };
  return { rec, ort: { Tensor }, dictionary: DICTIONARY } as unknown as PaddleModels;
}

/**
 * A white page with a bold glyph and a small star set high beside it: a two-glyph name no box
 * covers; with `more`, a row of ten such glyphs above it (wider than 320 model pixels) and a
 * short solid bar beside it.
 */
function namePage(more = false): Decoded {
  const width = 700;
  const height = 200;
  const rgb = Buffer.alloc(width * height * 3, 250);
  const paint = (x0: number, y0: number, w: number, h: number) => {
    for (let y = y0; y < y0 + h; y++) rgb.fill(20, (y * width + x0) * 3, (y * width + x0 + w) * 3);
  };
  paint(150, 120, 40, 40);
  paint(196, 120, 16, 16);
  if (more) {
    for (let i = 0; i < 10; i++) paint(40 + 50 * i, 20, 40, 40);
    paint(400, 125, 60, 30);
  }
  const dark = new Uint8Array(width * height);
  for (let i = 0; i < dark.length; i++) dark[i] = rgb[3 * i]!;
  return { width, height, rgb, dark };
}

describe('PP-OCR lines found by their ink', () => {
  it('reads a short line not kept again padded to 320 model pixels, as PaddleOCR pads every line', async () => {
    const widths: number[] = [];
    const { readInkLines } = pageReads(fakeModels(widths), DEFAULT_DETECT, 1);
    const found = await readInkLines(namePage(), []);
    expect(found.map((l) => l.text)).toEqual(['吕*']);
    // Read at its own width first (a short line), then once more padded.
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBeLessThan(320);
    expect(widths[1]).toBe(320);
  });

  it('reads again only the short lines not kept, each in its own place', async () => {
    const widths: number[] = [];
    const { readInkLines } = pageReads(fakeModels(widths), DEFAULT_DETECT, 1);
    // The wide row (first of the candidates, top of the page) and the short bar read 吕* at their
    // own widths and are kept; only the short name is read again padded, and kept as well.
    const found = await readInkLines(namePage(true), []);
    expect(found.map((l) => [l.text, Math.round(l.y0 / 100), l.x0 > 300])).toEqual([
      ['吕*', 0, false],
      ['吕*', 1, false],
      ['吕*', 1, true],
    ]);
    expect(widths.filter((w) => w === 320)).toHaveLength(1);
    expect(widths).toHaveLength(4);
    expect(Math.max(...widths)).toBeGreaterThan(320);
  });
});
