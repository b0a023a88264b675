import type { OcrWord } from './ocr-words.js';
import { type Box, type Row, cleanText, groupRows, labelEnd } from './rows.js';
import { joinWords } from './text.js';
import { isCommonSurname } from './surnames.js';

/** Masked names (王*一): finding one on the page, its line for a second reading, and choosing among readings. Pure. */

/** The mask star and what the model makes of it between two Chinese characters. */
const STAR = '[*xX※米"“”]';
export const NAME_LABEL = /(?:用户姓名|持码人|姓名|名字)[:;]?/;
const NAME_SHAPE = new RegExp(String.raw`^([\u4e00-\u9fff])\s*${STAR}{1,3}\s*([\u4e00-\u9fff]{0,2})`);

function parseName(raw: string): string {
  // "王*一的健康码", or cut short in a crop: "王*一的健".
  const s = raw
    .replace(/\s+/g, '')
    .replace(/^[:;|(]+/, '')
    .replace(/的?健康码.*$/, '')
    .replace(/的健?康?$/, '');
  const m = NAME_SHAPE.exec(s);
  if (!m) return '';
  // After the given name a label or badge may follow on the same segment: keep one character
  // unless the segment is just the name (two-character given names are rare but exist).
  const given = m[2] ?? '';
  const rest = s.slice(m[0].length);
  return `${m[1]}*${rest === '' ? given : given.slice(0, 1)}`;
}

export function findName(rows: readonly Row[], refined?: readonly OcrWord[]): string {
  if (refined?.length) {
    const fromRefined = parseName(cleanText(joinWords(refined.map((w) => w.text))).replace(NAME_LABEL, ''));
    if (fromRefined) return fromRefined;
  }
  // Labelled first.
  for (const row of rows) {
    for (const seg of row.segments) {
      const m = NAME_LABEL.exec(seg.text);
      if (!m) continue;
      // A stray character between label and value is tolerated.
      const value = seg.text.slice(m.index + m[0].length);
      const name = parseName(value) || parseName(value.slice(1));
      if (name) return name;
      // Label and value in separate columns of the same row.
      const next = row.segments[row.segments.indexOf(seg) + 1];
      if (next) {
        const v = parseName(next.text);
        if (v) return v;
      }
    }
  }
  // Unlabelled: a segment that is just a masked name (status-bar junk such as 中“GE) is not).
  for (const row of rows) {
    for (const seg of row.segments) {
      // "王*一 | 11****01": a separator ends the name.
      let text = seg.text
        .split(/[|｜]/)[0]!
        .replace(/\s+/g, '')
        .replace(/的?健康码$/, '')
        .replace(/[,.;:，。、]+$/, '');
      const whole = new RegExp(`${NAME_SHAPE.source}$`);
      // An unsure character in front (an avatar or icon read as 和) is not part of the name.
      const lead = seg.words[0]!;
      if (!whole.test(text) && [...lead.text].length === 1 && lead.conf < 70 && whole.test(text.slice(1)))
        text = text.slice(1);
      if (!whole.test(text)) continue;
      const name = parseName(text);
      if (name) return name;
    }
  }
  return '';
}

/** A masked name read from its own line (see nameLine): "" when it has no name's shape. */
export function parseNameLine(words: readonly OcrWord[]): string {
  const text = cleanText(joinWords(words.map((w) => w.text)));
  const value = text.replace(new RegExp(`^.*?${NAME_LABEL.source}`), '').split(/[|｜]/)[0]!;
  return parseName(value) || parseName(value.replace(/^[^\u4e00-\u9fff]+/, ''));
}

/**
 * Picks the name among several readings of it (the page's first, then line crops): readings
 * with a common surname are preferred when there are any; among those, the one most readings
 * agree on; on a tie the earliest. "" when no reading has a name.
 */
export function chooseName(readings: readonly string[]): string {
  const named = readings.filter((r) => r);
  const common = named.filter((r) => isCommonSurname(r));
  const pool = common.length ? common : named;
  let best = '';
  let bestCount = 0;
  for (const r of pool) {
    const count = pool.filter((x) => x === r).length;
    if (count > bestCount) {
      best = r;
      bestCount = count;
    }
  }
  return best;
}

/**
 * True when `remaining` more readings cannot change chooseName's pick (the caller may stop
 * reading): no reading already made, nor a new one, repeated `remaining` times would win.
 */
export function nameSettled(readings: readonly string[], remaining: number): boolean {
  const leader = chooseName(readings);
  if (!leader) return remaining === 0;
  const challengers = new Set([...readings.filter((r) => r && r !== leader), '王*\u0000']);
  for (const c of challengers) {
    if (chooseName([...readings, ...Array<string>(remaining).fill(c)]) !== leader) return false;
  }
  return true;
}

const STAR_CHAR = new RegExp(STAR);

/**
 * The box (source pixels) of the name's line, from its surname to at most five character
 * heights on, for a second reading: the line holding the name read on the page (its surname
 * with a star after it), else the value right of a name label, else a short segment that holds
 * a star. `undefined` when the page shows none.
 */
export function nameLine(words: readonly OcrWord[], name: string): Box | undefined {
  const rows = groupRows(words);
  const boxFrom = (row: Row, x0: number, segEnd: number): Box => {
    const h = row.h;
    const x1 = Math.min(segEnd + 0.5 * h, x0 + 5 * h);
    // Some paper above and below, but none of the neighbouring lines' ink.
    let y0 = row.y0 - 0.3 * h;
    let y1 = row.y1 + 0.3 * h;
    for (const w of words) {
      if (w.x1 < x0 || w.x0 > x1 || row.words.includes(w)) continue;
      if (w.y1 <= row.y0 + 0.2 * h) y0 = Math.max(y0, w.y1 + 1);
      else if (w.y0 >= row.y1 - 0.2 * h) y1 = Math.min(y1, w.y0 - 1);
    }
    return { x0: x0 - 0.4 * h, y0, x1, y1 };
  };
  const first = [...name][0];
  for (const row of rows) {
    if (!first) break;
    for (const seg of row.segments) {
      const i = seg.words.findIndex((w, k) => {
        const at = w.text.indexOf(first);
        if (at < 0) return false;
        const after =
          w.text.slice(at + 1) +
          seg.words
            .slice(k + 1, k + 3)
            .map((x) => x.text)
            .join('');
        return STAR_CHAR.test(after.slice(0, 3));
      });
      if (i < 0) continue;
      const w = seg.words[i]!;
      const chars = [...w.text];
      const x0 = w.x0 + ((w.x1 - w.x0) * chars.indexOf(first)) / chars.length;
      const bar = seg.words.findIndex((x, k) => k > i && /[|｜]/.test(x.text));
      return boxFrom(row, x0, bar > i ? seg.words[bar]!.x0 : seg.x1);
    }
  }
  for (const row of rows) {
    const end = labelEnd(row, NAME_LABEL);
    if (end === undefined) continue;
    const rest = row.words.filter((w) => w.x0 >= end - 2);
    if (rest.length) return boxFrom(row, rest[0]!.x0, rest[rest.length - 1]!.x1);
  }
  for (const row of rows) {
    for (const seg of row.segments) {
      const chars = [...seg.text.replace(/\s+/g, '')];
      // Here only a real '*': quotes in the status bar's junk look like stars too.
      if (
        chars.length >= 2 &&
        chars.length <= 5 &&
        seg.text.includes('*') &&
        /[\u4e00-\u9fff]/.test(seg.text) &&
        !/\d/.test(seg.text)
      ) {
        return boxFrom(row, seg.x0, seg.x1);
      }
    }
  }
  return undefined;
}

/**
 * From hOCR written with lstm_choice_mode=2: the alternatives (best first) for the character
 * just before the first '*' — the surname of a masked name.
 */
export function surnameChoices(hocr: string): string[] {
  const symbols: string[][] = [];
  const group = /<span class='ocrx_cinfo' id='lstm_choices_[^']*'>([\s\S]*?)<\/span>\s*<\/span>/g;
  for (const m of hocr.matchAll(group)) {
    const choices = [...m[1]!.matchAll(/title='x_confs ([\d.]+)'>([^<]*)/g)]
      .map((c) => ({ text: c[2]!.trim(), conf: Number(c[1]) }))
      .filter((c) => c.text);
    symbols.push(choices.sort((a, b) => b.conf - a.conf).map((c) => c.text));
  }
  const star = symbols.findIndex((alts) => alts[0] === '*' || alts[0] === '＊');
  return star > 0 ? symbols[star - 1]! : [];
}
