/**
 * The testing and vaccination states: TestingResult (阴性 / 阳性 / 暂无核酸检测记录),
 * TestingInterval (48小时, also written as a big "48" over "小时") and Vaccination (已完成全程接种,
 * 已接种3针, 已接种第2针, 无结果 …), wherever their cards or rows are on the page.
 */
import { fuzzyFind } from '../text.js';
import { DOSE_COUNT_CHARS } from './labels.js';
import { closestPhrase } from './vocabulary.js';
import { type Context, contextOf } from './context.js';
import { type TextLine, below, rightOf, sameRow } from './lines.js';
import { MIN_LINE_SCORE, PART_GAP, POSITIVE_MIN_SCORE } from './tuning.js';

const NO_TEST_PHRASES = ['暂无核酸检测记录', '暂无核酸记录', '暂无检测记录'];
const NO_TEST = /暂无.{0,3}核酸|暂无.{0,4}检测.{0,2}记录|无核酸检测记录|无核酸记录/;

export function findTestingResult(lines: readonly TextLine[]): { value: string; line?: TextLine } {
  let negative: TextLine | undefined;
  let positive: TextLine | undefined;
  let none: TextLine | undefined;
  for (const line of lines) {
    if (line.score < MIN_LINE_SCORE) continue;
    // The notice after its label (`核酸检测:暂无…`, or with no colon: `核酸检测暂无扶酸拾测记录`).
    const at = line.text.indexOf('暂无');
    const rest = at > 0 ? line.text.slice(at) : line.text.replace(/^[^:]*:/, '');
    if (
      !none &&
      (NO_TEST.test(line.text) ||
        fuzzyFind(line.text, '暂无核酸检测记录').distance <= 1 ||
        closestPhrase(rest, NO_TEST_PHRASES) ||
        // The full wording alone as well: a reading as close to a shorter one says the same
        // (`暂无扶破拾测记录`); a short wording alone would take any 暂无XX记录 (暂无接种记录).
        closestPhrase(rest, [NO_TEST_PHRASES[0]!]))
    )
      none = line;
    if (!negative && /阴性/.test(line.text)) negative = line;
    if (!positive && /阳性/.test(line.text) && line.score >= POSITIVE_MIN_SCORE) positive = line;
  }
  if (positive && !negative) return { value: '阳性', line: positive };
  if (negative) return { value: '阴性', line: negative };
  if (none) return { value: '暂无核酸检测记录', line: none };
  // Another "nothing" the page writes as the test's result (无结果, 暂无结果 …), as written.
  for (const line of lines) {
    const text = line.text.replace(/^[^:]*:/, '');
    if (line.score < MIN_LINE_SCORE || !/^(?:暂无|无)[\u4e00-\u9fff]{1,6}$/.test(text) || /疫苗|接种/.test(text))
      continue;
    if (contextOf(lines, line, line.text.length - text.length) === 'test') return { value: text, line };
  }
  return { value: '' };
}

const INTERVAL = /(\d{1,3})\s*(?:小时|[hH](?![a-zA-Z]))/g;

/**
 * Intervals are whole days written in hours (24, 48, 72 … 168). Another number is a misread
 * (`12` for a display face's 72, `2` for a dropped 7): not taken, except a separator bar read as
 * a leading 1 (`阴性|48小时` → `148`).
 */
export function wholeDays(n: number): number | undefined {
  if (n >= 24 && n <= 168 && n % 24 === 0) return n;
  if (n > 100 && n < 200) return wholeDays(n - 100);
  return undefined;
}

/** The `小时` of an interval box beside or under `line` (the box's number), if any (`unit`: what it reads as). */
export function unitOfBox(lines: readonly TextLine[], line: TextLine, unit = /^小时/): TextLine | undefined {
  return [rightOf(lines, line), below(lines, line, PART_GAP)].find((l) => l !== undefined && unit.test(l.text));
}

