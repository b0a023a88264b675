/**
 * EAN-13 / UPC-A and UPC-E from edges rather than a threshold. In a defocused photo a narrow bar between two
 * wide spaces never gets as dark as the threshold ZXing's 1-D binarisers pick, so it vanishes; its
 * edges still show as extrema of the scan line's derivative. This reads an upright crop (bars
 * vertical) by averaging bands of rows into profiles, placing edges at derivative extrema
 * (sub-pixel) and matching the 59 elements of an EAN-13 (33 of a UPC-E) against the code tables.
 * Each digit is scaled on its own and each guard measured against its neighbouring digit, so the
 * module may change along the symbol (a label round a bottle). A result needs the guards, a quiet
 * zone, every digit within tolerance, the check digit, and two bands that agree.
 */

const L_CODES = ['3211', '2221', '2122', '1411', '1132', '1231', '1114', '1312', '1213', '3112'].map((s) =>
  [...s].map(Number),
);
const G_CODES = L_CODES.map((c) => [...c].reverse());
/** Parity of the left six digits (L = 0, G = 1) → the implied first digit. */
const FIRST_DIGIT = [
  '000000',
  '001011',
  '001101',
  '001110',
  '010011',
  '011001',
  '011100',
  '010101',
  '010110',
  '011010',
];
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

