/**
 * The readings the PP-OCR engine makes of one page: every detected line, lines found by their
 * ink, a rectangle or a row's band read as one line, and an ID read around its mask.
 */
import type { TextLine } from '../fields/index.js';
import { isStar } from '../fields/lines.js';
import { idFromParts } from '../fields/person.js';
import { MIN_LINE_SCORE } from '../fields/tuning.js';
import type { Box, Decoded } from '../image.js';
import { SURNAME_CHOICE_PROB, isCommonSurname } from '../surnames.js';
import { isHanChar } from '../text.js';
import { type DetectOptions, type TextBox, detect } from './detect.js';
import type { Quad } from './geometry.js';
import { inkLineCandidates, inkSpan, overlapShare } from './ink-lines.js';
import type { PaddleModels } from './models.js';
import { LABEL_CHOICES, repairWithChoices } from './label-choices.js';
import { forOcr } from './ocr-pixels.js';
import {
  type RecognizeOptions,
  type RecognizedChar,
  type RecognizedLine,
  recognizeLines,
  sampledWidth,
} from './recognize.js';
import { charThenStar } from './lost-star.js';
import { bandGlyphs, findStarRun, headStart } from './star-run.js';
import { mergeFragments, toLine } from './text-lines.js';

export type PageReads = ReturnType<typeof pageReads>;