export function findInterval(lines: readonly TextLine[], resultLine: TextLine | undefined): string {
  const hits: { value: string; score: number }[] = [];
  const add = (read: number, line: TextLine, start: number) => {
    const n = wholeDays(read);
    if (n === undefined) return;
    const ctx = contextOf(lines, line, start);
    let score = ctx === 'test' ? 2 : ctx === 'none' ? 0 : -1;
    if (resultLine && (sameRow(resultLine, line) || Math.abs(resultLine.y0 - line.y0) < 3 * line.h)) score += 1;
    hits.push({ value: `${n}小时`, score });
  };
  for (const line of lines) {
    if (line.score < MIN_LINE_SCORE) continue;
    for (const m of line.text.matchAll(INTERVAL)) add(Number(m[1]), line, m.index);
    // A box with the number on its own and 小时 beside or under it.
    if (/^\d{1,3}$/.test(line.text)) {
      if (unitOfBox(lines, line)) add(Number(line.text), line, 0);
    }
  }
  hits.sort((a, b) => b.score - a.score);
  return hits[0] && hits[0].score >= 0 ? hits[0].value : '';
}

/** States written the same way by every app. */
const VACC_STATE =
  /已完成全程接种|已完成加强免疫|已完成加强针接种|已完成基础免疫|未完成全程接种|暂无(?:疫苗)?接种记录|无(?:疫苗)?接种记录|已接种(?:第)?[一二三四五1-5](?:剂|针)(?:次)?/;
/** The states VACC_STATE spells out, for misread lines. */
const VACC_STATES = [
  '已完成全程接种',
  '已完成加强免疫',
  '已完成加强针接种',
  '已完成基础免疫',
  '未完成全程接种',
  '暂无疫苗接种记录',
  '已接种第一剂',
  '已接种第二剂',
  '已接种第三剂',
];

/**
 * 已接种 without its count, or with a count followed by anything but a unit (针, 剂, 次): a
 * misread count (`已接种2计`: the unit read past the recogniser's choices), not a state.
 */
const MISREAD_COUNT = new RegExp(`^已接种第?(?:[针剂]?$|[${DOSE_COUNT_CHARS}](?![针剂次]))`);

/** Words of other labels: a value holding one is no vaccination state (`已接种日期`: a misread `已接种3剂`). */
const OTHER_LABEL = /核酸|检测|日期|时间/;

/** A count of doses with its unit and nothing else, as a tile's value (`3针`, `第2剂`). */
export const DOSE_ALONE = /^第?[一二三四五1-5][针剂]$/;
/**
 * The label such a count stands beside, under or over: 已接种, perhaps with a colon — also with one
 * character misread (a display face's `已接秘`), but for its 已, read only as its look-alikes
 * (己, 巳; never 未): beside a lone count, nothing else is such a word.
 */
export const DOSE_LABEL = /^(?:已接[\u3400-\u9fff]|已[\u3400-\u9fff]种|[已己巳]接种):?$/;

/** Any short state after a vaccination label ("无结果", "已接种"), or a vaccination word with its verb last ("全程接种已完成"). */
const VACC_VALUE =
  /^(?:(?:已|未|暂无|无)[\u4e00-\u9fff\d]{1,9}|[\u4e00-\u9fff\d]{0,5}(?:接种|免疫|加强针?)[已未]完成)$/;

export function findVaccination(lines: readonly TextLine[]): { value: string; line?: TextLine } {
  for (const line of lines) {
    if (line.score < MIN_LINE_SCORE) continue;
    const m = VACC_STATE.exec(line.text);
    if (m) return { value: m[0], line };
  }
  // A state misread in a hard font, next to a vaccination label.
  for (const line of lines) {
    const text = line.text.replace(/^[^:]*:/, '');
    const state = closestPhrase(text, VACC_STATES);
    if (state && contextOf(lines, line, line.text.length - text.length) === 'vacc') return { value: state, line };
  }
  // A count and its unit on their own (`3针`, `第2剂`) beside the label 已接种, under it or over it
  // (a tile of label and value): that label and the count.
  for (const line of lines) {
    if (line.score < MIN_LINE_SCORE || !DOSE_ALONE.test(line.text)) continue;
    const labelled = lines.some(
      (l) =>
        DOSE_LABEL.test(l.text) &&
        (rightOf(lines, l) === line || below(lines, l, PART_GAP) === line || below(lines, line, PART_GAP) === l),
    );
    if (labelled) return { value: `已接种${line.text}`, line };
  }
  // A state the list does not know, next to a vaccination label.
  for (const line of lines) {
    const text = line.text.replace(/^[^:]*:/, '');
    if (line.score < MIN_LINE_SCORE || !VACC_VALUE.test(text) || OTHER_LABEL.test(text) || MISREAD_COUNT.test(text))
      continue;
    const ctx: Context = contextOf(lines, line, line.text.length - text.length);
    if (ctx === 'vacc') return { value: text, line };
  }
  return { value: '' };
}
