/**
 * Recognised text lines with their boxes, and the geometric relations the extraction uses:
 * same row, to the right of, below. No positions of any particular layout.
 */
import { toHalfWidth } from '../text.js';
import { repairLabels } from './labels.js';
import { BELOW_GAP, DESKEW_LINE_LENGTH, DESKEW_MIN_SLOPE, RIGHT_GAP, SAME_ROW_OVERLAP } from './tuning.js';

export interface TextLine {
  /** Normalised text: half-width ASCII, no spaces between CJK characters. */
  text: string;
  /** Axis-aligned bounds in the uploaded image's pixels. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Text height (the short side of the rotated box). */
  h: number;
  /** Mean character probability, 0..1. */
  score: number;
  /** The text's direction as dy/dx, when the engine knows it (a photo's tilt; PP-OCR's boxes). */
  slope?: number;
  /** The characters as first read, each with the recogniser's likeliest choices (PP-OCR's lines). */
  choices?: readonly CharChoices[];
}

/** A character read and the recogniser's likeliest characters for it, best first. */
export interface CharChoices {
  text: string;
  alts?: readonly { text: string; prob: number }[];
}

/** `line` with its text rebuilt (and its score, when given): the characters as first read no longer match it and go. */
export function retexted(line: TextLine, text: string, score = line.score): TextLine {
  return { ...line, text, score, choices: undefined };
}

/** Glyphs the recogniser gives for a mask's star. */
const STAR_LOOKALIKES = '＊✱✲✳﹡';
const STAR_LOOKALIKE = new RegExp(`[${STAR_LOOKALIKES}]`, 'g');

/** One character read as a mask's star, in any of its forms. */
export const isStar = (ch: string): boolean => ch === '*' || (ch.length === 1 && STAR_LOOKALIKES.includes(ch));

/** Box-drawing and block glyphs, what rules and dividers are read as (a regex class's body). */
const RULE_GLYPHS = String.raw`\u2500-\u259f`;
/**
 * A mask in a face whose star the recogniser does not know comes back as one other character
 * repeated (a run of stars read as `大大大大大`): four or more of one Han character or one symbol
 * (●, ★) in a row. Never punctuation, digits or letters, nor what rules and dividers are read as
 * (一, 丨, 〇, 々, box and block glyphs). No Chinese word repeats a character four times.
 */
const REPEATED_GLYPH = new RegExp(String.raw`(?![一丨〇々${RULE_GLYPHS}])([\p{Script=Han}\p{So}])\1{3,}`, 'gu');
/**
 * Symbols that are text or rules misread — `─` and `│` for 一 and 1, `□` for 口, `○` for 〇 —
 * never an icon beside a name nor a star of a mask (a regex class's body).
 */
export const TEXT_SYMBOLS = `${RULE_GLYPHS}□■○`;
/**
 * A mask run holding other symbols (`******★*★*****`: some of its stars read as ★): as long as an
 * ID's mask (eight or more glyphs) with two stars among them, every symbol in it a star. A name's
 * one to three stars and badges after them (`欧***★`, `王**◎◎`) are too short to count.
 */
const MIXED_STAR_RUN = new RegExp(String.raw`(?:\*|(?![${TEXT_SYMBOLS}])\p{So}){8,}`, 'gu');
const starRun = (run: string) => ([...run].filter((c) => c === '*').length >= 2 ? '*'.repeat([...run].length) : run);

/**
 * Full-width forms and star look-alikes to ASCII, a repeated glyph to a mask's stars; spaces kept
 * only between ASCII tokens.
 */
export function normaliseText(raw: string): string {
  const s = repairLabels(
    toHalfWidth(raw)
      .replace(STAR_LOOKALIKE, '*')
      .replace(REPEATED_GLYPH, (run) => '*'.repeat([...run].length))
      .replace(MIXED_STAR_RUN, starRun),
  );
  return s.replace(/\s+/g, (m, i: number) => {
    const before = s[i - 1] ?? '';
    const after = s[i + m.length] ?? '';
    return /[0-9A-Za-z]/.test(before) && /[0-9A-Za-z]/.test(after) ? ' ' : '';
  });
}

/**
 * Lines turned upright when the page is tilted (a photo of a screen): rotated about the origin
 * by the median direction of the long lines, so rows, columns and "right of" mean what they mean
 * on the screen. A page within DESKEW_MIN_SLOPE of level, or without enough long lines, is left as it is.
 */
