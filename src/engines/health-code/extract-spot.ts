/** Tesseract engine: the place name after a place label (extract.ts, pipeline.ts). */
import type { OcrWord } from './ocr-words.js';
import { type Box, type Row, cleanText, groupRows } from './rows.js';
import { joinWords } from './text.js';

export const SPOT_LABEL = /(?:场所名称|扫码场所|当前场所|所在场所|场所名|场所|扫码地点|地点)(?!码)[:;]?/;

export function cleanSpot(s: string): string {
  const v = s
    .replace(/\s+/g, '')
    .replace(/^[:;|,.]+/, '')
    .replace(/[^\u4e00-\u9fff0-9A-Za-z()]/g, '');
  return [...v].length >= 2 ? v : '';
}

export function findSpot(rows: readonly Row[]): string {
  return locateSpot(rows)?.value ?? '';
}

/** The place name and, when it stands on its own line under its label, that line's box. */
export function locateSpot(rows: readonly Row[]): { value: string; line?: Box } | undefined {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let s = 0; s < row.segments.length; s++) {
      const seg = row.segments[s]!;
      const m = SPOT_LABEL.exec(seg.text);
      if (!m) continue;
      const inline = cleanSpot(seg.text.slice(m.index + m[0].length));
      if (inline) return { value: inline };
      const next = row.segments[s + 1];
      if (next) {
        const v = cleanSpot(next.text);
        if (v) return { value: v };
      }
      // Label above the value: the next row, starting in the same column.
      const below = rows[i + 1];
      if (below && below.y0 - row.y1 < 2.5 * Math.max(row.h, below.h)) {
        const first = below.segments.find((sg) => sg.x1 > seg.x0 - row.h && sg.x0 < seg.x1 + 4 * row.h);
        const v = first ? cleanSpot(first.text) : '';
        if (v && !SPOT_LABEL.test(v)) {
          const h = below.h;
          // From the label's column to the segment's end, between the label and the next line.
          const next2 = rows[i + 2];
          const y1 = Math.min(below.y1 + 0.35 * h, next2 ? next2.y0 - 1 : Infinity);
          // The page may have missed the last characters: a little further right, up to the
          // row's next segment.
          const after = below.segments[below.segments.indexOf(first!) + 1];
          const x1 = Math.min(first!.x1 + 2.5 * h, after ? after.x0 - 0.3 * h : Infinity);
          return {
            value: v,
            line: { x0: Math.min(seg.x0, first!.x0) - 0.4 * h, y0: Math.max(row.y1 + 1, below.y0 - 0.35 * h), x1, y1 },
          };
        }
      }
    }
  }
  return undefined;
}

/** The box (source pixels) of a place name on its own line under its label, for a second reading. */
export function spotLine(words: readonly OcrWord[]): Box | undefined {
  return locateSpot(groupRows(words))?.line;
}

/** A place name read from its own line: Chinese, digits, letters; "" when under two characters. */
export function parseSpotLine(words: readonly OcrWord[]): string {
  return cleanSpot(cleanText(joinWords(words.map((w) => w.text))));
}
