/**
 * PP-OCR text recognition (SVTR-LCNet with CTC): each detected rectangle sampled upright to the
 * model's 48-pixel height, lines of similar aspect batched together (padded to the widest of
 * the batch), and each step's likeliest classes (the model's output cut to them,
 * ./top-choices.ts) decoded greedily (repeats merged, blanks dropped).
 */
import type * as Ort from 'onnxruntime-node';
import type { Point, Quad } from './geometry.js';
import { REC_NORM, type Rgb, sampleInto } from './tensor.js';

export const REC_HEIGHT = 48;
/** Widest line sampled, in model pixels (a 40:1 line; longer ones are squeezed). */
export const REC_MAX_WIDTH = REC_HEIGHT * 40;

export interface RecognizeOptions {
  /** Lines per model call (PaddleOCR: 6). */
  batch: number;
  /** Lines sampled this many times wider than their aspect (short digit runs: more CTC steps keep 11 from merging into 1). */
  stretch?: number;
  /** Keep this many likeliest characters per character read (vocabulary choices: surnames); fewer than REC_CHOICES. */
  alternatives?: number;
  /** Read only these classes: each step's likeliest of them or the blank, whichever ranks first (none kept: a blank). */
  only?: ReadonlySet<number>;
  /** Each call at least this wide (model pixels): a short line padded on its right as PaddleOCR pads to 320. */
  minWidth?: number;
}

export interface RecognizedChar {
  text: string;
  prob: number;
  /** Horizontal centre of the character along the line, 0..1. */
  at: number;
  /** With `alternatives`: the likeliest characters at this character's best step, best first. */
  alts?: { text: string; prob: number }[];
}

export interface RecognizedLine {
  text: string;
  /** Mean probability of the characters read (0 when none). */
  score: number;
  chars: RecognizedChar[];
}

interface Crop {
  index: number;
  origin: Point;
  ex: Point;
  ey: Point;
  width: number;
}

/** How wide a quad is sampled at the model's height (model pixels, before any padding). */
export function sampledWidth(quad: Quad): number {
  return cropFor(quad, 0).width;
}

/** The sampling frame of a line: left-to-right along its long side, a tall box turned upright. */
function cropFor(quad: Quad, index: number, stretch = 1): Crop {
  const [tl, tr, , bl] = quad;
  const w = Math.hypot(tr.x - tl.x, tr.y - tl.y);
  const h = Math.hypot(bl.x - tl.x, bl.y - tl.y);
  const ex = { x: tr.x - tl.x, y: tr.y - tl.y };
  const ey = { x: bl.x - tl.x, y: bl.y - tl.y };
  const width = Math.min(
    REC_MAX_WIDTH,
    Math.max(REC_HEIGHT / 4, Math.round((stretch * REC_HEIGHT * w) / Math.max(1, h))),
  );
  return { index, origin: tl, ex, ey, width: Math.ceil(width) };
}

export async function recognizeLines(
  session: Ort.InferenceSession,
  ort: typeof Ort,
  img: Rgb,
  quads: readonly Quad[],
  dictionary: readonly string[],
  options: RecognizeOptions,
): Promise<RecognizedLine[]> {
  const crops = quads.map((q, i) => cropFor(q, i, options.stretch)).sort((a, b) => a.width - b.width);
  const out: RecognizedLine[] = new Array(quads.length);
  for (let i = 0; i < crops.length; i += options.batch) {
    const batch = crops.slice(i, i + options.batch);
    // Widths rounded up to the model's 8-pixel step; the batch is as wide as its widest line.
    const stride = Math.ceil(Math.max(options.minWidth ?? 0, ...batch.map((c) => c.width)) / 8) * 8;
    const input = new Float32Array(batch.length * 3 * REC_HEIGHT * stride);
    batch.forEach((c, n) => {
      sampleInto(img, c.origin, c.ex, c.ey, c.width, REC_HEIGHT, input, n, stride, REC_NORM);
    });
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, stride]) };
    const result = await session.run(feeds);
    // The model's output cut to each step's REC_CHOICES likeliest classes (./top-choices.ts).
    const values = result[REC_OUTPUTS.values]!;
    const [, steps, k] = values.dims as [number, number, number];
    const top = { values: values.data as Float32Array, indices: result[REC_OUTPUTS.indices]!.data as Int32Array, k };
    batch.forEach((c, n) => {
      // Steps beyond the line's own width read the padding.
      const used = Math.min(steps, Math.ceil((c.width / stride) * steps));
      out[c.index] = ctcDecode(top, n * steps * k, used, dictionary, options.alternatives ?? 0, options.only);
    });
  }
  return out;
}

/** The recogniser's outputs once cut (./top-choices.ts): each step's likeliest classes and their probabilities. */
export const REC_OUTPUTS = { values: 'values', indices: 'indices' } as const;

/**
 * Classes kept per step of the recogniser's output: the most character choices a caller asks
 * for (surname.ts: 8) and the blank, which may be among them.
 */
export const REC_CHOICES = 9;

/** Each step's likeliest classes, best first (equal probabilities by class index): `k` a step. */
export interface TopClasses {
  values: Float32Array;
  indices: Int32Array;
  k: number;
}

/**
 * Greedy CTC: the likeliest class per step, repeats merged, blank (class 0) dropped (`only`: the
 * likeliest of those classes or the blank).
 */
export function ctcDecode(
  top: TopClasses,
  offset: number,
  steps: number,
  dictionary: readonly string[],
  alternatives = 0,
  only?: ReadonlySet<number>,
): RecognizedLine {
  const { values, indices, k } = top;
  if (alternatives >= k) throw new RangeError(`${alternatives} choices asked of ${k} classes a step`);
  const chars: RecognizedChar[] = [];
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const step = offset + t * k;
    let row = step;
    if (only) {
      const end = step + k;
      while (row < end && indices[row] !== 0 && !only.has(indices[row]!)) row++;
      if (row === end) {
        previous = 0;
        continue;
      }
    }
    const best = indices[row]!;
    const bestP = values[row]!;
    if (best !== 0 && best !== previous)
      chars.push({
        text: dictionary[best] ?? '',
        prob: bestP,
        at: (t + 0.5) / steps,
        ...(alternatives ? { alts: choices(top, step, alternatives, dictionary, only) } : {}),
      });
    else if (best !== 0 && best === previous) {
      const last = chars[chars.length - 1]!;
      if (bestP > last.prob && alternatives) last.alts = choices(top, step, alternatives, dictionary, only);
      last.prob = Math.max(last.prob, bestP);
    }
    previous = best;
  }
  const text = chars.map((c) => c.text).join('');
  const score = chars.length ? chars.reduce((s, c) => s + c.prob, 0) / chars.length : 0;
  return { text, score, chars };
}

/** The `n` likeliest non-blank classes of one step (of `only`, when given), best first. */
function choices(
  top: TopClasses,
  row: number,
  n: number,
  dictionary: readonly string[],
  only?: ReadonlySet<number>,
): { text: string; prob: number }[] {
  const out: { text: string; prob: number }[] = [];
  for (let j = 0; j < top.k && out.length < n; j++) {
    const cls = top.indices[row + j]!;
    if (cls !== 0 && (!only || only.has(cls))) out.push({ text: dictionary[cls] ?? '', prob: top.values[row + j]! });
  }
  return out;
}
