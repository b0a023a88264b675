/**
 * EAN-13 / UPC-A from edges rather than a threshold. In a defocused photo a narrow bar between two
 * wide spaces never gets as dark as the threshold ZXing's 1-D binarisers pick, so it vanishes; its
 * edges still show as extrema of the scan line's derivative. This reads an upright crop (bars
 * vertical) by averaging bands of rows into profiles, placing edges at derivative extrema
 * (sub-pixel) and matching the 59 elements of an EAN-13 against the code tables. A result needs
 * the guards, every digit within tolerance, the check digit, and two bands that agree.
 */

const L_CODES = ['3211', '2221', '2122', '1411', '1132', '1231', '1114', '1312', '1213', '3112'].map((s) => [...s].map(Number));
const G_CODES = L_CODES.map((c) => [...c].reverse());
/** Parity of the left six digits (L = 0, G = 1) → the implied first digit. */
const FIRST_DIGIT = ['000000', '001011', '001101', '001110', '010011', '011001', '011100', '010101', '010110', '011010'];
/** Largest mean squared deviation (in modules²) for a digit's four widths to count as matched. */
const MAX_DIGIT_ERROR = 0.2;
/** Guard bars may deviate this much (in modules) from one module. */
const MAX_GUARD_ERROR = 0.6;
/** Bands of rows (centres as fractions of the crop's height), each an eighth of it tall. */
const BANDS = [0.3, 0.4, 0.5, 0.6, 0.7];
const MIN_BANDS = 2;

/** Edge positions (sub-pixel) of a profile, alternating in sign; the first is a falling (light → dark) edge. */
export function profileEdges(p: Float32Array): number[] {
  const n = p.length;
  const d = new Float32Array(n);
  let max = 0;
  for (let x = 1; x < n - 1; x++) {
    d[x] = (p[x + 1]! - p[x - 1]!) / 2;
    max = Math.max(max, Math.abs(d[x]!));
  }
  const min = Math.max(2, 0.12 * max);
  const edges: { x: number; v: number }[] = [];
  for (let x = 2; x < n - 2; x++) {
    const v = d[x]!;
    if (Math.abs(v) < min || Math.abs(v) < Math.abs(d[x - 1]!) || Math.abs(v) < Math.abs(d[x + 1]!)) continue;
    // Parabola through the three derivative samples: the extremum's sub-pixel offset.
    const denom = d[x - 1]! - 2 * v + d[x + 1]!;
    const e = { x: x + (denom === 0 ? 0 : (0.5 * (d[x - 1]! - d[x + 1]!)) / denom), v };
    const last = edges[edges.length - 1];
    if (last !== undefined && Math.sign(last.v) === Math.sign(v)) {
      if (Math.abs(v) > Math.abs(last.v)) edges[edges.length - 1] = e;
    } else edges.push(e);
  }
  while (edges.length > 0 && edges[0]!.v > 0) edges.shift();
  return edges.map((e) => e.x);
}

function digitError(widths: readonly number[], code: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) s += (widths[i]! - code[i]!) ** 2;
  return s / 4;
}

function bestDigit(widths: number[], tables: readonly (readonly number[][])[]): { digit: number; table: number } | null {
  let best: { digit: number; table: number; err: number } | null = null;
  for (let t = 0; t < tables.length; t++) {
    for (let k = 0; k < 10; k++) {
      const err = digitError(widths, tables[t]![k]!);
      if (best === null || err < best.err) best = { digit: k, table: t, err };
    }
  }
  return best !== null && best.err <= MAX_DIGIT_ERROR ? best : null;
}

/** Four element widths scaled so that they sum to 7 modules. */
function modules(w: readonly number[], at: number): number[] {
  const four = w.slice(at, at + 4);
  const sum = four.reduce((a, b) => a + b, 0);
  return four.map((x) => (7 * x) / sum);
}

/** EAN-13 from 59 element widths starting with the start guard's first bar, or null. */
export function decodeElements(w: readonly number[]): string | null {
  const module = w.reduce((a, b) => a + b, 0) / 95;
  const guards = [0, 1, 2, 27, 28, 29, 30, 31, 56, 57, 58];
  if (guards.some((i) => Math.abs(w[i]! / module - 1) > MAX_GUARD_ERROR)) return null;
  let digits = '';
  let parity = '';
  for (let d = 0; d < 6; d++) {
    const m = bestDigit(modules(w, 3 + 4 * d), [L_CODES, G_CODES]);
    if (m === null) return null;
    digits += m.digit;
    parity += m.table;
  }
  for (let d = 0; d < 6; d++) {
    const m = bestDigit(modules(w, 32 + 4 * d), [L_CODES]);
    if (m === null) return null;
    digits += m.digit;
  }
  const first = FIRST_DIGIT.indexOf(parity);
  if (first < 0) return null;
  const text = `${first}${digits}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(text[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(text[12]) ? text : null;
}

/** Every EAN-13 found along one profile (text → first and last bar edge), read both ways. */
function readProfile(p: Float32Array): Map<string, [number, number]> {
  const edges = profileEdges(p);
  const found = new Map<string, [number, number]>();
  const widths = edges.slice(1).map((x, i) => x - edges[i]!);
  const reversed = [...widths].reverse();
  // Element i is a bar when i is even (edges start with a falling edge); reversed, the parity flips.
  for (const [list, firstBar] of [
    [widths, 0],
    [reversed, widths.length % 2 === 0 ? 1 : 0],
  ] as const) {
    for (let i = firstBar; i + 59 <= list.length; i += 2) {
      const text = decodeElements(list.slice(i, i + 59));
      if (text === null) continue;
      // Element k spans edges k‥k+1 (reversed: counted from the other end).
      const [a, b] = list === widths ? [i, i + 59] : [widths.length - i - 59, widths.length - i];
      found.set(text, [edges[a]!, edges[b]!]);
    }
  }
  return found;
}

/** Mean of rows [y0, y1) per column. */
function bandProfile(grey: Uint8Array, w: number, y0: number, y1: number): Float32Array {
  const p = new Float32Array(w);
  for (let y = y0; y < y1; y++) for (let x = 0; x < w; x++) p[x]! += grey[y * w + x]!;
  for (let x = 0; x < w; x++) p[x]! /= Math.max(1, y1 - y0);
  return p;
}

export interface ProfileRead {
  text: string;
  /** the symbol's box in crop pixels: first to last bar, the agreeing bands' rows */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** bands that read it */
  lines: number;
}

/** EAN-13 texts that at least MIN_BANDS bands of an upright crop agree on. */
export function readEanProfiles(grey: Uint8Array, w: number, h: number): ProfileRead[] {
  const half = Math.max(1, Math.round(h / 16));
  const reads = new Map<string, ProfileRead>();
  for (const f of BANDS) {
    const y = Math.round(f * h);
    const y0 = Math.max(0, y - half);
    const y1 = Math.min(h, y + half + 1);
    for (const [text, [x0, x1]] of readProfile(bandProfile(grey, w, y0, y1))) {
      const r = reads.get(text);
      if (r === undefined) reads.set(text, { text, x0, x1, y0, y1, lines: 1 });
      else Object.assign(r, { x0: Math.min(r.x0, x0), x1: Math.max(r.x1, x1), y0: Math.min(r.y0, y0), y1: Math.max(r.y1, y1), lines: r.lines + 1 });
    }
  }
  return [...reads.values()].filter((r) => r.lines >= MIN_BANDS);
}