export function pageReads(models: PaddleModels, detectOptions: DetectOptions, batch: number) {
  /** The page's text boxes (detection only). */
  const detectBoxes = (img: Decoded): Promise<TextBox[]> => detect(models.det, models.ort, forOcr(img), detectOptions);

  /** Detected lines (`detected`: the page's boxes when already found), read. */
  const readLines = async (img: Decoded, detected?: readonly TextBox[]): Promise<TextLine[]> => {
    const rgb = forOcr(img);
    const boxes = detected ?? (await detectBoxes(img));
    const read = await recognizeLines(
      models.rec,
      models.ort,
      rgb,
      boxes.map((b) => b.quad),
      models.dictionary,
      { batch, alternatives: LABEL_CHOICES },
    );
    return mergeFragments(
      boxes
        .map((b, i) => ({
          ...toLine(b.quad, repairWithChoices(read[i]!.chars), read[i]!.score),
          // As the text is normalised: no spaces (between CJK characters they are dropped).
          choices: read[i]!.chars.filter((c) => c.text.trim() !== ''),
        }))
        .filter((line) => line.text !== ''),
    );
  };

  /** Text the detector missed, found by its ink beside the lines read and outside the QR code (inkLineCandidates). */
  const readInkLines = async (img: Decoded, lines: readonly TextLine[], qr?: Box): Promise<TextLine[]> => {
    const rgb = forOcr(img);
    const code = qr ? [{ x0: qr.x, y0: qr.y, x1: qr.x + qr.w, y1: qr.y + qr.h }] : [];
    const { sure, rest } = inkLineCandidates(rgb, lines, MIN_LINE_SCORE, code);
    const quads = [...sure, ...rest].slice(0, MAX_INK_LINES);
    const options = { batch, alternatives: LABEL_CHOICES };
    const read = await recognizeLines(models.rec, models.ort, rgb, quads, models.dictionary, options);
    // A masked ID in a display font reads with a low score; its star run in the pixels vouches for
    // it — a run of glyphs as they stand (a line kept this way is read as text, unchecked).
    const maskedId = (quad: Quad, text: string) =>
      /\d/.test(text) &&
      /\*/.test(text) &&
      findStarRun(rgb, quad[0].x, quad[0].y, quad[2].x, quad[2].y, { cut: false }) !== undefined;
    // A surname whose star the recogniser lost or misread, the star seen in the pixels.
    const lostStar = (quad: Quad, chars: readonly RecognizedChar[]) =>
      surnameAlone(chars) && charThenStar(bandGlyphs(rgb, quad[0].x, quad[0].y, quad[2].x, quad[2].y)?.glyphs ?? []);
    // `last`: a long line's reading or a short line's padded one — a surname read as none is
    // taken from its choices only then (a short line not kept as first read is read again padded,
    // which gives the better choices; one kept as first read keeps its surname as read).
    const candidate = (quad: Quad, i: number, { chars, score }: RecognizedLine, last: boolean) => {
      const starred = lostStar(quad, chars);
      const named = inkMaskedName(chars, last);
      // A star seen in the pixels counts as read surely: the line is its surname and that star.
      // A masked name is written with its surname (inkMaskedName).
      const line = starred
        ? toLine(quad, `${chars[0]!.text}*`, (chars[0]!.prob + 1) / 2)
        : named
          ? toLine(quad, named + repairWithChoices(chars.slice(1)), score)
          : toLine(quad, repairWithChoices(chars), score);
      return { quad, first: i < sure.length, line, chars, starred, named };
    };
    const keeps = ({ quad, line, starred, named }: ReturnType<typeof candidate>) =>
      (line.score >= INK_LINE_SCORE && /[\u3400-\u9fff\d]/.test(line.text)) ||
      maskedId(quad, line.text) ||
      named !== undefined ||
      starred;
    const found = quads.map((quad, i) => candidate(quad, i, read[i]!, sampledWidth(quad) >= PADDED_WIDTH));
    const keep = found.map(keeps);
    // A short candidate not kept, read again padded to PADDED_WIDTH as PaddleOCR pads every line:
    // read alone at its own width, a bold two-glyph name can come out as another character.
    const short = found.map((_c, i) => i).filter((i) => !keep[i] && sampledWidth(quads[i]!) < PADDED_WIDTH);
    const padded = await recognizeLines(
      models.rec,
      models.ort,
      rgb,
      short.map((i) => quads[i]!),
      models.dictionary,
      { ...options, minWidth: PADDED_WIDTH },
    );
    short.forEach((i, n) => {
      found[i] = candidate(quads[i]!, i, padded[n]!, true);
      keep[i] = keeps(found[i]);
    });
    const kept = found.filter((_c, i) => keep[i]);
    // Of two overlapping candidates kept from the two covers, the better reading (the first cover's on a tie).
    const beaten = (c: (typeof found)[number]) =>
      kept.some(
        (o) =>
          o.first !== c.first &&
          overlapShare(o.quad, c.quad) > 0 &&
          (o.line.score > c.line.score || (o.line.score === c.line.score && o.first)),
      );
    return kept.filter((c) => !beaten(c)).map(({ line }) => line);
  };

  /**
   * One band of the page, from `left` line heights before `line` to `x1`, read as a single text
   * line (`padded`: padded to PADDED_WIDTH first, as PaddleOCR pads every line).
   */
  const readBand = (
    img: Decoded,
    line: TextLine,
    x1: number,
    left = 0.25,
    padded = false,
  ): Promise<TextLine | undefined> => {
    const pad = 0.25 * line.h;
    return readRect(img, line.x0 - left * line.h, line.y0 - pad, x1, line.y1 + pad, 0.3 * line.h, 1, undefined, padded);
  };

  /**
   * Boxes of one row read again as a single line: their bounds with 0.3 of a line height `h`
   * either side and 0.2 above and below (`stretch`: sampled that many times wider).
   */
  const readSpan = (img: Decoded, parts: readonly TextLine[], h: number, stretch = 1): Promise<TextLine | undefined> =>
    readRect(
      img,
      Math.min(...parts.map((l) => l.x0)) - 0.3 * h,
      Math.min(...parts.map((l) => l.y0)) - 0.2 * h,
      Math.max(...parts.map((l) => l.x1)) + 0.3 * h,
      Math.max(...parts.map((l) => l.y1)) + 0.2 * h,
      0.3 * h,
      stretch,
    );

  /** A rectangle of the page as a line's quad, its sides trimmed to its ink (`margin` left around it). */
  const inkQuad = (img: Decoded, left: number, top: number, right: number, bottom: number, margin: number) => {
    const y0 = Math.max(0, top);
    const y1 = Math.min(img.height, bottom);
    let x0 = Math.max(0, left);
    let x1 = Math.min(img.width, right);
    // Blank paper past the text makes the recogniser drop the characters before it: trim to the ink.
    const ink = inkSpan(forOcr(img), x0, y0, x1, y1);
    if (!ink) return undefined;
    x0 = Math.max(x0, ink.x0 - margin);
    x1 = Math.min(x1, ink.x1 + margin);
    if (x1 <= x0 || y1 <= y0) return undefined;
    const quad: Quad = [
      { x: x0, y: y0 },
      { x: x1, y: y0 },
      { x: x1, y: y1 },
      { x: x0, y: y1 },
    ];
    return quad;
  };

  /** A rectangle of the page read as one text line, its sides first trimmed to its ink (`margin` left around it). */
  const readRect = async (
    img: Decoded,
    left: number,
    top: number,
    right: number,
    bottom: number,
    margin: number,
    stretch = 1,
    only?: ReadonlySet<number>,
    padded = false,
  ): Promise<TextLine | undefined> => {
    const quad = inkQuad(img, left, top, right, bottom, margin);
    // Padding a crop as wide as the padding already is would read it the same again.
    if (!quad || (padded && sampledWidth(quad) >= PADDED_WIDTH)) return undefined;
    const [read] = await recognizeLines(models.rec, models.ort, forOcr(img), [quad], models.dictionary, {
      batch: 1,
      stretch,
      ...(padded ? { minWidth: PADDED_WIDTH } : {}),
      ...(only ? { only } : {}),
    });
    return read?.text ? toLine(quad, read.text, read.score) : undefined;
  };

  /** A line's ink, a quarter of its height around it, read alone with `options` (its characters' choices, its classes). */
  const readAgain = async (
    img: Decoded,
    line: TextLine,
    options: Pick<RecognizeOptions, 'alternatives' | 'only'>,
  ): Promise<RecognizedLine | undefined> => {
    const pad = 0.25 * line.h;
    const quad = inkQuad(img, line.x0 - pad, line.y0 - pad, line.x1 + pad, line.y1 + pad, 0.3 * line.h);
    if (!quad) return undefined;
    const [read] = await recognizeLines(models.rec, models.ort, forOcr(img), [quad], models.dictionary, {
      batch: 1,
      ...options,
    });
    return read;
  };

  /** A line's band read with the recogniser's `n` likeliest characters kept for each character read. */
  const readChoices = (img: Decoded, line: TextLine, n: number) => readAgain(img, line, { alternatives: n });

  const classSets = new Map<string, ReadonlySet<number>>();
  /** The recogniser's classes of `chars`. */
  const classesOf = (chars: string) => {
    let only = classSets.get(chars);
    if (!only) {
      const wanted = new Set(chars);
      only = new Set(models.dictionary.flatMap((c, i) => (wanted.has(c) ? [i] : [])));
      classSets.set(chars, only);
    }
    return only;
  };
  /** A line's band read as `chars` alone: each step's likeliest of them or the blank (a display face's number read as a character). */
  const readAs = (img: Decoded, line: TextLine, chars: string) => readAgain(img, line, { only: classesOf(chars) });

  /**
   * An ID row read around its mask: the run of stars found in the pixels from the row's start to
   * `x1`, then the digits before it and after it read on their own.
   */
  const readIdAroundMask = async (img: Decoded, line: TextLine, x1: number): Promise<string> => {
    const pad = 0.25 * line.h;
    const run = findStarRun(forOcr(img), line.x0 - 0.25 * line.h, line.y0 - pad, x1, line.y1 + pad);
    if (!run) return '';
    // Each side keeps the mask glyph next to it: the recogniser reads a digit at the very edge of
    // a crop poorly, and a star there is dropped by idFromParts.
    const readHead = (stretch: number) =>
      readRect(
        img,
        headStart(run, line.x0) - 0.25 * line.h,
        line.y0 - pad,
        run.firstEnd,
        line.y1 + pad,
        0.3 * line.h,
        stretch,
      );
    const readTail = (stretch: number, only?: ReadonlySet<number>) =>
      readRect(
        img,
        run.lastStart,
        line.y0 - pad,
        run.inkEnd + 0.6 * run.glyphH,
        line.y1 + pad,
        0.3 * line.h,
        stretch,
        only,
      );
    const fromParts = (head?: TextLine, tail?: TextLine) =>
      head && tail ? idFromParts(head.text, tail.text, run.count, run.slack) : '';
    const head = await readHead(ID_STRETCH);
    const tail = head && (await readTail(ID_STRETCH));
    if (!head || !tail) return '';
    const id = fromParts(head, tail);
    if (id) return id;
    // No ID: the tail read as digits, X and stars alone (a display face's 0 is no 口, its 4 no
    // y). Only now: an icon close after the digits (an eye toggle) would be read as a digit too.
    const digits = await readTail(ID_STRETCH, classesOf(ID_TAIL_CHARS));
    const fromDigits = fromParts(head, digits);
    if (fromDigits) return fromDigits;
    // Read again sampled wider still (a condensed face's 11 still one digit, its 7 lost beside a
    // star), each side tried with the other's reading too.
    const head2 = await readHead(ID_STRETCH_AGAIN);
    const digits2 = await readTail(ID_STRETCH_AGAIN, classesOf(ID_TAIL_CHARS));
    return fromParts(head2, digits) || fromParts(head, digits2) || fromParts(head2, digits2);
  };

  return { detectBoxes, readLines, readInkLines, readBand, readSpan, readChoices, readAs, readIdAroundMask };
}

