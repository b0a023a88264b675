/**
 * Dates and times on the page, in every form health-code apps write them: 2022-01-15 22:52,
 * 2022/1/15, 2022.01.15 (a dot read as a comma too), 2022年1月15日(周六) 22:52:05, 01-08 17:05:05,
 * 2022年1月15日 22时52分05秒, a date on one line and the clock on the next. Each hit remembers its
 * line and character span for its context.
 */
import { fixDigits } from '../text.js';
import { type TextLine, sameRow } from './lines.js';
import { MIN_LINE_SCORE, PART_GAP } from './tuning.js';

export interface DateHit {
  line: TextLine;
  start: number;
  end: number;
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Set when the date and the clock come from two lines. */
  partner?: TextLine;
}

const YMD = String.raw`(?:(20\d{2})\s*[-/.,年]\s*)?(\d{1,2})\s*[-/.,月]\s*(\d{1,2})(?!\d{3})\s*日?`;
const WEEKDAY = String.raw`(?:\(?(?:周|星期)[一二三四五六日天]\)?)?`;
/** A clock: `14:23:05`, or written with 时, 分 and 秒 as a date with 年, 月 and 日 (`14时23分05秒`, `8时30分`). */
const HMS = String.raw`(\d{1,2})\s*[:时]\s*(\d{2})(?:\s*[:分]\s*(\d{2}))?(?:\s*[分秒])?`;
/** The space between a date and its clock may be read as a colon (`2022-11-15:08:11`). */
const DATE_TIME = new RegExp(`${YMD}\\s*${WEEKDAY}\\s*:?\\s*${HMS}`, 'g');
/**
 * A clock with seconds and then its date, with a year (`16:29:14 2022-09-07`) or written with 月
 * and 日 (`15:38:30 06月08日`); the recogniser may drop the space between them, running the seconds
 * into the date (`16:29:142022-09-07`, `15:38:3006月08日`).
 */
const CLOCK_DATE =
  /(?<![\d:])(\d{1,2})\s*[:时]\s*(\d{2})\s*[:分]\s*(\d{2})\s*秒?\s*(?:(20\d{2})\s*[-/.,年]\s*(\d{1,2})\s*[-/.,月]\s*(\d{1,2})(?!\d)\s*日?|(\d{1,2})\s*月\s*(\d{1,2})\s*日)/g;
const DATE_ONLY = new RegExp(`${YMD}\\s*${WEEKDAY}`, 'g');
/** A line that is nothing but a two-digit month and day (`01-08`, `01/08`; not `08.30`, a clock's colon read as a dot): a date set beside its clock. */
const LONE_MONTH_DAY = /^\s*\d{2}\s*[-/]\s*\d{2}\s*$/;
/**
 * 月 read as another character (周, 风: the handwriting face's `2022年03周18日`, `2022年02风02日`):
 * any one Han character between a year written with 年 and a day written with 日 stands for 月 —
 * nothing else is written there (a weekday follows the 日).
 */
const MONTH_MISREAD = /(20\d{2}\s*年\s*\d{1,2}\s*)[\u3400-\u9fff](\s*\d{1,2}\s*日)/g;
const TIME_ONLY = new RegExp(`(?<![\\d:])${HMS}(?![\\d:])`, 'g');

const valid = (h: DateHit): boolean =>
  (h.month === undefined || (h.month >= 1 && h.month <= 12)) &&
  (h.day === undefined || (h.day >= 1 && h.day <= 31)) &&
  (h.hour === undefined || h.hour <= 23) &&
  (h.minute === undefined || h.minute <= 59) &&
  (h.second === undefined || h.second <= 59);

const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
/** `text` with `length` characters from `start` turned to spaces: a match taken, spans kept. */
const blankOut = (text: string, start: number, length: number) =>
  text.slice(0, start) + ' '.repeat(length) + text.slice(start + length);

