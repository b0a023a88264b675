import type { OcrWord } from './ocr-words.js';
import { fixDigits, joinWords, toHalfWidth } from './text.js';

/**
 * OCR words regrouped into visual rows (tesseract's sparse mode reports each text chunk on its
 * own), each row cleaned (full-width → ASCII, spaces between CJK characters dropped, digit
 * look-alikes fixed next to digits) and split into segments at wide gaps. Pure.
 */

export interface Row {
  words: OcrWord[];
  /** Cleaned text of the whole row. */
  text: string;
  /** Parts of the row separated by wide gaps (columns, label | value tables). */
  segments: Segment[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Median word height. */
  h: number;
}

export interface Segment {
  words: OcrWord[];
  text: string;
  x0: number;
  x1: number;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function cleanText(s: string): string {
  return fixDates(fixDigits(toHalfWidth(s)));
}

/**
 * "2022704/26", "2021707/709", "2022/705/21", "2022705/105": a date's slash read as 7, or as
 * "/7" or "/1". A month is two digits starting with 0 or 1 and so is a day here (0–3), so a
 * third digit next to a slash is part of it.
 */
function fixDates(s: string): string {
  return s.replace(/(20\d\d)(?:\/[17]|7\/|[/7])([01]\d)(?:\/[17]|7\/|[/7])([0-3]\d)(?!\d)/g, '$1/$2/$3');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Groups words into rows by vertical overlap; rows top to bottom, words left to right. */
export function groupRows(words: readonly OcrWord[]): Row[] {
  const sorted = [...words].filter((w) => w.text.trim()).sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  const bands: { y0: number; y1: number; h: number; words: OcrWord[] }[] = [];
  for (const w of sorted) {
    const wh = w.y1 - w.y0;
    let best: (typeof bands)[number] | undefined;
    let bestOverlap = 0;
    for (const band of bands) {
      const overlap = Math.min(band.y1, w.y1) - Math.max(band.y0, w.y0);
      const ratio = overlap / Math.max(1, Math.min(wh, band.h));
      if (ratio > 0.5 && ratio > bestOverlap) {
        best = band;
        bestOverlap = ratio;
      }
    }
    if (best) {
      best.words.push(w);
      // The band follows the row's typical words, not a tall outlier.
      best.h = median(best.words.map((x) => x.y1 - x.y0));
      best.y0 = median(best.words.map((x) => x.y0));
      best.y1 = median(best.words.map((x) => x.y1));
    } else {
      bands.push({ y0: w.y0, y1: w.y1, h: wh, words: [w] });
    }
  }
  const rows = bands.map((band) => toRow(band.words));
  rows.sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  return rows;
}

function toRow(words: OcrWord[]): Row {
  const ws = [...words].sort((a, b) => a.x0 - b.x0);
  // Row height from the full-height words (stars, dots and commas are short).
  const heights = ws.map((w) => w.y1 - w.y0).sort((a, b) => a - b);
  const h = heights[Math.floor((heights.length - 1) * 0.75)] ?? 0;
  const body = ws.filter((w) => w.y1 - w.y0 >= 0.6 * h);
  const segments: Segment[] = [];
  let cur: OcrWord[] = [];
  for (const w of ws) {
    const prev = cur[cur.length - 1];
    if (prev && w.x0 - prev.x1 > Math.max(1.6 * h, 12)) {
      segments.push(toSegment(cur));
      cur = [];
    }
    cur.push(w);
  }
  if (cur.length) segments.push(toSegment(cur));
  return {
    words: ws,
    text: segments.map((s) => s.text).join(' '),
    segments,
    x0: Math.min(...ws.map((w) => w.x0)),
    x1: Math.max(...ws.map((w) => w.x1)),
    y0: median(body.map((w) => w.y0)),
    y1: median(body.map((w) => w.y1)),
    h,
  };
}

function toSegment(words: OcrWord[]): Segment {
  return {
    words,
    text: cleanText(joinWords(words.map((w) => w.text))),
    x0: words[0]!.x0,
    x1: words[words.length - 1]!.x1,
  };
}

/** The x where a label matched in the row's text ends (label words may be split per character). */
export function labelEnd(row: Row, label: RegExp): number | undefined {
  let acc = '';
  const ends: { at: number; x1: number }[] = [];
  for (const w of row.words) {
    acc += cleanText(w.text).replace(/\s+/g, '');
    ends.push({ at: acc.length, x1: w.x1 });
  }
  const m = label.exec(acc);
  if (!m) return undefined;
  const end = m.index + m[0].length;
  return ends.find((e) => e.at >= end)?.x1;
}
