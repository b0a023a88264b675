/**
 * An interval read as hours that are no whole number of days (`12小时` or `12h` for a display
 * face's `72小时`, `72h`: 7 read as 1) is read again keeping the recogniser's likeliest
 * characters, and the likeliest reading of its digits that is whole days is taken — each digit
 * one of its character's choices with at least INTERVAL_CHOICE_PROB. A digit the recogniser never considered is not
 * guessed, and a number with no whole-day reading among the choices stays unread.
 *
 * A number in an interval box read as something else — a big display-face `48` over its 小时 read
 * as `啪` or `8`, `72h` as `T2h` — is read again as digits and units alone (each step's likeliest
 * of them, or the blank), and taken when that makes whole days, each digit read with at least
 * INTERVAL_CHOICE_PROB. A box whose number is whole days but whose 小时 was misread in its first
 * character (`抗时` under `48`, `少时`) is taken as 小时 when 小 is among that character's choices,
 * else the unit is read again with room and taken when it reads 小时 (unitReading).
 */
import { type TextLine, extractFromLines } from '../fields/index.js';
import { type CharChoices, retexted } from '../fields/lines.js';
import { unitOfBox, wholeDays } from '../fields/status.js';
import type { Decoded } from '../image.js';
import type { PageReads } from './reads.js';
import type { RecognizedLine } from './recognize.js';

type ReadChoices = PageReads['readChoices'];
type ReadAs = PageReads['readAs'];

/** Choices kept per character: the right digit of the development misreads was within the first three. */
export const CHOICES = 5;
/** The least probability a digit choice needs (the right ones seen: 0.19 and up; below a few hundredths, noise). */
const INTERVAL_CHOICE_PROB = 0.03;

/** A number of hours: before 小时, or before an h that starts no word (`12h`). */
const HOURS = /(\d{1,3})\s*(?:小时|[hH](?![a-zA-Z]))/;

/** A box's number with its unit on its line, what stands before the unit no number (`T2h`, `啪小时`). */
const UNIT_LINE = /^(\S{1,3}?)\s*(?:小时|[hH])$/;
/** What an interval box's number is read as the second time. */
const INTERVAL_CHARS = '0123456789hH小时';

export async function recheckInterval(
  lines: readonly TextLine[],
  img: Decoded,
  readChoices: ReadChoices,
  readAs: ReadAs,
): Promise<string> {
  // At most two such lines are read again.
  const misread = lines
    .filter((l) => {
      const m = HOURS.exec(l.text);
      return m !== null && wholeDays(Number(m[1])) === undefined;
    })
    .slice(0, 2);
  for (const line of misread) {
    const read = await readChoices(img, line, CHOICES);
    const hours = read ? wholeDaysReading(read) : undefined;
    if (hours === undefined) continue;
    const interval = intervalWith(lines, line, retexted(line, line.text.replace(HOURS, `${hours}小时`)));
    if (interval) return interval;
  }
  // A box's whole-days number with its 小时 misread in the first character (`抗时` under `48`):
  // the unit read again with room, taken when it then reads 小时.
  for (const { unit } of misreadUnits(lines).slice(0, 2)) {
    // The first reading's choices, else the unit read again.
    let again = unit.choices && unitReading(unit.choices);
    let score = unit.score;
    if (!again) {
      const read = await readChoices(img, unit, CHOICES);
      again = read && unitReading(read.chars);
      score = read?.score ?? 0;
    }
    if (!again) continue;
    const interval = intervalWith(lines, unit, retexted(unit, again, score));
    if (interval) return interval;
  }
  for (const line of boxNumbers(lines).slice(0, 2)) {
    const read = await readAs(img, line, INTERVAL_CHARS);
    // Every digit read with at least INTERVAL_CHOICE_PROB (the right ones seen: 0.09 and up, most above 0.7).
    if (!read?.text || read.chars.some((c) => /\d/.test(c.text) && c.prob < INTERVAL_CHOICE_PROB)) continue;
    const interval = intervalWith(lines, line, retexted(line, read.text, read.score));
    if (interval) return interval;
  }
  // A box whose number the detector missed (a big bold `48` over its `小时` in a JPEG): the
  // empty stretch above the unit read as digits alone, taken when they make whole days.
  for (const region of numberlessUnits(lines).slice(0, 2)) {
    const read = await readAs(img, region, DIGITS);
    if (!read?.text || read.chars.some((c) => c.prob < INTERVAL_CHOICE_PROB)) continue;
    const interval = extractFromLines([...lines, retexted(region, read.text, read.score)]).TestingInterval;
    if (interval) return interval;
  }
  return '';
}

const DIGITS = '0123456789';
/** How far above an interval box's unit its number may stand, in the unit's heights (a number about twice as tall as the unit, and the gap between them). */
const NUMBER_REACH = 4;

/**
 * Lines reading `小时` alone whose stretch above, up to NUMBER_REACH of their heights, holds no line
 * near them (a line higher up in it, a label, shortens the stretch to below it): that stretch, as
 * a line for readAs, whose band (a quarter of the line's height around it) then covers just the
 * stretch, down to a tenth of the unit's height above the unit.
 */
