/**
 * Layout-free field extraction: recognised text lines with their boxes → the ten
 * RecognizeHealthCodeOCR fields (Color comes from the QR code's pixels, not from here).
 * Values are found by their shape and vocabulary and assigned by the labels near them
 * (context.ts); nothing is filled in that the page does not show. The rules per field are in
 * docs/health-code.md.
 */
import { HEALTH_CODE_WORDS, type HealthCodeFields, emptyFields } from '../types.js';
import { contextOf } from './context.js';
import { type DateHit, asDate, asTestTime, asTime, findDates } from './dates.js';
import { type TextLine, deskew, readingOrder, splitAtBars } from './lines.js';
import { findId, findName } from './person.js';
import { findSpot } from './spot.js';
import { findInterval, findTestingResult, findVaccination } from './status.js';
import { MIN_LINE_SCORE } from './tuning.js';

export { emptyFields };
export type { TextLine } from './lines.js';
export { normaliseText } from './lines.js';

export function isHealthCodePage(lines: readonly TextLine[]): boolean {
  return lines.some((l) => HEALTH_CODE_WORDS.test(l.text));
}

export function extractFromLines(input: readonly TextLine[]): HealthCodeFields {
  const lines = readingOrder(deskew(input).flatMap(splitAtBars));
  const out = emptyFields();
  const dates = findDates(lines).filter((d) => d.line.score >= MIN_LINE_SCORE);
  const ctx = new Map<DateHit, ReturnType<typeof contextOf>>();
  for (const d of dates)
    ctx.set(d, contextOf(lines, d.partner && d.partner.y0 < d.line.y0 ? d.partner : d.line, d.partner ? 0 : d.start));

  // Time: the code's refresh time, a date-time with seconds that is not an entry, test or
  // vaccination time; labelled as a time first, then the tallest (the big clock by the code).
  const clock = dates
    .filter((d) => d.second !== undefined && d.month !== undefined && !['entry', 'test', 'vacc'].includes(ctx.get(d)!))
    .sort((a, b) => Number(ctx.get(b) === 'time') - Number(ctx.get(a) === 'time') || b.line.h - a.line.h);
  const time = clock[0];
  if (time) out.Time = asTime(time);

  const result = findTestingResult(lines);
  out.TestingResult = result.value;
  if (result.value !== '暂无核酸检测记录') out.TestingInterval = findInterval(lines, result.line);

  // TestingTime: a date-time with a year in a test context; without a label, only on a page
  // that shows a test result, and never the code's time or an entry time.
  const withYear = dates.filter((d) => d !== time && d.year !== undefined && d.hour !== undefined);
  const shownTest = out.TestingResult === '阴性' || out.TestingResult === '阳性';
  const test =
    withYear.find((d) => ctx.get(d) === 'test') ??
    (shownTest
      ? (withYear.find((d) => ctx.get(d) === 'none') ?? withYear.find((d) => ctx.get(d) === 'time'))
      : undefined);
  if (test) out.TestingTime = asTestTime(test);

  const vaccination = findVaccination(lines);
  out.Vaccination = vaccination.value;
  const vaccDate = dates.find((d) => d.year !== undefined && d !== test && d !== time && ctx.get(d) === 'vacc');
  if (vaccDate) out.VaccinationTime = asDate(vaccDate);

  out.Name = findName(lines);
  out.IDNumber = findId(lines);
  out.SpotName = findSpot(lines);
  return out;
}
