import { findName } from './names.js';
import type { OcrWord } from './ocr-words.js';
import { type Box, type Row, type Segment, cleanText, groupRows } from './rows.js';
import { fuzzyFind, joinWords } from './text.js';
import { type HealthCodeFields, emptyFields } from './types.js';

/**
 * Field extraction: OCR words with boxes → the ten RecognizeHealthCodeOCR fields. Pure.
 *
 * Words are regrouped into cleaned visual rows (rows.ts), and values are found by their shape (date-times, "48小时",
 * masked names and IDs, a fixed vocabulary of results and vaccination states) and assigned
 * to fields by the nearest label: the text to their left on the same row, else the rows above
 * in the same column. Nothing is filled in that the page does not show; Color is left "" (it
 * comes from the QR code's pixels, not from text). Names are in names.ts; where a second
 * reading pays off is in targets.ts.
 */

export interface Refined {
  /** Whitelisted re-reads (digits, '*', 'X') of the line holding the masked ID. */
  id?: readonly OcrWord[];
  /** Re-read of the line holding the name. */
  name?: readonly OcrWord[];
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
export const DATE_TIME = new RegExp(
  String.raw`(?:(20\d{2})${SEP})?(\d{1,2})${SEP2}(\d{1,2})\s*日?\s*(\d{1,2})${COLON}(\d{2})(?:${COLON}(\d{2}))?`,
  'g',
);
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
      if (distance <= (state.length >= 6 ? 1 : 0))
        distances.set(state, Math.min(distances.get(state) ?? Infinity, distance));
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

export const ID_LABEL = /(?:证件号码|证件号|身份证号|身份证件|身份证|证件)[:;]?/;
/** A masked ID once read with the digit whitelist: head digits, stars, tail. */
const ID_MASKED = /(\d{2,6})\s*\*{3,}[*\s]*(\d{0,3}[\dX])/;

function normaliseId(head: string, tail: string): string {
  if (head.length < 2 || tail.length < 2) return '';
  return `${head.slice(0, 2)}${'*'.repeat(14)}${tail.slice(-2)}`;
}

function findId(rows: readonly Row[], refined?: readonly OcrWord[]): string {
  if (refined?.length) {
    const text = refined
      .map((w) => w.text)
      .join('')
      .replace(/\s+/g, '');
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
  const v = s
    .replace(/\s+/g, '')
    .replace(/^[:;|,.]+/, '')
    .replace(/[^\u4e00-\u9fff0-9A-Za-z()]/g, '');
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

// ---- assembly -------------------------------------------------------------------------------

export { emptyFields };

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
    (shownTest
      ? (testTimes.find((d) => d.context === 'none') ?? testTimes.find((d) => d.context === 'time'))
      : undefined);
  if (test) out.TestingTime = test.asTestTime!;

  const vacc =
    dates.find((d) => d.context === 'vacc') ??
    (out.Vaccination && out.Vaccination !== '暂无疫苗接种记录' ? dates.find((d) => d.context === 'none') : undefined);
  if (vacc) out.VaccinationTime = vacc.value;

  // The validity window is shown with a test result (which may itself be unreadable), never
  // on a page that says there is no test.
  if (out.TestingResult !== '暂无核酸检测记录') out.TestingInterval = findInterval(rows, findTestingResult(rows).row);
  out.Name = findName(rows, refined.name);
  out.IDNumber = findId(rows, refined.id);
  out.SpotName = findSpot(rows);
  return out;
}
