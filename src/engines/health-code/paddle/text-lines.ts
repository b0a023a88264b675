/** Recognised boxes as text lines for the extraction, and the rows the second looks read again. */
import { ID_LABEL, PHONE_LABEL } from '../fields/person.js';
import { normaliseText, type TextLine } from '../fields/index.js';
import { below, restOfRow, rightOf, sameRow } from '../fields/lines.js';
import { DOSE_ALONE, DOSE_LABEL } from '../fields/status.js';
import { PART_GAP, SPLIT_ID_GAP } from '../fields/tuning.js';
import { fixDigits } from '../text.js';
import { type Quad, quadBounds } from './geometry.js';

/**
 * Boxes the detector split within one word (a bold surname and its star read as 王 and *) joined
 * again: same row, similar height, touching or overlapping.
 */
export function mergeFragments(lines: TextLine[]): TextLine[] {
  const sorted = [...lines].sort((a, b) => a.x0 - b.x0);
  const out: TextLine[] = [];
  for (const line of sorted) {
    const prev = out.find((p) => {
      const h = Math.max(p.h, line.h);
      const overlap = Math.min(p.y1, line.y1) - Math.max(p.y0, line.y0);
      return (
        overlap > 0.5 * Math.min(p.y1 - p.y0, line.y1 - line.y0) &&
        Math.max(p.h, line.h) < 2.5 * Math.min(p.h, line.h) &&
        line.x0 - p.x1 < 0.25 * h
      );
    });
    if (!prev) {
      out.push(line);
      continue;
    }
    const n = [...prev.text].length + [...line.text].length;
    Object.assign(prev, {
      text: prev.text + line.text,
      x1: Math.max(prev.x1, line.x1),
      y0: Math.min(prev.y0, line.y0),
      y1: Math.max(prev.y1, line.y1),
      h: Math.max(prev.h, line.h),
      score: (prev.score * [...prev.text].length + line.score * [...line.text].length) / n,
      choices: prev.choices && line.choices ? [...prev.choices, ...line.choices] : undefined,
    });
  }
  return out;
}

/**
 * The page's lines with the lines a second look found (`more`) joined in: what it found beside a
 * line read is that line's fragment, as the detector's own are (a big bold clock detected only as
 * `11`, its `-14 11:58:28` found by its ink). The lines given are left as they are.
 */
export function withLinesFound(lines: readonly TextLine[], more: readonly TextLine[]): TextLine[] {
  return mergeFragments([...lines, ...more].map((l) => ({ ...l })));
}

/**
 * Rows that hold an ID: a label with digits and stars first, then digits next to a star, then a
 * bare label, then a box of stars only (or of one character and stars), then a number split by
 * a gap — head digits and tail digits detected as two boxes on one row with nothing read between
 * them (a star run the detector left out). A masked phone number (its box, or the box just
 * before it, holds a phone label) is none.
 */
export function idRows(lines: readonly TextLine[]): TextLine[] {
  const masked = (l: TextLine) => MASKED.test(l.text);
  const maskOnly = (l: TextLine) => MASK_ONLY.test(l.text) || HAN_HEADED_MASK.test(l.text);
  const rank = (l: TextLine) =>
    masked(l) ? (ID_LABEL.test(l.text) ? 0 : 1) : ID_LABEL.test(l.text) ? 2 : maskOnly(l) ? 3 : 4;
  const phone = (l: TextLine) => PHONE_LABEL.test(l.text) || PHONE_LABEL.test(boxBefore(lines, l)?.text ?? '');
  return lines
    .flatMap((l) => {
      if (ID_LABEL.test(l.text) || masked(l) || maskOnly(l)) return [l];
      const split = splitNumberHead(lines, l) ?? headAfterName(lines, l);
      return split ? [split] : [];
    })
    .filter((l) => !phone(l))
    .sort((a, b) => rank(a) - rank(b));
}