/**
 * The digits beside an ID's mask are sampled this many times wider than their shape: a reading
 * at their own aspect merges repeated digits (11 → 1) and drops a digit at the crop's edge
 * (48 development screenshots, this read as a fallback: IDs 43 with 2, 42 with 1).
 */
const ID_STRETCH = 2;
/** An ID whose sides read at ID_STRETCH make no 18 characters is read again this many times wider. */
const ID_STRETCH_AGAIN = 3;

/** What the crop from an ID's last mask glyph to its end holds: a star and digits, the last perhaps an X. */
const ID_TAIL_CHARS = '0123456789X*';

/**
 * An ink-found line that reads as a masked name (`龚*`, `曹*①`): a surname and one to three
 * stars read together with probability at least INK_NAME_PROB (the product of theirs), at most
 * two given-name characters each read with at least INK_GIVEN_PROB, then perhaps an icon. A
 * display face's bold surname reads with a low score; a star after it and the surname's being a
 * common one vouch for it. Its surname (what the line is then written with): the character read
 * when that is a common surname, else the likeliest common surname among its choices with at
 * least SURNAME_CHOICE_PROB (a bold 罗 read 凯 or 雪 with 罗 at 0.05–0.20, 夏 read 要 with 夏 at
 * 0.20–0.39), as the surname re-check takes one (surname.ts) — `fromChoices` false: only as
 * read; undefined when it is no masked name.
 */