function bestDigit(
  widths: number[],
  tables: readonly (readonly number[][])[],
): { digit: number; table: number } | null {
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

/** The module width of the digit at `at` (its four elements span 7). */
function digitModule(w: readonly number[], at: number): number {
  return (w[at]! + w[at + 1]! + w[at + 2]! + w[at + 3]!) / 7;
}

/** Guard elements are one module each, measured against the neighbouring digit (curved surfaces). */
function guardsOk(w: readonly number[], guards: readonly number[], module: number): boolean {
  return guards.every((i) => Math.abs(w[i]! / module - 1) <= MAX_GUARD_ERROR);
}

/** Six digits from `at` on: their values and parities (0 = L, 1 = G), or null. */
function digitsAt(
  w: readonly number[],
  at: number,
  tables: readonly (readonly number[][])[],
): { digits: string; parity: string } | null {
  let digits = '';
  let parity = '';
  for (let d = 0; d < 6; d++) {
    const m = bestDigit(modules(w, at + 4 * d), tables);
    if (m === null) return null;
    digits += m.digit;
    parity += m.table;
  }
  return { digits, parity };
}

function checkDigitOk(text: string): boolean {
  // GTIN check: weights 3 and 1 alternating from the right, excluding the check digit.
  let sum = 0;
  for (let i = text.length - 2, k = 0; i >= 0; i--, k++) sum += Number(text[i]) * (k % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(text[text.length - 1]);
}

/** EAN-13 from 59 element widths starting with the start guard's first bar, or null. */
export function decodeElements(w: readonly number[]): string | null {
  const middle = (digitModule(w, 23) + digitModule(w, 32)) / 2;
  if (
    !guardsOk(w, [0, 1, 2], digitModule(w, 3)) ||
    !guardsOk(w, [27, 28, 29, 30, 31], middle) ||
    !guardsOk(w, [56, 57, 58], digitModule(w, 52))
  )
    return null;
  const left = digitsAt(w, 3, [L_CODES, G_CODES]);
  const right = left && digitsAt(w, 32, [L_CODES]);
  const first = left ? FIRST_DIGIT.indexOf(left.parity) : -1;
  if (left === null || right === null || first < 0) return null;
  const text = `${first}${left.digits}${right.digits}`;
  return checkDigitOk(text) ? text : null;
}

/** UPC-E parities (1 = G) per check digit, number system 0; number system 1 has them inverted. */
const UPC_E_PARITY = [
  '111000',
  '110100',
  '110010',
  '110001',
  '101100',
  '100110',
  '100011',
  '101010',
  '101001',
  '100101',
];

/** UPC-E (8 digits: number system, six digits, check) from 33 element widths, or null. */
export function decodeUpcEElements(w: readonly number[]): string | null {
  if (!guardsOk(w, [0, 1, 2], digitModule(w, 3)) || !guardsOk(w, [27, 28, 29, 30, 31, 32], digitModule(w, 23)))
    return null;
  const six = digitsAt(w, 3, [L_CODES, G_CODES]);
  if (six === null) return null;
  const inverted = [...six.parity].map((b) => (b === '1' ? '0' : '1')).join('');
  for (const [system, parity] of [
    [0, six.parity],
    [1, inverted],
  ] as const) {
    const check = UPC_E_PARITY.indexOf(parity);
    if (check < 0) continue;
    const text = `${system}${six.digits}${check}`;
    if (checkDigitOk(upcEToUpcA(text))) return text;
  }
  return null;
}

/** UPC-E (8 digits) → UPC-A (12 digits), the zero-suppression rules of the standard. */
export function upcEToUpcA(upce: string): string {
  const d = upce.slice(1, 7);
  const last = d[5]!;
  let body: string;
  if (last <= '2') body = `${d.slice(0, 2) + last}0000${d.slice(2, 5)}`;
  else if (last === '3') body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === '4') body = `${d.slice(0, 4)}00000${d[4]!}`;
  else body = `${d.slice(0, 5)}0000${last}`;
  return upce[0]! + body + upce[7]!;
}

export type ProfileFormat = 'EAN_13' | 'UPC_E';

const LAYOUTS: readonly { format: ProfileFormat; elements: number; decode: (w: readonly number[]) => string | null }[] =
  [
    { format: 'EAN_13', elements: 59, decode: decodeElements },
    { format: 'UPC_E', elements: 33, decode: decodeUpcEElements },
  ];

/** A quiet zone of at least this many modules must precede and follow the symbol (or the profile end). */
const QUIET_MODULES = 3;

/** Every symbol found along one profile (format:text → first and last bar edge), read both ways. */
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
    for (const layout of LAYOUTS) {
      const n = layout.elements;
      for (let i = firstBar; i + n <= list.length; i += 2) {
        const module = digitModule(list, i + 3);
        if (
          (i > 0 && list[i - 1]! < QUIET_MODULES * module) ||
          (i + n < list.length && list[i + n]! < QUIET_MODULES * module)
        )
          continue;
        const text = layout.decode(list.slice(i, i + n));
        if (text === null) continue;
        // Element k spans edges k‥k+1 (reversed: counted from the other end).
        const [a, b] = list === widths ? [i, i + n] : [widths.length - i - n, widths.length - i];
        found.set(`${layout.format}:${text}`, [edges[a]!, edges[b]!]);
      }
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
  format: ProfileFormat;
  text: string;
  /** the symbol's box in crop pixels: first to last bar, the agreeing bands' rows */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** bands that read it */
  lines: number;
}

/** EAN-13 and UPC-E texts that at least MIN_BANDS bands of an upright crop agree on. */
export function readEanProfiles(grey: Uint8Array, w: number, h: number): ProfileRead[] {
  const half = Math.max(1, Math.round(h / 16));
  const reads = new Map<string, ProfileRead>();
  for (const f of BANDS) {
    const y = Math.round(f * h);
    const y0 = Math.max(0, y - half);
    const y1 = Math.min(h, y + half + 1);
    for (const [key, [x0, x1]] of readProfile(bandProfile(grey, w, y0, y1))) {
      const r = reads.get(key);
      const [format, text] = key.split(':') as [ProfileFormat, string];
      if (r === undefined) reads.set(key, { format, text, x0, x1, y0, y1, lines: 1 });
      else
        Object.assign(r, {
          x0: Math.min(r.x0, x0),
          x1: Math.max(r.x1, x1),
          y0: Math.min(r.y0, y0),
          y1: Math.max(r.y1, y1),
          lines: r.lines + 1,
        });
    }
  }
  return [...reads.values()].filter((r) => r.lines >= MIN_BANDS);
}
