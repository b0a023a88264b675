import { findName } from './names.js';
import type { OcrWord } from './ocr-words.js';
import { type Row, groupRows } from './rows.js';
import { fuzzyFind } from './text.js';
import { contextOf, leftText } from './extract-context.js';
import { findDateTimes, spanOf } from './extract-dates.js';
import { findSpot } from './extract-spot.js';
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