export function numberlessUnits(lines: readonly TextLine[]): TextLine[] {
  return lines.flatMap((unit) => {
    if (unit.text !== '小时') return [];
    const x0 = unit.x0 - 0.5 * unit.h;
    const x1 = unit.x1 + 0.5 * unit.h;
    const bottom = unit.y0 - 0.1 * unit.h;
    const reach = unit.y0 - NUMBER_REACH * unit.h;
    // Lines of the column that end inside the stretch.
    const inside = lines.filter(
      (l) => l !== unit && l.x1 > x0 && l.x0 < x1 && l.y0 < bottom && l.y1 > reach + 0.5 * unit.h,
    );
    // One near the unit is its number, read right or not (the steps above see it).
    if (inside.some((l) => l.y1 > bottom - 1.5 * unit.h)) return [];
    const top = Math.max(reach, ...inside.map((l) => l.y1 + 0.1 * unit.h));
    if (bottom - top < unit.h) return [];
    const pad = (bottom - top) / 6;
    return [{ ...retexted(unit, ''), x0, x1, y0: top + pad, y1: bottom - pad, h: 4 * pad }];
  });
}

/** The interval the page's lines give with `line` read as `again`. */
const intervalWith = (lines: readonly TextLine[], line: TextLine, again: TextLine): string =>
  extractFromLines(lines.map((l) => (l === line ? again : l))).TestingInterval;

/**
 * Lines that stand where an interval box's number does and read as no whole days: a short line
 * with 小时 beside or under it, or one ending in its unit after something that is no number.
 */
export function boxNumbers(lines: readonly TextLine[]): TextLine[] {
  return lines.filter((line) => {
    const unit = UNIT_LINE.exec(line.text);
    if (unit) return !/^\d+$/.test(unit[1]!);
    if ([...line.text].length > 3 || isWholeDaysNumber(line.text)) return false;
    return unitOfBox(lines, line) !== undefined;
  });
}

/** A box's number of one to three digits that is a whole number of days (`48`). */
const isWholeDaysNumber = (text: string) => /^\d{1,3}$/.test(text) && wholeDays(Number(text)) !== undefined;

/** What an interval box's 小时 misread in its first character reads as (`抗时`). */
const MISREAD_UNIT = /^[^\d小]时$/;

/** The least probability 小 needs among a box unit's first character's choices (`少时`: 小 at 0.15). */
const UNIT_CHOICE_PROB = 0.1;

/**
 * A box's unit as read (its characters with their choices): `小时` when it reads so, or when it
 * reads `X时` with 小 among X's choices at UNIT_CHOICE_PROB or more (a small page's `少时`); else
 * undefined.
 */
export function unitReading(chars: readonly CharChoices[]): string | undefined {
  const text = chars.map((c) => c.text).join('');
  if (text.startsWith('小时')) return text;
  const [first, second] = chars;
  if (second?.text !== '时' || !first?.alts?.some((a) => a.text === '小' && a.prob >= UNIT_CHOICE_PROB))
    return undefined;
  return `小${text.slice(first.text.length)}`;
}

/** Interval boxes whose number reads as whole days and whose unit beside or under it reads `X时`. */
export function misreadUnits(lines: readonly TextLine[]): { line: TextLine; unit: TextLine }[] {
  return lines.flatMap((line) => {
    if (!isWholeDaysNumber(line.text)) return [];
    const unit = unitOfBox(lines, line, MISREAD_UNIT);
    return unit ? [{ line, unit }] : [];
  });
}

/** The likeliest whole-day number of hours the digits before 小时 (or an h) can be read as, from their choices. */
export function wholeDaysReading(read: RecognizedLine): number | undefined {
  const next = (i: number) => read.chars[i + 1]?.text ?? '';
  const unit = read.chars.findIndex(
    (c, i) =>
      (c.text === '小' && next(i) === '时') ||
      // An h after a digit that starts no word (not the h of `Health`).
      (/^[hH]$/.test(c.text) && /^\d$/.test(read.chars[i - 1]?.text ?? '') && !/^[a-zA-Z]$/.test(next(i))),
  );
  let start = unit;
  while (start > 0 && unit - start < 3 && /^\d$/.test(read.chars[start - 1]!.text)) start--;
  if (unit <= 0 || start === unit) return undefined;
  const options = read.chars
    .slice(start, unit)
    .map((c) => (c.alts ?? [c]).filter((a) => /^\d$/.test(a.text) && a.prob >= INTERVAL_CHOICE_PROB));
  let best: { hours: number; p: number } | undefined;
  const walk = (i: number, digits: string, p: number) => {
    if (i === options.length) {
      const hours = wholeDays(Number(digits));
      if (hours !== undefined && (!best || p > best.p)) best = { hours, p };
      return;
    }
    for (const o of options[i]!) walk(i + 1, digits + o.text, p * o.prob);
  };
  walk(0, '', 1);
  return best?.hours;
}