/** The nearest box before `line` on its row (ending at most a fifth of its height into it). */
function boxBefore(lines: readonly TextLine[], line: TextLine): TextLine | undefined {
  return lines
    .filter((l) => l !== line && sameRow(l, line) && l.x1 <= line.x0 + 0.2 * line.h)
    .sort((a, b) => b.x1 - a.x1)[0];
}

/** A mark that is no digit, no CJK character and no star: a glyph beside the mask read as `$`, `)`, `A`. */
const STRAY = '[^\\d\\u3400-\\u9fff*]';
/** One CJK character. */
const HAN = '[\\u3400-\\u9fff]';
/**
 * Digits next to a star, a stray mark or two between them allowed: a display face's digit beside
 * the mask can read as a mark (`44$****`); or digits either side of a run of dots, a photo's
 * small stars read as dots (`5...............92`), or as a couple of dots after two head digits
 * with the tail ending the box (a small page's `4419..1X`): the pixels decide (findStarRun).
 */
const MASKED = new RegExp(
  `\\d${STRAY}{0,2}\\*|\\*${STRAY}{0,2}\\d|\\d[.·•。]{6,}\\d|(?:^|[^\\d:.])\\d{2,6}[.·•。]{2,}\\d{0,4}[\\dXx]$`,
);
/**
 * A box read as stars only, as many as an ID masks, a stray mark or two allowed at either end:
 * its digits read as stars or marks (`**************A`) or left out of the box.
 */
const MASK_ONLY = new RegExp(`^${STRAY}{0,2}\\*{8,}${STRAY}{0,2}$`);
/** The same after one CJK character: its head digits read as one (a brush face's `61` as 勇). A name masks three at most. */
const HAN_HEADED_MASK = new RegExp(`^${HAN}\\*{8,}${STRAY}{0,2}$`);

/** An ID box that starts with its mask (or one digit of its head), widened to where its head digits are (and to their height); any other box as it is. */
export function withHead(lines: readonly TextLine[], line: TextLine): TextLine {
  if (!HEADLESS_ID.test(line.text)) return line;
  const before = boxBefore(lines, line);
  if (before && line.x0 - before.x1 < line.h && /\d$/.test(before.text))
    return { ...line, x0: before.x0, y0: Math.min(line.y0, before.y0), y1: Math.max(line.y1, before.y1) };
  return { ...line, x0: Math.min(line.x0, Math.max(0, before?.x1 ?? 0, line.x0 - HEAD_REACH * line.h)) };
}

/** How far a name box read again with room reaches right: NAME_ROOM heights past it. */
const NAME_ROOM = 1.2;
/** A word's box may reach this many heights into the name's before it (boxes' margins touch). */
const BADGE_OVERLAP = 0.2;

/**
 * Where a name's box read again with room ends: NAME_ROOM heights past it, never into a word read
 * on its own after it on its row (a 本人 badge beside the name, whose 本 read into the name; its
 * box may touch the name's). A lone character there may be the name's own, clipped off (a thin 一
 * after the star), and so may a box with a star (`*一` boxed apart from its surname).
 */
export function nameRoomEnd(lines: readonly TextLine[], line: TextLine): number {
  const next = restOfRow(lines, line).find(
    (l) => l.x0 > line.x1 - BADGE_OVERLAP * line.h && [...l.text].length > 1 && !l.text.includes('*'),
  );
  return Math.min(line.x1 + NAME_ROOM * line.h, Math.max(line.x1, next?.x0 ?? Number.POSITIVE_INFINITY));
}

/**
 * A box of stars only as tall as the digits around it, or undefined for any other box: the box
 * may be the stars' height, about half the digits' (they reach below it when the stars are set
 * high, as superscripts, or either side of it when set in the middle), or already the digits'
 * (their digits read as stars), so this is a second look, after the box as it is.
 */
