/**
 * The code's refresh time misread in a digit of its hour or minutes (a display face's 7 read as
 * 1: `01:30:07` for `07:30:07`) is checked against the phone's own clock in the status bar, which
 * a screenshot of a live code shows at the same minute: where the two differ, the time's line is
 * read again with room around it, and the status bar's hour and minutes are taken when that
 * reading gives them, with the same seconds. The status bar only proposes: its small digits are
 * misread too (a display face's `07:21` read `01:21` over a big `07:21:04` read right), so the
 * time's own second reading decides; a code refreshed a minute before the screenshot, or a status
 * bar on a 12-hour clock, keeps its reading.
 */
import type { TextLine } from '../fields/index.js';
import { fixDigits } from '../text.js';
import { tallest } from './text-lines.js';

/** The status bar: the top of the page, this share of its height (a tall phone's bar is about 2 %). */
const STATUS_BAR_SHARE = 0.05;

const CLOCK_ALONE = /^(\d{1,2}):(\d{2})$/;

/** The phone's clock in the status bar (`HH:MM`): the one line at the top of the page that reads a clock alone. */
export function statusClock(lines: readonly TextLine[], pageHeight: number): string | undefined {
  const clocks = lines
    .filter((l) => l.y1 <= STATUS_BAR_SHARE * pageHeight)
    .map((l) => CLOCK_ALONE.exec(fixDigits(l.text).replace(/\s/g, '')))
    .filter((m) => m !== null);
  if (clocks.length !== 1) return undefined;
  const [, hour = '', minute = ''] = clocks[0]!;
  if (Number(hour) > 23 || Number(minute) > 59) return undefined;
  return `${hour.padStart(2, '0')}:${minute}`;
}

/** The tallest line holding the clock of `time` (`MM-DD HH:MM:SS`). */
export function timeLine(lines: readonly TextLine[], time: string): TextLine | undefined {
  const clock = time.slice(6);
  return tallest(lines, (l) => fixDigits(l.text).replace(/\s/g, '').includes(clock));
}

/**
 * `time` with the hour and minutes of `status` (`HH:MM`) when the time's line read again (`read`)
 * holds a clock with the time's seconds whose hour and minutes read as the status bar's;
 * undefined otherwise.
 */
export function statusTime(time: string, status: string, read: string): string | undefined {
  const seconds = time.slice(-2);
  const text = fixDigits(read).replace(/\s/g, '');
  // The clock may follow its date's digits with no space (`11-0407:30:07`): no digit boundary before it.
  return new RegExp(`${status}:${seconds}(?!\\d)`).test(text) ? `${time.slice(0, 6)}${status}:${seconds}` : undefined;
}
