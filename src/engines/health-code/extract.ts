import type { OcrWord } from './ocr-words.js';
import { editDistance, fixDigits, fuzzyFind, joinWords, toHalfWidth } from './text.js';
import type { HealthCodeFields } from './types.js';

/**
 * Field extraction: OCR words with boxes → the ten RecognizeHealthCodeOCR fields. Pure.
 *
 * Words are regrouped into visual rows (tesseract's sparse mode reports each text chunk on its
 * own), each row is cleaned (full-width → ASCII, spaces between CJK characters dropped, digit
 * look-alikes fixed next to digits), and values are found by their shape (date-times, "48小时",
 * masked names and IDs, a fixed vocabulary of results and vaccination states) and assigned
 * to fields by the nearest label: the text to their left on the same row, else the rows above
 * in the same column. Nothing is filled in that the page does not show; Color is left "" (it
 * comes from the QR code's pixels, not from text).
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

export interface Refined {
  /** Whitelisted re-reads (digits, '*', 'X') of the line holding the masked ID. */
  id?: readonly OcrWord[];
  /** Re-read of the line holding the name. */
  name?: readonly OcrWord[];
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

// ---- rows -----------------------------------------------------------------------------------

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

function median(values: number[]): number {
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

// ---- context --------------------------------------------------------------------------------

const TEST_CTX = /核酸|检测|采样|报告|化验|采/;
const VACC_CTX = /疫苗|接种|剂|免疫/;
const TIME_CTX = /更新|刷新|生成|展码|亮码|当前|扫码时间|查询时间|时间/;

/** CJK text of the row to the left of x (labels), nearest last. */
function leftText(row: Row, x: number): string {
  const parts = row.words.filter((w) => (w.x0 + w.x1) / 2 < x).map((w) => w.text);
  return cleanText(joinWords(parts));
}

/** Text of the nearest rows above whose words share the column [x0, x1]; nearest first. */
function aboveTexts(rows: readonly Row[], index: number, x0: number, x1: number, maxRows = 3): string[] {
  const row = rows[index]!;
  const out: string[] = [];
  for (let i = index - 1; i >= 0 && out.length < maxRows; i--) {
    const r = rows[i]!;
    if (row.y0 - r.y1 > 6 * row.h) break;
    const slack = row.h;
    const parts = r.words.filter((w) => w.x1 > x0 - slack && w.x0 < x1 + slack).map((w) => w.text);
    if (!parts.length) continue;
    const text = cleanText(joinWords(parts));
    // Labels are short and wordy; a line of digits (an ID read as junk) is not one.
    if ((text.match(/\d/g)?.length ?? 0) >= 4 || [...text].length > 12) continue;
    out.push(text);
  }
  return out;
}

type Context = 'test' | 'vacc' | 'time' | 'none';

function classify(text: string): Context {
  // The label nearest the value wins: look at the text's tail first.
  const tail = text.replace(/[\s:;|()\-0-9.,/年月日*]+$/, '');
  const positions: [Context, number][] = [
    ['test', lastIndexOf(tail, TEST_CTX)],
    ['vacc', lastIndexOf(tail, VACC_CTX)],
    ['time', lastIndexOf(tail, TIME_CTX)],
  ];
  // "检测时间" is a test label although it contains 时间: test/vacc words beat a bare 时间.
  const test = positions[0]![1];
  const vacc = positions[1]![1];
  const time = positions[2]![1];
  if (test < 0 && vacc < 0) return time >= 0 ? 'time' : 'none';
  if (test >= vacc) return 'test';
  return 'vacc';
}

function lastIndexOf(s: string, re: RegExp): number {
  const g = new RegExp(re.source, 'g');
  let last = -1;
  for (const m of s.matchAll(g)) last = m.index;
  return last;
}

/** Context of a value: labels to its left on the row, else labels above in its column. */
function contextOf(rows: readonly Row[], index: number, x0: number, x1: number): Context {
  const left = classify(leftText(rows[index]!, x0));
  if (left !== 'none') return left;
  for (const above of aboveTexts(rows, index, x0, x1)) {
    const c = classify(above);
    if (c !== 'none') return c;
  }
  return 'none';
}

// ---- value shapes ---------------------------------------------------------------------------

// A dot may come out as a comma ("2021.10,11"), a colon as ";:".
const SEP = String.raw`\s*[-年/.,一]\s*`;
const SEP2 = String.raw`\s*[-月/.,一]\s*`;
const COLON = String.raw`\s*[:;]{1,2}\s*`;
const DATE_TIME = new RegExp(String.raw`(?:(20\d{2})${SEP})?(\d{1,2})${SEP2}(\d{1,2})\s*日?\s*(\d{1,2})${COLON}(\d{2})(?:${COLON}(\d{2}))?`, 'g');
const DATE = new RegExp(String.raw`(20\d{2})${SEP}(\d{1,2})${SEP2}(\d{1,2})(?!\d)\s*日?`, 'g');

interface Found {
  row: number;
  x0: number;
  x1: number;
  value: string;
  conf: number;
  context: Context;
  /** Height of the words: the big clock is the tallest. */
  h: number;
}

interface DateTimeHit extends Found {
  year?: string;
  hasSeconds: boolean;
  /** MM-DD HH:MM:SS (when seconds are shown). */
  asTime?: string;
  /** YYYY-MM-DD HH:MM (when the year is shown). */
  asTestTime?: string;
}

const p2 = (s: string) => s.padStart(2, '0');

function validDate(m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** Maps a character range of a segment's text back to the x extent of its words (approx.). */
function spanOf(seg: Segment, start: number, end: number): { x0: number; x1: number; conf: number; h: number } {
  const total = seg.text.length || 1;
  const x0 = seg.x0 + ((seg.x1 - seg.x0) * start) / total;
  const x1 = seg.x0 + ((seg.x1 - seg.x0) * end) / total;
  const words = seg.words.filter((w) => w.x1 > x0 && w.x0 < x1);
  const conf = words.length ? Math.min(...words.map((w) => w.conf)) : 0;
  const h = words.length ? Math.max(...words.map((w) => w.y1 - w.y0)) : 0;
  return { x0, x1, conf, h };
}

function findDateTimes(rows: readonly Row[]): { dateTimes: DateTimeHit[]; dates: Found[] } {
  const dateTimes: DateTimeHit[] = [];
  const dates: Found[] = [];
  rows.forEach((row, index) => {
    for (const seg of row.segments) {
      let rest = seg.text;
      for (const m of seg.text.matchAll(DATE_TIME)) {
        const [all, year, mo, d, hh, mi, ss] = m;
        if (!validDate(Number(mo), Number(d)) || Number(hh) > 23 || Number(mi) > 59 || (ss !== undefined && Number(ss) > 59)) continue;
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
        dates.push({ row: index, ...span, value: `${year}-${p2(mo!)}-${p2(d!)}`, context: contextOf(rows, index, span.x0, span.x1) });
      }
    }
  });
  return { dateTimes, dates };
}

// ---- fields ---------------------------------------------------------------------------------

const VACCINATION_STATES = [
  '已完成全程接种',
  '已完成加强免疫',
  '已完成加强针接种',
  '已完成基础免疫',
  '已接种第一剂',
  '已接种第二剂',
  '已接种第三剂',
  '暂无疫苗接种记录',
  '未完成全程接种',
];

function findVaccination(rows: readonly Row[]): string {
  const distances = new Map<string, number>();
  for (const row of rows) {
    const text = row.text.replace(/\s+/g, '');
    for (const state of VACCINATION_STATES) {
      if (text.includes(state)) return state;
      const { distance } = fuzzyFind(text, state);
      if (distance <= (state.length >= 6 ? 1 : 0)) distances.set(state, Math.min(distances.get(state) ?? Infinity, distance));
    }
  }
  // One character off is accepted only when no other state is as close (第一剂 vs 第二剂).
  const ranked = [...distances].sort((a, b) => a[1] - b[1]);
  if (!ranked.length || (ranked[1] && ranked[1][1] === ranked[0]![1])) return '';
  return ranked[0]![0];
}

const NO_TEST = /暂无.{0,3}核酸|暂无.{0,4}检测.{0,2}记录|无核酸检测记录/;

/** Minimum word confidence for reporting 阳性 (a false positive is the worst error here). */
export const POSITIVE_MIN_CONF = 70;

function findTestingResult(rows: readonly Row[]): { value: string; row: number } {
  let negative = -1;
  let positive = -1;
  let none = -1;
  rows.forEach((row, index) => {
    const text = row.text.replace(/\s+/g, '');
    if (none < 0 && (NO_TEST.test(text) || fuzzyFind(text, '暂无核酸检测记录').distance <= 2)) none = index;
    if (/阴性/.test(text) && negative < 0) negative = index;
    if (/阳性/.test(text) && positive < 0) {
      const words = row.words.filter((w) => /阳/.test(w.text));
      const conf = words.length ? Math.min(...words.map((w) => w.conf)) : 0;
      if (conf >= POSITIVE_MIN_CONF) positive = index;
    }
  });
  if (positive >= 0 && negative < 0) return { value: '阳性', row: positive };
  if (negative >= 0) return { value: '阴性', row: negative };
  if (none >= 0) return { value: '暂无核酸检测记录', row: none };
  return { value: '', row: -1 };
}

const INTERVAL = /(\d{1,3})\s*(?:小\s*[时吋对]|[hH](?![a-zA-Z]))/g;

function findInterval(rows: readonly Row[], resultRow: number): string {
  const hits: { value: string; score: number }[] = [];
  rows.forEach((row, index) => {
    for (const seg of row.segments) {
      for (const m of seg.text.matchAll(INTERVAL)) {
        let n = Number(m[1]);
        // "772小时": a ghost of the first digit in front of a two-digit window.
        if (n > 168 && m[1]!.length === 3 && m[1]![0] === m[1]![1]) n %= 100;
        if (n < 1 || n > 168) continue;
        const span = spanOf(seg, m.index, m.index + m[0].length);
        const ctx = contextOf(rows, index, span.x0, span.x1);
        const left = leftText(row, span.x0);
        let score = 0;
        if (ctx === 'test' || /时效|有效|时长|间隔/.test(left)) score += 2;
        if (resultRow >= 0 && Math.abs(index - resultRow) <= 1) score += 1;
        hits.push({ value: `${n}小时`, score });
      }
    }
  });
  hits.sort((a, b) => b.score - a.score);
  return hits[0]?.value ?? '';
}

/** The mask star and what the model makes of it between two Chinese characters. */
const STAR = '[*xX※米"“”]';
const NAME_LABEL = /(?:用户姓名|持码人|姓名|名字)[:;]?/;
const NAME_SHAPE = new RegExp(String.raw`^([\u4e00-\u9fff])\s*${STAR}{1,3}\s*([\u4e00-\u9fff]{0,2})`);

function parseName(raw: string): string {
  // "王*一的健康码", or cut short in a crop: "王*一的健".
  const s = raw.replace(/\s+/g, '').replace(/^[:;|(]+/, '').replace(/的?健康码.*$/, '').replace(/的健?康?$/, '');
  const m = NAME_SHAPE.exec(s);
  if (!m) return '';
  // After the given name a label or badge may follow on the same segment: keep one character
  // unless the segment is just the name (two-character given names are rare but exist).
  const given = m[2] ?? '';
  const rest = s.slice(m[0].length);
  return `${m[1]}*${rest === '' ? given : given.slice(0, 1)}`;
}

function findName(rows: readonly Row[], refined?: readonly OcrWord[]): string {
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
      let text = seg.text.split(/[|｜]/)[0]!.replace(/\s+/g, '').replace(/的?健康码$/, '').replace(/[,.;:，。、]+$/, '');
      const whole = new RegExp(`${NAME_SHAPE.source}$`);
      // An unsure character in front (an avatar or icon read as 和) is not part of the name.
      const lead = seg.words[0]!;
      if (!whole.test(text) && [...lead.text].length === 1 && lead.conf < 70 && whole.test(text.slice(1))) text = text.slice(1);
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
        const after = w.text.slice(at + 1) + seg.words.slice(k + 1, k + 3).map((x) => x.text).join('');
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
      if (chars.length >= 2 && chars.length <= 5 && seg.text.includes('*') && /[\u4e00-\u9fff]/.test(seg.text) && !/\d/.test(seg.text)) {
        return boxFrom(row, seg.x0, seg.x1);
      }
    }
  }
  return undefined;
}

const ID_LABEL = /(?:证件号码|证件号|身份证号|身份证件|身份证|证件)[:;]?/;
/** A masked ID once read with the digit whitelist: head digits, stars, tail. */
const ID_MASKED = /(\d{2,6})\s*\*{3,}[*\s]*(\d{0,3}[\dX])/;

function normaliseId(head: string, tail: string): string {
  if (head.length < 2 || tail.length < 2) return '';
  return `${head.slice(0, 2)}${'*'.repeat(14)}${tail.slice(-2)}`;
}

function findId(rows: readonly Row[], refined?: readonly OcrWord[]): string {
  if (refined?.length) {
    const text = refined.map((w) => w.text).join('').replace(/\s+/g, '');
    const m = ID_MASKED.exec(text);
    if (m) return normaliseId(m[1]!, m[2]!);
  }
  // From the main reading: the star run is often read as junk (x, w, 六, 大…), so accept any
  // non-digit run between a digit head and a digit tail after an ID label.
  for (const row of rows) {
    const text = row.text.replace(/\s+/g, '');
    const label = ID_LABEL.exec(text);
    if (!label) continue;
    const m = /(\d{2,6})[^\d]{4,}(\d{1,3}[\dX])$/.exec(text.slice(label.index + label[0].length));
    if (m) return normaliseId(m[1]!, m[2]!);
  }
  return '';
}

const SPOT_LABEL = /(?:场所名称|扫码场所|当前场所|所在场所|场所名|场所|扫码地点|地点)(?!码)[:;]?/;

function cleanSpot(s: string): string {
  const v = s.replace(/\s+/g, '').replace(/^[:;|,.]+/, '').replace(/[^\u4e00-\u9fff0-9A-Za-z()]/g, '');
  return [...v].length >= 2 ? v : '';
}

function findSpot(rows: readonly Row[]): string {
  return locateSpot(rows)?.value ?? '';
}

/** The place name and, when it stands on its own line under its label, that line's box. */
function locateSpot(rows: readonly Row[]): { value: string; line?: Box } | undefined {
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
          return { value: v, line: { x0: Math.min(seg.x0, first!.x0) - 0.4 * h, y0: Math.max(row.y1 + 1, below.y0 - 0.35 * h), x1, y1 } };
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

/** Common Chinese surnames (the 300 or so that cover nearly everyone), single characters. */
const COMMON_SURNAMES = new Set(
  [
    ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文',
    ...'施洪牛樊葛邢安齐庞易伍耿关兰殷单柯童翟倪俞鲁左管祝包詹欧甘聂柳季申章褚裴梅符华舒卞严温鲍屈卓牟窦饶岳练封鞠项阮芦骆柴解宁尚凌苗成巩车商浦萧霍应喻邬焦边辛路梁宫滕丛贝娄胥蓝桂谷柏储穆郑宣邰景池匡阳冉乐米纪祁晏鄢蒲臧糜粟幸',
  ],
);

export function isCommonSurname(name: string): boolean {
  return COMMON_SURNAMES.has([...name][0] ?? '');
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

// ---- assembly -------------------------------------------------------------------------------

export function emptyFields(): HealthCodeFields {
  return {
    Name: '',
    IDNumber: '',
    Time: '',
    Color: '',
    TestingInterval: '',
    TestingResult: '',
    TestingTime: '',
    Vaccination: '',
    SpotName: '',
    VaccinationTime: '',
  };
}

/** Words of the page → fields (Color stays ""). */
export function extractFields(words: readonly OcrWord[], refined: Refined = {}): HealthCodeFields {
  const rows = groupRows(words);
  const out = emptyFields();
  const { dateTimes, dates } = findDateTimes(rows);

  // Time: a date-time with seconds, labelled as the page time or unlabelled; the big clock
  // (tallest) when several qualify.
  const timeCandidates = dateTimes.filter((d) => d.asTime && (d.context === 'time' || d.context === 'none'));
  timeCandidates.sort((a, b) => (a.context === 'time' ? 0 : 1) - (b.context === 'time' ? 0 : 1) || b.h - a.h);
  const time = timeCandidates[0];
  if (time) out.Time = time.asTime!;

  out.TestingResult = findTestingResult(rows).value;
  out.Vaccination = findVaccination(rows);

  // TestingTime: a date-time with a year, labelled as a test; else an unlabelled one that is
  // not the page time, when the page shows a test result.
  const testTimes = dateTimes.filter((d) => d !== time && d.asTestTime);
  const shownTest = out.TestingResult !== '' && out.TestingResult !== '暂无核酸检测记录';
  const test =
    testTimes.find((d) => d.context === 'test') ??
    (shownTest ? (testTimes.find((d) => d.context === 'none') ?? testTimes.find((d) => d.context === 'time')) : undefined);
  if (test) out.TestingTime = test.asTestTime!;

  const vacc = dates.find((d) => d.context === 'vacc') ?? (out.Vaccination && out.Vaccination !== '暂无疫苗接种记录' ? dates.find((d) => d.context === 'none') : undefined);
  if (vacc) out.VaccinationTime = vacc.value;

  // The validity window is shown with a test result (which may itself be unreadable), never
  // on a page that says there is no test.
  if (out.TestingResult !== '暂无核酸检测记录') out.TestingInterval = findInterval(rows, findTestingResult(rows).row);
  out.Name = findName(rows, refined.name);
  out.IDNumber = findId(rows, refined.id);
  out.SpotName = findSpot(rows);
  return out;
}

// ---- second-pass targets ----------------------------------------------------------------------

/**
 * Where a second, narrower reading pays off: the masked-ID line, read again with a
 * digits-and-'*' whitelist (the Chinese model reads long star runs as 六/大/关 or drops them).
 */
export function refineTargets(words: readonly OcrWord[], pageWidth: number): { id?: Box; idCandidates: Box[] } {
  const rows = groupRows(words);
  const idCandidates: Box[] = [];
  for (const row of rows) {
    const text = row.text.replace(/\s+/g, '');
    if (new RegExp(DATE_TIME.source).test(text) || /\d\s*(?:小时|[hH])/.test(text)) continue;
    const label = labelEnd(row, ID_LABEL);
    const digitWords = row.words.filter(
      (w) => /\d/.test(w.text) && !/^\d{1,2}[:;]\d{2}$/.test(w.text) && (label === undefined || w.x0 >= label - 2),
    );
    // Vertical extent from the words that hold digits (stars make short words; the row's
    // height can be too small), else from the row.
    const tallest = digitWords.length ? digitWords.reduce((a, b) => (b.y1 - b.y0 > a.y1 - a.y0 ? b : a)) : undefined;
    const top = tallest && tallest.y1 - tallest.y0 > row.h ? tallest.y0 : row.y0;
    const bottom = tallest && tallest.y1 - tallest.y0 > row.h ? tallest.y1 : row.y1;
    const h = Math.max(row.h, bottom - top);
    if (label !== undefined) {
      // A labelled line ("证件号码：…"): everything right of the label.
      const x0 = label;
      // To the end of the row: the value may be right-aligned far from its label.
      const x1 = Math.max(Math.max(row.x1, ...digitWords.map((w) => w.x1)) + h, x0 + 8 * h);
      return { id: { x0: Math.max(0, x0 - 0.3 * h), y0: top - 0.5 * h, x1: Math.min(pageWidth, x1), y1: bottom + 0.5 * h }, idCandidates };
    }
    // Unlabelled lines with some digits may hold an ID whose stars were read as junk or
    // dropped: the caller looks for a star run in them by shape.
    // Only the segments that may hold it (digits, or a run of junk where stars were), so a
    // name on the same line stays out of the crop.
    const holders = row.segments.filter(
      (sg) => /\d/.test(sg.text) || ([...sg.text].length >= 4 && sg.words.reduce((a, w) => a + w.conf, 0) / sg.words.length < 40),
    );
    if (holders.length && idCandidates.length < 4) {
      const x0 = Math.min(...holders.map((sg) => sg.x0));
      idCandidates.push({ x0: Math.max(0, x0 - 0.5 * h), y0: top - 0.5 * h, x1: pageWidth, y1: bottom + 0.5 * h });
    }
  }
  return { idCandidates };
}

/**
 * Text the page's reading is unsure of, for a second reading from the original screenshot:
 * short rows where every word is below `maxConf` (small light labels such as 当前场所 at half
 * size come out as one junk character), widened to a few characters and about one line high;
 * and garbled segments (three or more words, mean confidence below 50: 暂无核酸检测记录 read
 * as 握无枝竣检沪记录) in rows without digits, stars or an ID label (masked IDs are read
 * apart). Returns the boxes (source pixels) with the words they would replace; the status bar
 * (top 4 % of the page) is skipped.
 */
export function unsureRows(words: readonly OcrWord[], pageWidth: number, pageHeight: number, maxConf = 40, maxRows = 4): { box: Box; words: OcrWord[] }[] {
  const rows = groupRows(words);
  const confident = rows.filter((r) => r.words.some((w) => w.conf >= 60));
  const lineH = median(confident.map((r) => r.h));
  const out: { box: Box; words: OcrWord[] }[] = [];
  const mean = (ws: readonly OcrWord[]) => ws.reduce((a, w) => a + w.conf, 0) / Math.max(1, ws.length);
  for (const row of rows) {
    if (out.length >= maxRows) break;
    if (row.y0 < 0.04 * pageHeight) continue;
    const hh = Math.max(row.h, lineH);
    const cy = (row.y0 + row.y1) / 2;
    if (row.words.every((w) => w.conf < maxConf) && [...row.text.replace(/\s+/g, '')].length <= 6) {
      const x0 = Math.max(0, row.x0 - 3 * hh);
      const x1 = Math.min(pageWidth, row.x1 + 6 * hh);
      // Not bounded by the neighbours' boxes: tesseract's box of the line below often swallows
      // the faint label. A neighbour's edge caught in the crop makes a reading that is not sure.
      out.push({ box: { x0, y0: cy - 0.75 * hh, x1, y1: cy + 0.75 * hh }, words: row.words });
      continue;
    }
    if (/[\d*]/.test(row.text) || ID_LABEL.test(row.text.replace(/\s+/g, ''))) continue;
    for (const seg of row.segments) {
      if (out.length >= maxRows) break;
      if (seg.words.length < 3 || mean(seg.words) >= 50) continue;
      const h = row.h;
      // Garbled text is often read short: a few characters further right, up to the next segment.
      const after = row.segments[row.segments.indexOf(seg) + 1];
      const x1 = Math.min(pageWidth, seg.x1 + 4 * h, after ? after.x0 - 0.3 * h : Infinity);
      out.push({ box: { x0: Math.max(0, seg.x0 - 0.5 * h), y0: row.y0 - 0.35 * h, x1, y1: row.y1 + 0.35 * h }, words: seg.words });
    }
  }
  return out;
}

/** The x where a label matched in the row's text ends (label words may be split per character). */
function labelEnd(row: Row, label: RegExp): number | undefined {
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