export function withDigitHeight(line: TextLine): TextLine | undefined {
  if (!MASK_ONLY.test(line.text)) return undefined;
  return {
    ...line,
    y0: line.y0 - STARS_ABOVE * line.h,
    y1: line.y1 + STARS_BELOW * line.h,
    h: STARS_TO_DIGITS * line.h,
  };
}

/** The digits' height against a box of stars only: a star is 0.5–0.65 of a digit (blurred, 0.64; star-run.ts). */
const STARS_TO_DIGITS = 1.6;
/** How far the band reaches below the box, in its heights: the 0.6 more of the digits' height when the stars are set at their top (superscripts), and room. */
const STARS_BELOW = 0.8;
/** How far above it: half that when the stars are set in the digits' middle, and room. */
const STARS_ABOVE = 0.3;

/**
 * For an ID box that lost its mask's end and tail digits — it ends with its stars, or it is an ID
 * label and head digits or nothing — how far right they are looked for: to `pageRight`, the page's
 * text edge, only when no box follows on its row (then the first look already went past that
 * box, and its tail digits are in it or before it); 0 for any other box.
 */
export function tailReach(lines: readonly TextLine[], line: TextLine, pageRight: number): number {
  if (!TAILLESS_ID.test(line.text) && !HEAD_ONLY_ID.test(line.text)) return 0;
  const next = lines.some((l) => l !== line && sameRow(l, line) && l.x0 >= line.x1 - 0.2 * line.h);
  return next ? 0 : Math.max(line.x1, pageRight);
}

/**
 * An ID box whose head digits were lost: its stars first, after a mark or two (`)***…1`), or after
 * one digit and a run of stars (`2****…49`: an ID shows two head digits at least, the first left
 * out of the box; not `5*1***`, its second digit read as a star), or after one CJK character and
 * eight stars (its head digits read as that character, HAN_HEADED_MASK: the box's start is the
 * head's, widened so that the head's crop has room before it).
 */
const HEADLESS_ID = new RegExp(`^(?:${STRAY}{0,2}\\*|\\d\\*{4}|${HAN}\\*{8})`);
/** An ID box whose tail digits were lost: its stars last, or before a mark or two that are no ID's last X either (`****A`). */
const TAILLESS_ID = /\*[^\dXx\u3400-\u9fff*]{0,2}$/;
/** A box that is an ID label, and head digits or none: the detector left the mask (or the whole number) out of it. */
const HEAD_ONLY_ID = new RegExp(`^${ID_LABEL.source}\\s*\\d{0,6}$`);

/** A masked name (`吴*博`), as a box before an ID's head on its row. */
const MASKED_NAME_BOX = /^[\u3400-\u9fff]{1,2}\*/;

/**
 * An ID's head digits read alone with the rest of their row lost (`51`, the mask and tail beside
 * a masked name left out of every box): `line` is 2–6 digits, last on its row, after a masked
 * name on that row. Its mask is looked for around the box, and the row is read again as one band
 * to the page's text edge; an ID is taken only as an ID's eighteen characters.
 */
function headAfterName(lines: readonly TextLine[], line: TextLine): TextLine | undefined {
  if (!/^\d{2,6}$/.test(line.text)) return undefined;
  const row = lines.filter((l) => l !== line && sameRow(l, line));
  if (row.some((l) => l.x0 >= line.x1 - 0.2 * line.h)) return undefined;
  return row.some((l) => l.x1 <= line.x0 && MASKED_NAME_BOX.test(l.text)) ? line : undefined;
}

/** How far left of a box that starts with its mask the ID's head digits are looked for (six digits and a space, in heights). */
const HEAD_REACH = 4;

/**
 * An ID's head digits read as a box of their own: `line` is 2–6 digits, and the next box on its
 * row, a few glyphs on, is 1–5 digits (or an X last); or 1–6 digits (a thin 1 left out) with
 * boxes of stars only between it and the tail (superscript stars the detector boxed apart:
 * `4`, `*****`, `87`) — then the row is the head's box reaching over them to the tail's end (the
 * stars set higher than the digits inside its band). Undefined for any other box.
 */