export function inkMaskedName(chars: readonly RecognizedChar[], fromChoices = true): string | undefined {
  const [surname, ...rest] = chars;
  const text = surname && inkSurname(surname, fromChoices);
  if (!text) return undefined;
  const starCount = leadingRun(rest, (c) => isStar(c.text));
  if (starCount < 1 || starCount > 3) return undefined;
  const together = rest.slice(0, starCount).reduce((p, c) => p * c.prob, surname.prob);
  if (together < INK_NAME_PROB) return undefined;
  const after = rest.slice(starCount);
  const givenCount = leadingRun(after, (c) => isHanChar(c.text));
  if (givenCount > 2 || after.slice(0, givenCount).some((c) => c.prob < INK_GIVEN_PROB)) return undefined;
  // What follows the given name is an icon of one or two glyphs (read as a letter, a digit or a
  // symbol, as fields/person.ts drops them), no text.
  const icon = after.slice(givenCount);
  return icon.length <= 2 && icon.every((c) => !isHanChar(c.text) && !isStar(c.text)) ? text : undefined;
}

/**
 * The common surname a character read is: itself, else (`fromChoices`) its likeliest choice that
 * is one with at least SURNAME_CHOICE_PROB.
 */
function inkSurname(c: RecognizedChar, fromChoices: boolean): string | undefined {
  if (isSurnameChar(c)) return c.text;
  if (!fromChoices || !isHanChar(c.text)) return undefined;
  return c.alts?.find((a) => isSurnameChar(a) && a.prob >= SURNAME_CHOICE_PROB)?.text;
}

/**
 * An ink-found line read as a common surname (with at least INK_NAME_PROB) and at most one more
 * glyph that is no character: a brush face's star read as `#` or `0`, or not read at all. Whether
 * a star follows is for the pixels to say (charThenStar).
 */
export function surnameAlone(chars: readonly RecognizedChar[]): boolean {
  const [surname, ...rest] = chars;
  if (!surname || !isSurnameChar(surname) || surname.prob < INK_NAME_PROB) return false;
  return rest.length === 0 || (rest.length === 1 && !isHanChar(rest[0]!.text));
}

/** One character read as a common single-character surname. */
const isSurnameChar = (c: { text: string }) => isHanChar(c.text) && isCommonSurname(c.text);

/** How many of `chars` from the first on satisfy `test`. */
const leadingRun = (chars: readonly RecognizedChar[], test: (c: RecognizedChar) => boolean) => {
  const end = chars.findIndex((c) => !test(c));
  return end < 0 ? chars.length : end;
};

/**
 * A surname and its stars found by their ink read together at least this likely: on the
 * development pages the right ones had 0.29 and up (龚 0.33 before a star at 1.00, 严 0.77 before
 * one at 0.55), a wrong common surname 0.20 (韩 0.21, its star 0.94).
 */
const INK_NAME_PROB = 0.25;
/** Each given-name character of a masked name found by its ink read at least this surely (better than even odds). */
const INK_GIVEN_PROB = 0.5;

/** Ink-found lines read at most per page (each costs one recognition). */
const MAX_INK_LINES = 24;
/** An ink-found line counts as text only when read this surely (icons and edges read poorly). */
const INK_LINE_SCORE = 0.8;
/** A short ink-found line not kept is read again padded to this width (model pixels; PaddleOCR's 320). */
const PADDED_WIDTH = 320;