/** Every date, date-time and clock reading in the lines; a date and a clock on neighbouring lines are joined. */
export function findDates(lines: readonly TextLine[]): DateHit[] {
  const hits: DateHit[] = [];
  const dateOnly: DateHit[] = [];
  const timeOnly: DateHit[] = [];
  for (const line of lines) {
    // Look-alikes fixed next to digits only (O→0, l→1 …), same length so spans stay valid.
    const whole = fixDigits(line.text).replace(MONTH_MISREAD, '$1月$2');
    let text = whole;
    /** A date-time matched at `m`, taken when valid, and blanked out of the text. */
    const take = (m: RegExpMatchArray, parts: (string | undefined)[]) => {
      const [y, mo, d, hh, mi, ss] = parts.map(num);
      const [start, end] = [m.index!, m.index! + m[0].length];
      const hit: DateHit = { line, start, end, year: y, month: mo, day: d, hour: hh, minute: mi, second: ss };
      if (valid(hit)) hits.push(hit);
      text = blankOut(text, start, end - start);
    };
    for (const m of text.matchAll(DATE_TIME)) {
      const [, y, mo, d, hh, mi, ss] = m;
      // A month-day without a year must be written with 月 or '-' and not be part of a longer number.
      if (!y && /\d$/.test(text.slice(0, m.index))) continue;
      take(m, [y, mo, d, hh, mi, ss]);
    }
    for (const m of text.matchAll(CLOCK_DATE)) {
      const [, hh, mi, ss, y, mo, d, mo2, d2] = m;
      take(m, [y, mo ?? mo2, d ?? d2, hh, mi, ss]);
    }
    for (const m of text.matchAll(DATE_ONLY)) {
      const [all, y, mo, d] = m;
      // Without a year: written with 月, or a month-day that is the whole line, read surely (`01-08`
      // beside its clock).
      if (!y && !/月/.test(all) && !(LONE_MONTH_DAY.test(whole) && line.score >= MIN_LINE_SCORE)) continue;
      if (/\d$/.test(text.slice(0, m.index))) continue;
      const hit: DateHit = {
        line,
        start: m.index,
        end: m.index + all.length,
        year: num(y),
        month: num(mo),
        day: num(d),
      };
      if (valid(hit)) dateOnly.push(hit);
      text = blankOut(text, m.index, all.length);
    }
    for (const m of text.matchAll(TIME_ONLY)) {
      const [all, hh, mi, ss] = m;
      const hit: DateHit = {
        line,
        start: m.index,
        end: m.index + all.length,
        hour: num(hh),
        minute: num(mi),
        second: num(ss),
      };
      if (valid(hit)) timeOnly.push(hit);
    }
  }
  // A clock whose date stands on the line above or below it, before it or after it on its row, or
  // straight after it on its line (`14:23:05 2022-10-26`).
  const used = new Set<DateHit>();
  for (const t of timeOnly) {
    const date = dateOnly.find(
      (d) => !used.has(d) && (d.line === t.line ? followsOnLine(t, d) : nextTo(d.line, t.line)),
    );
    if (date) {
      used.add(date);
      const partner = date.line === t.line ? {} : { partner: date.line };
      hits.push({ ...t, year: date.year, month: date.month, day: date.day, ...partner });
    }
  }
  return [...hits, ...dateOnly.filter((d) => !used.has(d))];
}

/** A date straight after a clock on its line: nothing but spaces between them. */
const followsOnLine = (clock: DateHit, date: DateHit) =>
  date.start >= clock.end && date.line.text.slice(clock.end, date.start).trim() === '';

function nextTo(date: TextLine, clock: TextLine): boolean {
  const h = Math.max(date.h, clock.h);
  // On one row: the date before the clock, or after it (a big clock with its date beside it).
  if (sameRow(date, clock))
    return (
      (clock.x0 >= date.x1 - h && clock.x0 - date.x1 < 3 * h) || (date.x0 >= clock.x1 - h && date.x0 - clock.x1 < 3 * h)
    );
  const gap = Math.max(clock.y0 - date.y1, date.y0 - clock.y1);
  const overlap = Math.min(date.x1, clock.x1) - Math.max(date.x0, clock.x0);
  return gap < PART_GAP * h && overlap > 0;
}

const p2 = (n: number | undefined) => String(n ?? 0).padStart(2, '0');

/** The code's refresh time as the API writes it: MM-DD HH:mm:ss. */
export const asTime = (h: DateHit) => `${p2(h.month)}-${p2(h.day)} ${p2(h.hour)}:${p2(h.minute)}:${p2(h.second)}`;
/** A test time as the API writes it: YYYY-MM-DD HH:mm. */
export const asTestTime = (h: DateHit) => `${h.year}-${p2(h.month)}-${p2(h.day)} ${p2(h.hour)}:${p2(h.minute)}`;
/** A vaccination date as the API writes it: YYYY-MM-DD. */
export const asDate = (h: DateHit) => `${h.year}-${p2(h.month)}-${p2(h.day)}`;
