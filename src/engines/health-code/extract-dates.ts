import type { Row, Segment } from './rows.js';
import { type Context, contextOf } from './extract-context.js';

// ---- value shapes ---------------------------------------------------------------------------

// A dot may come out as a comma ("2021.10,11"), a colon as ";:".
export const SEP = String.raw`\s*[-年/.,一]\s*`;
export const SEP2 = String.raw`\s*[-月/.,一]\s*`;
export const COLON = String.raw`\s*[:;]{1,2}\s*`;
export const DATE_TIME = new RegExp(
  String.raw`(?:(20\d{2})${SEP})?(\d{1,2})${SEP2}(\d{1,2})\s*日?\s*(\d{1,2})${COLON}(\d{2})(?:${COLON}(\d{2}))?`,
  'g',
);
export const DATE = new RegExp(String.raw`(20\d{2})${SEP}(\d{1,2})${SEP2}(\d{1,2})(?!\d)\s*日?`, 'g');

export interface Found {
  row: number;
  x0: number;
  x1: number;
  value: string;
  conf: number;
  context: Context;
  /** Height of the words: the big clock is the tallest. */
  h: number;
}

export interface DateTimeHit extends Found {
  year?: string;
  hasSeconds: boolean;
  /** MM-DD HH:MM:SS (when seconds are shown). */
  asTime?: string;
  /** YYYY-MM-DD HH:MM (when the year is shown). */
  asTestTime?: string;
}

export const p2 = (s: string) => s.padStart(2, '0');

export function validDate(m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** Maps a character range of a segment's text back to the x extent of its words (approx.). */
export function spanOf(seg: Segment, start: number, end: number): { x0: number; x1: number; conf: number; h: number } {
  const total = seg.text.length || 1;
  const x0 = seg.x0 + ((seg.x1 - seg.x0) * start) / total;
  const x1 = seg.x0 + ((seg.x1 - seg.x0) * end) / total;
  const words = seg.words.filter((w) => w.x1 > x0 && w.x0 < x1);
  const conf = words.length ? Math.min(...words.map((w) => w.conf)) : 0;
  const h = words.length ? Math.max(...words.map((w) => w.y1 - w.y0)) : 0;
  return { x0, x1, conf, h };
}

export function findDateTimes(rows: readonly Row[]): { dateTimes: DateTimeHit[]; dates: Found[] } {
  const dateTimes: DateTimeHit[] = [];
  const dates: Found[] = [];
  rows.forEach((row, index) => {
    for (const seg of row.segments) {
      let rest = seg.text;
      for (const m of seg.text.matchAll(DATE_TIME)) {
        const [all, year, mo, d, hh, mi, ss] = m;
        if (
          !validDate(Number(mo), Number(d)) ||
          Number(hh) > 23 ||
          Number(mi) > 59 ||
          (ss !== undefined && Number(ss) > 59)
        )
          continue;
        const span = spanOf(seg, m.index, m.index + all.length);
        const hit: DateTimeHit = {
          row: index,
          ...span,
          value: all,
          context: contextOf(rows, index, span.x0, span.x1),
          year,
          hasSeconds: ss !== undefined,
        };
        if (ss !== undefined) hit.asTime = `${p2(mo!)}-${p2(d!)} ${p2(hh!)}:${mi}:${ss}`;
        if (year) hit.asTestTime = `${year}-${p2(mo!)}-${p2(d!)} ${p2(hh!)}:${mi}`;
        dateTimes.push(hit);
        rest = rest.slice(0, m.index) + ' '.repeat(all.length) + rest.slice(m.index + all.length);
      }
      for (const m of rest.matchAll(DATE)) {
        const [all, year, mo, d] = m;
        if (!validDate(Number(mo), Number(d))) continue;
        const span = spanOf(seg, m.index, m.index + all.length);
        dates.push({
          row: index,
          ...span,
          value: `${year}-${p2(mo!)}-${p2(d!)}`,
          context: contextOf(rows, index, span.x0, span.x1),
        });
      }
    }
  });
  return { dateTimes, dates };
}