function splitNumberHead(lines: readonly TextLine[], line: TextLine): TextLine | undefined {
  if (!/^\d{1,6}$/.test(line.text)) return undefined;
  // The tail: the next box on its row; before it, boxes of stars only that overlap the head in
  // height (superscript stars are set above its middle, off its row).
  const stars: TextLine[] = [];
  let next: TextLine | undefined;
  for (const l of lines.filter((o) => o !== line && o.x0 > line.x1).sort((a, b) => a.x0 - b.x0)) {
    if (/^\*+$/.test(l.text) && l.y0 < line.y1 && l.y1 > line.y0) stars.push(l);
    else if (sameRow(l, line)) {
      next = l;
      break;
    }
  }
  if (!next || !/^\d{0,4}[\dXx]$/.test(next.text)) return undefined;
  if (stars.length === 0 && line.text.length < 2) return undefined;
  // A head cut to one digit is a short box: the gap is measured in the taller one's heights then.
  const h = stars.length ? Math.max(line.h, next.h) : line.h;
  const gap = next.x0 - line.x1;
  const apart =
    next.h > 0.7 * line.h && next.h < 1.4 * line.h && gap > SPLIT_ID_GAP[0] * h && gap < SPLIT_ID_GAP[1] * h;
  if (!apart) return undefined;
  if (stars.length === 0) return line;
  const row = [line, ...stars, next];
  return {
    ...line,
    x1: next.x1,
    y0: Math.min(...row.map((l) => l.y0)),
    y1: Math.max(...row.map((l) => l.y1)),
    h: Math.max(line.h, next.h),
  };
}

/** The right edge of the page's text (the widest line's end), inside the image. */
export function rightEdge(lines: readonly TextLine[], width: number): number {
  return Math.min(width, Math.max(...lines.map((l) => l.x1)));
}

/** The tallest of the lines `keep` accepts (the first of them among equals), or undefined. */
export function tallest(lines: readonly TextLine[], keep: (line: TextLine) => boolean): TextLine | undefined {
  return lines.filter(keep).sort((a, b) => b.h - a.h)[0];
}

export function toLine(quad: Quad, text: string, score: number): TextLine {
  const [tl, tr, br, bl] = quad;
  const run = tr.x - tl.x + (br.x - bl.x);
  return {
    text: normaliseText(text),
    ...quadBounds(quad),
    h: Math.hypot(bl.x - tl.x, bl.y - tl.y),
    score,
    ...(run > 0 ? { slope: (tr.y - tl.y + (br.y - bl.y)) / run } : {}),
  };
}

/**
 * A date-time split into boxes: a clock with seconds and the boxes before it on its row (its
 * date), else a date whose clock stops short (`10-20 19:`) and the boxes just after it, else a
 * year and month whose day is missing and the pieces after it — or, none boxed, the `reach` its
 * row is read on to.
 */