export function deskew(lines: readonly TextLine[]): readonly TextLine[] {
  const slopes = lines
    .filter((l) => l.slope !== undefined && l.x1 - l.x0 >= DESKEW_LINE_LENGTH * l.h)
    .map((l) => l.slope!)
    .sort((a, b) => a - b);
  if (slopes.length < 3) return lines;
  const slope = slopes[slopes.length >> 1]!;
  if (Math.abs(slope) < DESKEW_MIN_SLOPE) return lines;
  const cos = 1 / Math.hypot(1, slope);
  const sin = slope * cos;
  return lines.map((l) => {
    const cx = (l.x0 + l.x1) / 2;
    const cy = (l.y0 + l.y1) / 2;
    const x = cx * cos + cy * sin;
    const y = cy * cos - cx * sin;
    const w = Math.max(l.h, (l.x1 - l.x0 - l.h * Math.abs(sin)) / cos);
    return { ...l, x0: x - w / 2, x1: x + w / 2, y0: y - l.h / 2, y1: y + l.h / 2 };
  });
}

export function sameRow(a: TextLine, b: TextLine): boolean {
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return overlap >= SAME_ROW_OVERLAP * Math.min(a.y1 - a.y0, b.y1 - b.y0);
}

/** Lines sorted top to bottom, then left to right, rows kept together. */
export function readingOrder(lines: readonly TextLine[]): TextLine[] {
  const sorted = [...lines].sort((a, b) => a.y0 - b.y0);
  const rows: TextLine[][] = [];
  for (const line of sorted) {
    const row = rows.find((r) => r.some((l) => sameRow(l, line)));
    if (row) row.push(line);
    else rows.push([line]);
  }
  return rows.flatMap((r) => r.sort((a, b) => a.x0 - b.x0));
}

/** The nearest line to the right of `line` on its row (within RIGHT_GAP line heights). */
export function rightOf(lines: readonly TextLine[], line: TextLine): TextLine | undefined {
  let best: TextLine | undefined;
  for (const l of lines) {
    if (l === line || !sameRow(l, line) || l.x0 < line.x1 - 0.5 * line.h) continue;
    if (l.x0 - line.x1 > RIGHT_GAP * line.h) continue;
    if (!best || l.x0 < best.x0) best = l;
  }
  return best;
}

/** Lines to the right of `line` on its row, nearest first. */
export function restOfRow(lines: readonly TextLine[], line: TextLine): TextLine[] {
  return lines
    .filter((l) => l !== line && sameRow(l, line) && l.x0 >= line.x1 - 0.5 * line.h)
    .sort((a, b) => a.x0 - b.x0);
}

/** The nearest line starting below `line` that shares its column (within `gap` of its heights). */
export function below(lines: readonly TextLine[], line: TextLine, gap = BELOW_GAP): TextLine | undefined {
  let best: TextLine | undefined;
  for (const l of lines) {
    if (l === line || l.y0 < line.y1 - 0.3 * line.h) continue;
    if (l.y0 - line.y1 > gap * Math.max(line.h, l.h)) continue;
    const overlap = Math.min(l.x1, line.x1) - Math.max(l.x0, line.x0);
    if (overlap <= 0 && Math.abs(l.x0 - line.x0) > line.h) continue;
    if (!best || l.y0 < best.y0 || (l.y0 === best.y0 && l.x0 < best.x0)) best = l;
  }
  return best;
}

/** The nearest line ending above `line` that shares its column (within `gap` of its heights). */
export function above(lines: readonly TextLine[], line: TextLine, gap = BELOW_GAP): TextLine | undefined {
  let best: TextLine | undefined;
  for (const l of lines) {
    if (l === line || l.y1 > line.y0 + 0.3 * line.h) continue;
    if (line.y0 - l.y1 > gap * Math.max(line.h, l.h)) continue;
    const overlap = Math.min(l.x1, line.x1) - Math.max(l.x0, line.x0);
    if (overlap <= 0 && Math.abs(l.x0 - line.x0) > line.h) continue;
    if (!best || l.y1 > best.y1) best = l;
  }
  return best;
}

/**
 * A line holding several values side by side, separated by a bar (`王*一 | 35…01`, `核酸 ｜ 阴性`),
 * as one line per part; each part's box is its share of the line by character count.
 */
export function splitAtBars(line: TextLine): TextLine[] {
  const parts = line.text.split(/\s*[|｜¦]\s*/);
  if (parts.length < 2) return [line];
  const total = [...line.text].length;
  const out: TextLine[] = [];
  let at = 0;
  for (const part of line.text.split(/([|｜¦])/)) {
    const n = [...part].length;
    const text = part.trim();
    if (text && !/^[|｜¦]$/.test(text)) {
      const x0 = line.x0 + ((line.x1 - line.x0) * at) / total;
      const x1 = line.x0 + ((line.x1 - line.x0) * (at + n)) / total;
      out.push({ ...line, text, x0, x1 });
    }
    at += n;
  }
  return out.length ? out : [line];
}