export function splitClock(
  lines: readonly TextLine[],
): { anchor: TextLine; row: TextLine[]; reach?: number } | undefined {
  const clock = tallest(lines, (l) => WITH_SECONDS.test(l.text) && !/[-/.年月]\s*\d/.test(l.text));
  const before =
    clock &&
    lines.filter(
      (l) => l !== clock && sameRow(l, clock) && l.x1 <= clock.x0 + 0.5 * clock.h && clock.x0 - l.x1 < 12 * clock.h,
    );
  if (clock && before?.length) return { anchor: clock, row: before };
  const date = tallest(lines, (l) => CUT_CLOCK.test(l.text) && !WITH_SECONDS.test(l.text));
  const after =
    date &&
    lines.filter(
      (l) => l !== date && sameRow(l, date) && l.x0 >= date.x1 - 0.5 * date.h && l.x0 - date.x1 < 3 * date.h,
    );
  if (date && after?.length) return { anchor: date, row: after };
  // A date cut before its day (`2022年09月`; its day and clock boxed in pieces, or partly not at
  // all): the pieces after it on its row, each within SPLIT_ROW_GAP heights of the one before.
  const cut = tallest(lines, (l) => CUT_DATE.test(l.text));
  if (!cut) return undefined;
  const row: TextLine[] = [];
  let end = cut.x1;
  for (const l of lines
    .filter((o) => o !== cut && sameRow(o, cut) && o.x0 >= cut.x1 - 0.5 * cut.h)
    .sort((a, b) => a.x0 - b.x0)) {
    if (l.x0 - end >= SPLIT_ROW_GAP * cut.h) break;
    row.push(l);
    end = Math.max(end, l.x1);
  }
  // Nothing boxed after it (a bold `07日 16:35:07` the detector left out): its row on to where a
  // day and a clock would end, unless another line stands there (its row is no date-time's).
  const reach = cut.x1 + CUT_DATE_REACH * cut.h;
  if (!row.length && lines.some((o) => o !== cut && sameRow(o, cut) && o.x0 >= cut.x1 && o.x0 < reach))
    return undefined;
  return { anchor: cut, row, ...(row.length ? {} : { reach }) };
}
/**
 * A year and month with no day after them, or a day's first digit only: a date-time's row cut by
 * the detector (a whole unpadded date, `2022-1-5`, looks the same; it is read on only when the
 * page gave no time).
 */
const CUT_DATE =
  /^(?:19|20)\d{2}\s*(?:年\s*(?:0?[1-9]|1[0-2])\s*(?:月\s*\d?)?|[-/.]\s*(?:0?[1-9]|1[0-2])\s*(?:[-/.]\s*\d?)?)$/;
/** Pieces of a cut date-time's row lie at most this many of the date's heights apart (a box the detector lost between them). */
const SPLIT_ROW_GAP = 4;
/** A day, 日 and a clock with seconds (`07日 16:35:07`) end within this many of the date's heights after its month. */
const CUT_DATE_REACH = 8;
/** A clock with seconds. */
const WITH_SECONDS = /\d{1,2}:\d{2}:\d{2}/;
/** A month and day, then a clock cut short: `10-20 19:`, `1月20日19`, `10-2019:` — never a whole date (`2022-10-20`). */
const CUT_CLOCK = /\d{1,2}[-/.月]\d{1,2}(?:日\s*|\s+)\d{1,2}(?::\d{0,2})?$|\d{1,2}[-/.月]\d{1,2}日?\d{1,2}:\d{0,2}$/;

/** The clock `time` (`MM-DD HH:mm:ss`) was read from when its hour is one digit (`0:59:41` for `07:59:41`): the tallest. */
export function oneDigitClock(lines: readonly TextLine[], time: string): TextLine | undefined {
  return tallest(lines, (l) => {
    const m = l.text.match(ONE_DIGIT_HOUR);
    return m !== null && time.endsWith(`:${m[1]}`);
  });
}

/** A clock read again gives `time` a two-digit hour: the same minutes and seconds, an hour of the day. */
export function twoDigitHour(text: string, time: string): boolean {
  const m = text.match(TWO_DIGIT_HOUR);
  return m !== null && Number(m[1]) < 24 && time.endsWith(`:${m[2]}`);
}

/** A clock whose hour is one digit: its minutes and seconds (captured). */
const ONE_DIGIT_HOUR = /(?<![\d:])\d:(\d{2}:\d{2})(?!\d)/;
/** A clock with a two-digit hour: the hour, then its minutes and seconds. */
const TWO_DIGIT_HOUR = /(?<![\d:])(\d{2}):(\d{2}:\d{2})(?!\d)/;

/**
 * A date with a year whose month, day and hour (when a clock follows) differ in digits
 * (`2021-1-27`, `2021年1月09日`, `2022-2-1217:17`, `2022-12-22 6:22`): apps that pad write them
 * all with two digits, so one may have lost a digit (a narrow 1 dropped, two 1s read as one); an
 * unpadded date with a part of two digits (`2021-1-27`, January) is uneven too, and keeps its
 * reading unless a wider one shows the 1 beside it. Its year and those parts as read.
 */
export function unevenDate(text: string): { year: string; parts: string[] } | undefined {
  const m = fixDigits(text).match(DATE_PARTS);
  if (!m) return undefined;
  const parts = m.slice(2).filter((p) => p !== undefined);
  return parts.some((p) => p.length !== parts[0]!.length) ? { year: m[1]!, parts } : undefined;
}

/**
 * `again` reads the uneven date of `text` with a part of one digit made two by a 1 beside it
 * (`1` → `11`, `2` → `12`, `6` → `16`: the narrow 1 is what gets lost): the same year, and every
 * other part the same.
 */
export function evenedDate(text: string, again: string): boolean {
  const first = unevenDate(text);
  const m = fixDigits(again).match(DATE_PARTS);
  if (!first || !m || m[1] !== first.year) return false;
  const parts = m.slice(2, 2 + first.parts.length);
  const grown = (was: string, now = '') => was.length === 1 && (now === `1${was}` || now === `${was}1`);
  return (
    first.parts.some((was, i) => grown(was, parts[i])) &&
    first.parts.every((was, i) => parts[i] === was || grown(was, parts[i]))
  );
}

/** A year, then its month and day and the hour of a clock after them (captured), in any of the ways dates are written. */
const DATE_PARTS =
  /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d{3})(?:\s*日?\s*(?:\(?(?:周|星期).\)?)?\s*(\d{1,2})\s*:\s*\d{2})?/;

/** 已接种 (its 已 perhaps read 己 or 巳) straight before a unit of doses (`已接种针`, `已接种第剂`): its count lost. */
export const lostDoseCount = (text: string): boolean => /[已己巳]接种第?[针剂]/.test(text);

/**
 * A tile's value whose count of doses was lost: one or two characters and no count, beside, under
 * or over the label 已接种 (a display face's `1针` read `计`: a narrow 1 against its unit).
 */
export function lostTileCount(lines: readonly TextLine[]): TextLine | undefined {
  const lost = (l: TextLine | undefined) =>
    l !== undefined && /^[\u3400-\u9fff]{1,2}$/.test(l.text) && !DOSE_ALONE.test(l.text);
  for (const label of lines.filter((l) => DOSE_LABEL.test(l.text))) {
    const value = [rightOf(lines, label), below(lines, label, PART_GAP)].find(lost);
    if (value) return value;
    const over = lines.find((l) => lost(l) && below(lines, l, PART_GAP) === label);
    if (over) return over;
  }
  return undefined;
}

/** A clock whose seconds have one digit, 0–5 (`11:22:0`): its hour and minutes, then that digit (captured). */
const ONE_DIGIT_SECONDS = /(?<![\d:])(\d{1,2}:\d{2}):([0-5])(?![\d:])/;

/** The tallest line holding a clock whose seconds lost a digit (`11:22:0` for `11:22:07`). */
export function oneDigitSeconds(lines: readonly TextLine[]): TextLine | undefined {
  return tallest(lines, (l) => ONE_DIGIT_SECONDS.test(fixDigits(l.text)));
}

/** `again` reads the clock of `text` with two-digit seconds, the first the digit first read, its hour and minutes the same. */
export function grownSeconds(text: string, again: string): boolean {
  const m = fixDigits(text).match(ONE_DIGIT_SECONDS);
  const n = fixDigits(again).match(/(?<![\d:])(\d{1,2}:\d{2}):([0-5]\d)(?![\d:])/);
  return m !== null && n !== null && n[1] === m[1] && n[2]!.startsWith(m[2]!);
}
