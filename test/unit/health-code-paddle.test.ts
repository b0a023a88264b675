import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ManifestEntry, renderItem } from '../../fixtures/healthcode/render.js';
import { DEV_FACES } from '../../fixtures/healthcode/split.js';
import { styleFor } from '../../fixtures/healthcode/style.js';
import type { ApiError } from '../../src/errors/api-error.js';
import { codeOf } from '../helpers/api-error-code.js';
import { topClassesOf } from '../helpers/top-classes.js';
import { createHealthCodeEngine } from '../../src/engines/health-code/index.js';
import { convexHull, minAreaRect, rectCorners, unclip } from '../../src/engines/health-code/paddle/geometry.js';
import { boxesFromMap, DEFAULT_DETECT, detectSize } from '../../src/engines/health-code/paddle/detect.js';
import { REC_CHOICES, ctcDecode } from '../../src/engines/health-code/paddle/recognize.js';
import { LABEL_CHOICES, repairWithChoices } from '../../src/engines/health-code/paddle/label-choices.js';
import {
  CHOICES as INTERVAL_CHOICES,
  boxNumbers,
  misreadUnits,
  numberlessUnits,
  recheckInterval,
  unitReading,
  wholeDaysReading,
} from '../../src/engines/health-code/paddle/interval.js';
import { CHOICES as SURNAME_CHOICES, recheckSurname } from '../../src/engines/health-code/paddle/surname.js';
import { findStarRun, headStart } from '../../src/engines/health-code/paddle/star-run.js';
import { inkMaskedName, surnameAlone } from '../../src/engines/health-code/paddle/reads.js';
import { inkLineCandidates, inkLines, overlapShare } from '../../src/engines/health-code/paddle/ink-lines.js';
import { turnDecoded, turnable } from '../../src/engines/health-code/paddle/orientation.js';
import { loadPaddleEngine, warmUpImage } from '../../src/engines/health-code/paddle/index.js';
import {
  evenedDate,
  grownSeconds,
  idRows,
  lostDoseCount,
  lostTileCount,
  nameRoomEnd,
  oneDigitClock,
  oneDigitSeconds,
  splitClock,
  tailReach,
  twoDigitHour,
  unevenDate,
  withDigitHeight,
  withHead,
  withLinesFound,
} from '../../src/engines/health-code/paddle/text-lines.js';
import { extractFromLines } from '../../src/engines/health-code/fields/index.js';
import { losesSelfMark, mayReplaceName } from '../../src/engines/health-code/fields/person.js';
import type { TextLine } from '../../src/engines/health-code/fields/index.js';
import type { HealthCodeEngine } from '../../src/engines/health-code/types.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'healthcode');
const manifest: ManifestEntry[] = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));

/** A read line from `x0` to `x1`, its top at `y0`, `h` high. */
const at = (text: string, x0: number, x1: number, y0 = 100, h = 30): TextLine => ({
  text,
  x0,
  x1,
  y0,
  y1: y0 + h,
  h,
  score: 0.99,
});
/** A line read as digits (readAs), each with its probability. */
const digits = (...read: [string, number][]) => ({
  text: read.map(([t]) => t).join(''),
  score: read.reduce((sum, [, p]) => sum + p, 0) / read.length,
  chars: read.map(([text, prob], i) => ({ text, prob, at: (i + 0.5) / read.length })),
});

/** Paints w × h rectangles of grey level `v` into an RGB buffer `width` pixels wide. */
/** A page for the re-checks whose readings the tests supply. */
const img = { width: 10, height: 10, rgb: Buffer.alloc(300), dark: new Uint8Array(100) };

const painter = (data: Uint8Array, width: number, v: number) => (x: number, y: number, w: number, h: number) => {
  for (let yy = y; yy < y + h; yy++) data.fill(v, (yy * width + x) * 3, (yy * width + x + w) * 3);
};

type Pen = ReturnType<typeof painter>;
/** The mask run found in a 400 × 40 light band with dark glyphs drawn by `draw`. */
const bandRun = (draw: (pen: Pen) => void) => {
  const data = new Uint8Array(400 * 40 * 3).fill(250);
  draw(painter(data, 400, 40));
  return findStarRun({ width: 400, height: 40, data }, 0, 0, 400, 40);
};
/** An ID's two head digits at the band's start, 24 high. */
const headDigits = (pen: Pen) => {
  pen(10, 8, 12, 24);
  pen(28, 8, 12, 24);
};
/** A whole ID: two head digits, fourteen stars standing apart, two tail digits ending at 310. */
const wholeId = (pen: Pen) => {
  headDigits(pen);
  for (let i = 0; i < 14; i++) pen(50 + i * 16, 10, 10, 10);
  pen(280, 8, 12, 24);
  pen(298, 8, 12, 24);
};

describe('PP-OCR pieces', () => {
  it('finds an ID mask in pixels: the run of small glyphs between full-height ones, either polarity', () => {
    for (const light of [true, false]) {
      const width = 400;
      const height = 40;
      const data = new Uint8Array(width * height * 3).fill(light ? 250 : 30);
      const box = painter(data, width, light ? 40 : 240);
      box(10, 8, 12, 24); // two digits
      box(28, 8, 12, 24);
      for (let i = 0; i < 14; i++) box(50 + i * 16, 10, 10, 10); // fourteen stars
      box(280, 8, 12, 24);
      box(298, 8, 12, 24);
      const run = findStarRun({ width, height, data }, 0, 0, width, height);
      expect(run).toMatchObject({ x0: 50, x1: 50 + 13 * 16 + 10, count: 14, glyphH: 24, inkEnd: 310, inkStart: 10 });
    }
    // A label set apart before the head digits is no part of the head.
    const labelled = new Uint8Array(600 * 40 * 3).fill(250);
    const ink = painter(labelled, 600, 40);
    ink(10, 8, 24, 24); // a label's two characters
    ink(40, 8, 24, 24);
    ink(210, 8, 12, 24); // two digits, far right of it
    ink(228, 8, 12, 24);
    for (let i = 0; i < 14; i++) ink(250 + i * 16, 10, 10, 10);
    ink(480, 8, 12, 24);
    ink(498, 8, 12, 24);
    const run = findStarRun({ width: 600, height: 40, data: labelled }, 0, 0, 600, 40);
    expect(run).toMatchObject({ count: 14, inkStart: 210, inkEnd: 510 });
    // The head's crop starts a little before its ink, never before the row's box.
    expect(headStart(run!, 10)).toBeCloseTo(210 - 0.6 * 24);
    expect(headStart(run!, 205)).toBe(205);
    // The ends of the row above's glyphs along the band's top edge, over two of the stars: still one run of 14.
    const data = new Uint8Array(400 * 40 * 3).fill(250);
    const box = painter(data, 400, 40);
    box(10, 8, 12, 24);
    box(28, 8, 12, 24);
    for (let i = 0; i < 14; i++) box(50 + i * 16, 10, 10, 10);
    box(280, 8, 12, 24);
    box(298, 8, 12, 24);
    box(83, 0, 6, 3);
    box(180, 0, 8, 2);
    expect(findStarRun({ width: 400, height: 40, data }, 0, 0, 400, 40)).toMatchObject({ count: 14, slack: 0 });
    // An icon further on the row (past a gap wider than the mask's) is no part of the ID's tail.
    box(370, 8, 20, 24);
    expect(findStarRun({ width: 400, height: 40, data }, 0, 0, 400, 40)).toMatchObject({ count: 14, inkEnd: 310 });
    // Tail digits touching each other (`07` one glyph): 3 full-height glyphs of 17, still the band's
    // full height.
    const merged = bandRun((pen) => {
      headDigits(pen);
      for (let i = 0; i < 14; i++) pen(50 + i * 16, 10, 10, 10);
      pen(280, 8, 26, 24);
    });
    expect(merged).toMatchObject({ count: 14, glyphH: 24 });
    // A short band (ten glyphs) with an icon taller than its digits: the full height is still the
    // digits' (the second tallest), so the digits are no mask glyphs.
    const iconed = bandRun((pen) => {
      headDigits(pen);
      for (let i = 0; i < 5; i++) pen(50 + i * 16, 10, 10, 10);
      pen(140, 8, 12, 24);
      pen(158, 8, 12, 24);
      pen(200, 2, 30, 36);
    });
    expect(iconed).toMatchObject({ count: 5, glyphH: 24 });
    // Blurred at a small scale, stars grow to 0.64 of the digits' height: still a mask.
    const small = new Uint8Array(200 * 24 * 3).fill(250);
    const dot = painter(small, 200, 40);
    dot(6, 5, 7, 14);
    dot(15, 5, 5, 14);
    for (let i = 0; i < 14; i++) dot(22 + i * 8, 7, 7, 9);
    dot(136, 5, 7, 14);
    dot(146, 5, 7, 14);
    expect(findStarRun({ width: 200, height: 24, data: small }, 0, 0, 200, 24)).toMatchObject({ count: 14 });
    // Every star touching the next (a serif face at a small scale): one wide glyph, counted by the
    // pitch its ink repeats at; the count an estimate.
    const pitched = bandRun((pen) => {
      headDigits(pen);
      pen(46, 15, 14 * 13, 2); // the arms joining them
      for (let i = 0; i < 14; i++) pen(46 + i * 13, 10, 7, 12);
      pen(240, 8, 12, 24);
      pen(258, 8, 12, 24);
    });
    expect(pitched).toMatchObject({ count: 14, slack: 1, inkStart: 10, inkEnd: 270 });
    // Eleven stars 4 wide and `high` high, `pitch` apart, joined by an arm 2 high at `armY`,
    // between two head and two tail digits.
    const elevenTouching = (pitch: number, high: number, armY: number) =>
      bandRun((pen) => {
        headDigits(pen);
        const end = 46 + Math.round(10 * pitch) + 4;
        pen(46, armY, end - 46, 2);
        for (let i = 0; i < 11; i++) pen(46 + Math.round(i * pitch), 20 - high, 4, high);
        pen(end + 10, 8, 12, 24);
        pen(end + 28, 8, 12, 24);
      });
    // Touching stars a pitch between whole pixels apart (5.5: a brush face at a small scale):
    // their ink repeats best at twice the pitch, whole; the count is still the stars'.
    expect(elevenTouching(5.5, 7, 16)).toMatchObject({ count: 11, slack: 1 });
    // The same when the autocorrelation is already below zero at the first lag looked at, so the
    // stars' own peak comes before any later dip (6.5 apart, 9 high: -0.62 at 4, 0.69 at 7).
    expect(elevenTouching(6.5, 9, 15)).toMatchObject({ count: 11, slack: 1 });
    // Digits and stars that all touch (a bold face, a blurred photo): one glyph, cut where its
    // columns' ink turns from a digit's height to a star's; a card's accent bar crossing the band
    // from edge to edge is no glyph of the row (taken for the row's height, every digit would be
    // a star).
    const touching = (bar: boolean) =>
      bandRun((pen) => {
        if (bar) pen(250, 0, 8, 40);
        pen(20, 8, 12, 24);
        pen(32, 8, 12, 24);
        pen(44, 16, 140, 2); // the arms joining the stars to each other and to the digits
        for (let i = 0; i < 14; i++) pen(44 + i * 10, 12, 8, 10);
        pen(184, 8, 12, 24);
        pen(196, 8, 12, 24);
      });
    for (const bar of [false, true]) {
      expect(touching(bar)).toMatchObject({
        x0: 44,
        x1: 184,
        count: 14,
        slack: 1,
        glyphH: 24,
        inkStart: 20,
        inkEnd: 208,
      });
    }
    // Three glyphs, none touching another (the head's digits one, every star touching the next,
    // the tail's digits one): fewer than a mask's stars, still a run.
    const three = bandRun((pen) => {
      pen(10, 8, 24, 24);
      pen(46, 15, 14 * 13, 2);
      for (let i = 0; i < 14; i++) pen(46 + i * 13, 10, 7, 12);
      pen(240, 8, 24, 24);
    });
    expect(three).toMatchObject({ count: 14, slack: 1, inkStart: 10, inkEnd: 264 });
    // Nor is such a bar just after the tail part of it (it would be read as a 1).
    const barred = bandRun((pen) => {
      wholeId(pen);
      pen(320, 0, 6, 40);
    });
    expect(barred).toMatchObject({ count: 14, glyphH: 24, inkEnd: 310 });
    // Digits clipped by a band as tall as the stars cross it too, but are no solid bar: still the
    // band's full height.
    const clipped = new Uint8Array(400 * 20 * 3).fill(250);
    const clip = painter(clipped, 400, 40);
    for (const x of [10, 28, 280, 298]) {
      clip(x, 0, 12, 3);
      clip(x, 0, 3, 20);
      clip(x + 9, 0, 3, 20);
      clip(x, 17, 12, 3);
    }
    for (let i = 0; i < 14; i++) clip(50 + i * 16, 3, 10, 13);
    expect(findStarRun({ width: 400, height: 20, data: clipped }, 0, 0, 400, 20)).toMatchObject({ count: 14 });
    // A digit's bar or a 7's top (mask-high columns, narrower than half a digit's height) stays the digit's.
    const seven = bandRun((pen) => {
      pen(20, 8, 12, 24);
      pen(32, 8, 12, 24);
      pen(44, 8, 8, 5); // a 7's top, touching its stem
      pen(52, 8, 3, 24);
      pen(55, 16, 140, 2);
      for (let i = 0; i < 14; i++) pen(55 + i * 10, 12, 8, 10);
      pen(195, 8, 12, 24);
      pen(207, 8, 12, 24);
    });
    expect(seven).toMatchObject({ x0: 55, count: 14, inkStart: 20 });
    // A wide short glyph whose ink does not repeat (a pill, a smudge thickest in its middle) is
    // no run of stars.
    const pill = bandRun((pen) => {
      headDigits(pen);
      for (let x = 46; x < 228; x++) pen(x, 10, 1, 3 + Math.round(9 * (1 - Math.abs(x - 137) / 91)));
      pen(240, 8, 12, 24);
      pen(258, 8, 12, 24);
    });
    expect(pill).toBeUndefined();
    // A blurred photo: a grey haze between the glyphs joins stars and digits into one glyph at
    // half-way to the paper; nearer the ink they stand apart.
    const hazy = new Uint8Array(400 * 40 * 3).fill(250);
    painter(hazy, 400, 120)(10, 12, 300, 8);
    const core = painter(hazy, 400, 20);
    headDigits(core);
    for (let i = 0; i < 14; i++) core(50 + i * 16, 10, 10, 10);
    core(280, 8, 12, 24);
    core(298, 8, 12, 24);
    expect(findStarRun({ width: 400, height: 40, data: hazy }, 0, 0, 400, 40)).toMatchObject({ count: 14, glyphH: 24 });
    const flat = new Uint8Array(400 * 40 * 3).fill(200);
    expect(findStarRun({ width: 400, height: 40, data: flat }, 0, 0, 400, 40)).toBeUndefined();
  });

  it('takes head and tail digits read as two boxes on one row, a mask apart, for an ID row', () => {
    const head = at('51', 700, 735);
    const rows = idRows([at('核酸检测', 80, 300, 20), head, at('59', 1030, 1065), at('12', 700, 735, 300)]);
    expect(rows).toEqual([head]);
    // Too close (one word's spacing) or too far (another column), or not digits: no ID row.
    expect(idRows([at('51', 700, 735), at('59', 760, 795)])).toEqual([]);
    // A photo's small stars read as dots between the digits: a masked row; a date's dots are not.
    const dotted = at('5...............92', 328, 489);
    expect(idRows([dotted, at('2022.01.15', 100, 250)])).toEqual([dotted]);
    expect(idRows([at('5.....92', 328, 489)])).toEqual([]);
    // A small page's blurred run read as a couple of dots, two head digits before it and the tail
    // after it: looked at in the pixels; a clock's dots after it are not.
    const merged = at('4419..1X', 21, 141);
    expect(idRows([merged, at('12:47..', 9, 63), at('12:47..55', 100, 163, 300)])).toEqual([merged]);
    // Head digits alone, last on a masked name's row (its mask and tail left out of every box).
    const lone = at('51', 257, 275, 236, 20);
    expect(idRows([at('吴*博', 32, 87, 233, 26), lone])).toEqual([lone]);
    expect(idRows([at('吴博', 32, 87, 233, 26), lone])).toEqual([]);
    expect(idRows([at('吴*博', 32, 87, 233, 26), lone, at('小时', 300, 330, 236, 20)])).toEqual([]);
    expect(idRows([at('51', 100, 135), at('59', 1030, 1065)])).toEqual([]);
    expect(idRows([at('51', 700, 735), at('小时', 1030, 1065)])).toEqual([]);
    // Superscript stars boxed apart between them, the head cut to one digit: the row reaches
    // over the stars to the tail's end. Without stars between, one digit is no head.
    const one = at('4', 647, 676, 599, 17);
    const [row] = idRows([one, at('*****', 773, 874, 591, 13), at('87', 949, 983, 596, 23)]);
    expect(row).toMatchObject({ text: '4', x0: 647, x1: 983, y0: 591, y1: 619, h: 23 });
    expect(idRows([one, at('87', 949, 983, 596, 23)])).toEqual([]);
    expect(idRows([one, at('*****', 773, 874, 591, 13), at('小时', 949, 983, 596, 23)])).toEqual([]);
    // A box of stars only (its digits read as stars): an ID row after labelled and starred numbers.
    const stars = at('**************', 446, 700);
    const starred = at('42****1', 80, 300, 200);
    expect(idRows([stars, starred])).toEqual([starred, stars]);
    expect(idRows([at('*****', 446, 700)])).toEqual([]);
    // A digit beside the mask misread as a mark (`44$***`, `***A`): still an ID row; a name's star is none.
    const marked = at('44$**************"', 80, 500);
    const lettered = at('**************A', 80, 500, 300);
    expect(idRows([marked, lettered, at('王*一', 80, 200, 400), at('$*', 80, 200, 500)])).toEqual([marked, lettered]);
    // Head digits misread as one CJK character before a whole mask (a brush face's `61` as 勇):
    // an ID row, widened to where its head lies; a name's few stars after a character are none.
    const hanHead = at('勇**************', 300, 700, 800);
    expect(
      idRows([
        hanHead,
        at('王*******', 80, 300, 900),
        at('身份**********', 80, 400, 1000),
        at('王**一', 80, 200, 1100),
      ]),
    ).toEqual([hanHead]);
    expect(withHead([hanHead], hanHead)).toMatchObject({ x0: 180, x1: 700 });
    // A masked phone number, labelled in its box or in the box before it, is no ID row.
    const phone = at('138****5678', 80, 300, 600);
    expect(idRows([at('手机号', 10, 70, 600), phone, at('手机 139****1234', 80, 400, 700)])).toEqual([]);
    expect(idRows([phone])).toEqual([phone]);
  });

  it('lengthens a surname-and-star name only by a character read after it', () => {
    expect(mayReplaceName('王*', '王*一')).toBe(true);
    expect(mayReplaceName('王*', '王**一')).toBe(true);
    // One more star (a mark in a photo), another surname, nothing more: the first reading stands.
    expect(mayReplaceName('陶*', '陶**')).toBe(false);
    expect(mayReplaceName('陶*', '淘*一')).toBe(false);
    expect(mayReplaceName('陶*', '陶*')).toBe(false);
    // A name without its surname, or none, is replaced by any reading.
    expect(mayReplaceName('', '陶*')).toBe(true);
    expect(mayReplaceName('*一', '王*一')).toBe(true);
  });

  it('keeps a member tab as first read when its reading with room lost the 本人 mark', () => {
    expect(losesSelfMark('黄杰(本人)', '黄杰(本')).toBe(true);
    expect(losesSelfMark('黄杰(本人)', '黄杰(家人)')).toBe(true);
    expect(losesSelfMark('黄杰(本人)', '黄杰(南人)')).toBe(false);
    expect(losesSelfMark('黄杰(本人)', '黄*杰(本人)')).toBe(false);
    expect(losesSelfMark('黄杰', '黄*杰')).toBe(false);
  });

  it('reads a name again with room after it, never into a word read on its own beside it', () => {
    const name = at('田*', 240, 330, 250, 60);
    // 1.2 heights past the box, but only up to a badge or button read on its own (本人, 切换).
    expect(nameRoomEnd([name], name)).toBe(402);
    expect(nameRoomEnd([name, at('本人', 365, 440, 262, 40)], name)).toBe(365);
    // A lone character there may be the name's own (a thin 一 clipped off); a line on another row is none of it.
    expect(nameRoomEnd([name, at('一', 350, 380, 255, 50)], name)).toBe(402);
    expect(nameRoomEnd([name, at('本人', 365, 440, 400, 40)], name)).toBe(402);
    // A badge whose box touches the name's stops it at the name's end; a box with a star may be the name's own.
    expect(nameRoomEnd([name, at('本人', 325, 400, 262, 40)], name)).toBe(330);
    expect(nameRoomEnd([name, at('*一', 340, 380, 255, 50)], name)).toBe(402);
  });

  it('widens an ID box that lost its head or tail digits, never into the next box', () => {
    // Stars first: to the digit box just before it, else four heights left.
    const headless = at('**************59', 300, 700);
    expect(withHead([at('51', 240, 290), headless], headless)).toMatchObject({ x0: 240, x1: 700 });
    expect(withHead([headless], headless)).toMatchObject({ x0: 180 });
    // Stars only, a second look: the digits around it, taller than the stars, reach above and below it too.
    const stars = at('**************', 300, 700, 100, 20);
    expect(withDigitHeight(stars)).toMatchObject({ x0: 300, y0: 94, y1: 136, h: 32 });
    expect(withDigitHeight(headless)).toBeUndefined();
    expect(withHead([at('51**01', 100, 300)], at('51**01', 100, 300)).x0).toBe(100);
    // One head digit before the stars: its first digit was left out of the box.
    const oneDigit = at('2**************49', 300, 700);
    expect(withHead([at('证件号:', 100, 260), oneDigit], oneDigit)).toMatchObject({ x0: 260, x1: 700 });
    // Not a head whose second digit reads as a star.
    expect(
      withHead([at('熊*宁', 100, 260), at('5*1***********60*', 300, 700)], at('5*1***********60*', 300, 700)).x0,
    ).toBe(300);
    // Stars last (or a mark after them), or an ID label with its head digits or nothing after it:
    // on to the page's text edge, only with nothing after it on the row; an X is an ID's last
    // character.
    const tailless = at('51************A', 100, 400);
    expect(tailReach([tailless], tailless, 680)).toBe(680);
    expect(tailReach([tailless, at('复制', 450, 520)], tailless, 680)).toBe(0);
    expect(tailReach([at('51**************1X', 100, 400)], at('51**************1X', 100, 400), 680)).toBe(0);
    expect(tailReach([at('51**************0*X', 100, 400)], at('51**************0*X', 100, 400), 680)).toBe(0);
    for (const text of ['证件号:53', '证件号码', '身份证号 4101'])
      expect(tailReach([at(text, 100, 300)], at(text, 100, 300), 680)).toBe(680);
    expect(tailReach([at('证件号:53', 100, 300), at('41**', 400, 500)], at('证件号:53', 100, 300), 680)).toBe(0);
    expect(tailReach([at('证件号:5301234', 100, 300)], at('证件号:5301234', 100, 300), 680)).toBe(0);
    // A label must start the box: a value that ends in a label word is none.
    expect(tailReach([at('证件类型:居民身份证', 100, 300)], at('证件类型:居民身份证', 100, 300), 680)).toBe(0);
  });

  it('joins a line the ink pass found to the piece of it the detector read (a big bold clock), leaving the lines given as they are', () => {
    const piece = at('11', 177, 242, 306, 29);
    const page = [at('北京健康宝', 280, 470, 68, 37), at('王*平', 54, 160, 174, 52), piece];
    const found = at('-14 11:58:28', 238, 559, 289, 62);
    expect(extractFromLines(page).Time).toBe('');
    const joined = withLinesFound(page, [found]);
    expect(joined.map((l) => l.text)).toContain('11-14 11:58:28');
    expect(extractFromLines(joined).Time).toBe('11-14 11:58:28');
    expect(piece.text).toBe('11');
    // A line found apart from every line read stays a line of its own.
    expect(withLinesFound(page, [at('24小时', 380, 470, 832, 33)])).toHaveLength(4);
  });

  it('finds the clock a time came from when its hour is one digit, and takes a two-digit hour read again', () => {
    const big = at('0:59:41', 200, 400, 380, 60);
    const bar = at('7:59', 20, 80, 5, 20);
    const other = at('2022-08-03 5:53:12', 100, 400, 600);
    expect(oneDigitClock([bar, other, big], '08-03 00:59:41')).toBe(big);
    expect(oneDigitClock([at('07:59:41', 200, 400)], '08-03 07:59:41')).toBeUndefined();
    expect(twoDigitHour('07:59:41', '08-03 00:59:41')).toBe(true);
    // Other minutes or seconds, an hour past the day's, or one digit again: not taken.
    expect(twoDigitHour('07:59:47', '08-03 00:59:41')).toBe(false);
    expect(twoDigitHour('77:59:41', '08-03 00:59:41')).toBe(false);
    expect(twoDigitHour('7:59:41', '08-03 00:59:41')).toBe(false);
  });

  it('finds a date-time split into boxes: a clock with the date before it, or a cut clock with what follows', () => {
    const date = at('2022年1', 100, 200);
    const clock = at('09:43:37', 230, 330);
    expect(splitClock([date, clock, at('核酸', 100, 160, 300)])).toEqual({ anchor: clock, row: [date] });
    const cut = at('10-20 19:', 100, 250);
    const rest = at('L4:14', 255, 330);
    expect(splitClock([cut, rest, at('阴性', 600, 660)])).toEqual({ anchor: cut, row: [rest] });
    expect(splitClock([at('10-20 19:14:14', 100, 330)])).toBeUndefined();
    // A whole date followed by a box is no clock cut short.
    expect(splitClock([at('2022-10-20', 100, 250), at('阴性', 255, 330)])).toBeUndefined();
    // A year and month whose day the detector lost: the pieces after it, up to a gap of four heights.
    const month = at('2022年09月', 300, 556, 390, 40);
    const day = at('5', 706, 742, 400, 12);
    const secs = at('0:05', 783, 864, 396, 25);
    const far = at('阴性', 1100, 1160, 390, 40);
    expect(splitClock([far, secs, month, day])).toEqual({ anchor: month, row: [day, secs] });
    // None boxed after it (or a day's first digit read with it): its row read on eight of its heights.
    expect(splitClock([month])).toEqual({ anchor: month, row: [], reach: 556 + 8 * 40 });
    const digit = at('2022-09-1', 300, 520, 390, 40);
    expect(splitClock([digit, far])).toEqual({ anchor: digit, row: [], reach: 520 + 8 * 40 });
    // Another line on that stretch of its row: no date-time's row.
    expect(splitClock([month, at('阴性', 800, 860, 390, 40)])).toBeUndefined();
    // A piece before it on its row is no part of it; a number that is no year and month is no date.
    expect(splitClock([at('刷新', 200, 280, 390, 40), month, day])).toEqual({ anchor: month, row: [day] });
    expect(splitClock([at('0755-8', 300, 420, 390, 40), day])).toBeUndefined();
    expect(splitClock([at('2022-19', 300, 420, 390, 40), day])).toBeUndefined();
    expect(splitClock([at('2022年09月13日', 300, 600, 390, 40), day])).toBeUndefined();
  });

  it('tells a date that may have lost a digit, and a second reading that gives it back', () => {
    expect(unevenDate('2021-1-27')).toEqual({ year: '2021', parts: ['1', '27'] });
    expect(unevenDate('接种日期:2021年1月09日')).toEqual({ year: '2021', parts: ['1', '09'] });
    expect(unevenDate('2022-2-1217:17')).toEqual({ year: '2022', parts: ['2', '12', '17'] });
    expect(unevenDate('2022-12-22 6:22:03')).toEqual({ year: '2022', parts: ['12', '22', '6'] });
    // Written all with two digits, or all as they are: nothing lost.
    expect(unevenDate('2022-12-22 16:22')).toBeUndefined();
    expect(unevenDate('2022-1-2 6:02')).toBeUndefined();
    expect(unevenDate('检测时间2022/07/0604:51')).toBeUndefined();
    expect(unevenDate('01-8 17:05:05')).toBeUndefined();
    // The lost digit back, everything else as first read.
    expect(evenedDate('2021-1-27', '2021-11-27')).toBe(true);
    expect(evenedDate('2022-12-22 6:22:03', '2022-12-22 16:22:03')).toBe(true);
    expect(evenedDate('2022-2-22 6:22:03', '2022-12-22 6:22:03')).toBe(true);
    expect(evenedDate('2021-1-27', '2021-1-27')).toBe(false);
    expect(evenedDate('2021-1-27', '2021-11-21')).toBe(false);
    expect(evenedDate('2021-1-27', '2022-11-27')).toBe(false);
    expect(evenedDate('2021-1-27', '2021-23-27')).toBe(false);
    // Only a 1 is taken for the digit lost: 1 → 31 or 2 → 29 is another misreading.
    expect(evenedDate('2021-1-27', '2021-31-27')).toBe(false);
    expect(evenedDate('2022-12-2', '2022-12-29')).toBe(false);
    expect(evenedDate('2022-12-2', '2022-12-21')).toBe(true);
    expect(evenedDate('2021-07-08', '2021-07-08')).toBe(false);
  });

  it('finds a clock whose seconds lost a digit, and a second reading that gives it back', () => {
    const cut = at('11:22:0', 279, 442, 511, 50);
    expect(
      oneDigitSeconds([at('2022-02-10', 291, 430, 469), at('9:15:3', 22, 90, 12, 26), cut, at('11:22', 22, 70, 12)]),
    ).toBe(cut);
    // Seconds of one digit 6–9 can have no second digit.
    expect(oneDigitSeconds([at('11:22:7', 279, 442)])).toBeUndefined();
    expect(oneDigitSeconds([at('11:22:07', 279, 442)])).toBeUndefined();
    expect(oneDigitSeconds([at('11:22', 279, 442)])).toBeUndefined();
    expect(grownSeconds('11:22:0', '11:22:07')).toBe(true);
    expect(grownSeconds('11:22:0', '11:22:00')).toBe(true);
    expect(grownSeconds('11:22:0', '11:22:17')).toBe(false);
    expect(grownSeconds('11:22:0', '11:27:07')).toBe(false);
    expect(grownSeconds('11:22:0', '11:22:0')).toBe(false);
    expect(grownSeconds('11:22:6', '11:22:67')).toBe(false);
  });

  it('tells a count of doses lost before its unit', () => {
    expect(lostDoseCount('已接种针')).toBe(true);
    expect(lostDoseCount('疫苗:已接种第剂')).toBe(true);
    expect(lostDoseCount('己接种针')).toBe(true);
    expect(lostDoseCount('已接种1针')).toBe(false);
    expect(lostDoseCount('已接种第2剂')).toBe(false);
    expect(lostDoseCount('已接种加强针')).toBe(false);
  });

  it('tells a tile whose count of doses was lost: one or two characters beside, under or over 已接种', () => {
    const label = at('已接种', 400, 460, 100, 24);
    expect(lostTileCount([label, at('计', 400, 440, 140, 50)])?.text).toBe('计');
    expect(lostTileCount([at('计', 400, 440, 40, 50), label])?.text).toBe('计');
    expect(lostTileCount([at('已接种:', 100, 200, 100), at('针', 260, 290, 100)])?.text).toBe('针');
    // A count read whole, a value far away or under another label: nothing lost.
    expect(lostTileCount([label, at('1针', 400, 450, 140, 50)])).toBeUndefined();
    expect(lostTileCount([label, at('计', 400, 440, 400, 50)])).toBeUndefined();
    expect(lostTileCount([at('疫苗接种', 400, 500, 100, 24), at('计', 400, 440, 140, 50)])).toBeUndefined();
  });

  it('finds the minimum-area rectangle of a tilted box and orders its corners for reading', () => {
    const a = (20 * Math.PI) / 180;
    const pts = [];
    for (let u = 0; u <= 100; u += 10)
      for (let v = 0; v <= 20; v += 5)
        pts.push({ x: 50 + u * Math.cos(a) - v * Math.sin(a), y: 50 + u * Math.sin(a) + v * Math.cos(a) });
    const rect = minAreaRect(convexHull(pts));
    expect(Math.max(rect.w, rect.h)).toBeCloseTo(100, 5);
    expect(Math.min(rect.w, rect.h)).toBeCloseTo(20, 5);
    const [tl, tr, br, bl] = rectCorners(rect);
    expect(tl.x).toBeCloseTo(50, 5);
    expect(tl.y).toBeCloseTo(50, 5);
    expect(tr.x).toBeGreaterThan(tl.x);
    expect(bl.y).toBeGreaterThan(tl.y);
    expect(Math.hypot(br.x - bl.x, br.y - bl.y)).toBeCloseTo(100, 5);
    const grown = unclip(rect, 1.5);
    // DB's offset: area × ratio / perimeter = 2000 × 1.5 / 240 = 12.5 on every side.
    expect(Math.min(grown.w, grown.h)).toBeCloseTo(45, 5);
  });

  it('sizes the detector input in multiples of 32, keeping tall screenshots legible', () => {
    expect(detectSize(1080, 2340, 960)).toEqual({ width: 448, height: 960 });
    expect(detectSize(1080, 2340, 960, 640)).toEqual({ width: 640, height: 1376 });
    expect(detectSize(300, 200, 960, 640)).toEqual({ width: 288, height: 192 });
  });

  /** A probability map `w` wide with each rectangle [x0, x1) × [y0, y1) set to its value. */
  const probabilityMap = (w: number, h: number, rects: [number, number, number, number, number][]) => {
    const map = new Float32Array(w * h);
    for (const [x0, x1, y0, y1, v] of rects) for (let y = y0; y < y1; y++) map.fill(v, y * w + x0, y * w + x1);
    return map;
  };

  it('turns probability regions into scored boxes and drops weak ones', () => {
    const w = 64;
    const h = 32;
    const map = probabilityMap(w, h, [
      [5, 40, 10, 16, 0.9],
      [5, 40, 20, 26, 0.4],
    ]);
    const boxes = boxesFromMap(map, w, h, DEFAULT_DETECT);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]!.score).toBeCloseTo(0.9, 5);
    expect(boxes[0]!.quad[0].x).toBeLessThan(5);
    expect(boxes[0]!.quad[2].x).toBeGreaterThan(40);
  });

  it('finds each region from its own rows only: a weak region dropped before a strong one on the same rows, an L shape', () => {
    const w = 96;
    const h = 40;
    // Weak, first in scan order, on rows 4–9; strong, on rows 4–13 further right, then an L.
    const map = probabilityMap(w, h, [
      [2, 20, 4, 10, 0.4],
      [30, 60, 4, 14, 0.9],
      [70, 76, 20, 36, 0.9],
      [76, 92, 30, 36, 0.9],
    ]);
    const boxes = boxesFromMap(map, w, h, { ...DEFAULT_DETECT, unclipRatio: 0 });
    expect(boxes).toHaveLength(2);
    const xs = (b: (typeof boxes)[number]) => b.quad.map((p) => p.x);
    const ys = (b: (typeof boxes)[number]) => b.quad.map((p) => p.y);
    // The bar: its own 30–60 × 4–14, nothing of the weak region's columns.
    expect(Math.min(...xs(boxes[0]!))).toBeCloseTo(30, 5);
    expect(Math.max(...xs(boxes[0]!))).toBeCloseTo(60, 5);
    expect(Math.min(...ys(boxes[0]!))).toBeCloseTo(4, 5);
    expect(Math.max(...ys(boxes[0]!))).toBeCloseTo(14, 5);
    // The L: the minimum-area rectangle around both its arms.
    expect(Math.min(...xs(boxes[1]!))).toBeLessThanOrEqual(70);
    expect(Math.max(...xs(boxes[1]!))).toBeGreaterThanOrEqual(92);
    expect(Math.min(...ys(boxes[1]!))).toBeLessThanOrEqual(20);
    expect(Math.max(...ys(boxes[1]!))).toBeGreaterThanOrEqual(36);
  });

  it('decodes CTC greedily: repeats merged, blanks dropped', () => {
    const dictionary = ['', 'a', 'b'];
    // Steps: a a blank a b b → "aab".
    const steps = [1, 1, 0, 1, 2, 2];
    const data = new Float32Array(steps.length * 3);
    steps.forEach((k, t) => {
      data[t * 3 + k] = 0.9;
    });
    const read = ctcDecode(topClassesOf(data, 3, 3), 0, steps.length, dictionary);
    expect(read.text).toBe('aab');
    expect(read.score).toBeCloseTo(0.9, 5);
  });

  it('keeps the likeliest characters per character read when asked (the CTC step it was likeliest at)', () => {
    const dictionary = ['', 'a', 'b', 'c'];
    // Steps: a (0.5, b 0.3) then a (0.7, c 0.2): one "a" whose choices come from its best step.
    const rows = [
      [0.1, 0.5, 0.3, 0.1],
      [0.05, 0.7, 0.05, 0.2],
    ];
    const read = ctcDecode(topClassesOf(new Float32Array(rows.flat()), 4, 3), 0, 2, dictionary, 2);
    expect(read.text).toBe('a');
    expect(read.chars[0]!.alts!.map((a) => a.text)).toEqual(['a', 'c']);
    // Three classes a step kept: at most two choices besides a blank that may be among them.
    expect(() => ctcDecode(topClassesOf(new Float32Array(rows.flat()), 4, 3), 0, 2, dictionary, 3)).toThrow(RangeError);
    // The blank second likeliest: skipped, the choices are the next non-blank classes.
    const blankSecond = ctcDecode(topClassesOf(new Float32Array([0.3, 0.5, 0.15, 0.05]), 4, 3), 0, 1, dictionary, 2);
    expect(blankSecond.chars[0]!.alts!.map((a) => a.text)).toEqual(['a', 'b']);
    // A second line of the batch read from its own offset.
    const batch = topClassesOf(new Float32Array([...rows.flat(), 0.1, 0.1, 0.2, 0.6, 0.9, 0.05, 0.03, 0.02]), 4, 3);
    expect(ctcDecode(batch, 2 * 3, 2, dictionary).text).toBe('c');
  });

  it('reads only the classes asked for when told: each step the likeliest of them or the blank', () => {
    const dictionary = ['', '啪', '4', '8'];
    // Steps: 啪 (4 second), 啪 (8 second), blank, 啪 with neither digit among the three kept.
    const rows = [
      [0.1, 0.5, 0.3, 0.1],
      [0.05, 0.6, 0.05, 0.3],
      [0.8, 0.1, 0.05, 0.05],
      [0.02, 0.9, 0.0, 0.0],
    ];
    const top = topClassesOf(new Float32Array(rows.flat()), 4, 3);
    expect(ctcDecode(top, 0, 4, dictionary).text).toBe('啪啪');
    const digits = ctcDecode(top, 0, 4, dictionary, 0, new Set([2, 3]));
    expect(digits.text).toBe('48');
    expect(digits.chars.map((c) => c.prob)).toEqual([0.3, 0.3].map((p) => expect.closeTo(p, 5)));
    // A step with neither the blank nor a class asked for among its kept ones parts two readings
    // of one digit, as a blank does; the choices kept are of the classes asked for only.
    const wide = ['', '啪', '4', '8', 'x', 'y'];
    const parted = topClassesOf(
      new Float32Array(
        [
          [0.1, 0.2, 0.6, 0.05, 0.05, 0],
          [0.01, 0.6, 0.01, 0.01, 0.2, 0.17],
          [0.1, 0.2, 0.6, 0.05, 0.05, 0],
        ].flat(),
      ),
      6,
      3,
    );
    expect(ctcDecode(parted, 0, 3, wide).text).toBe('4啪4');
    const four = ctcDecode(parted, 0, 3, wide, 2, new Set([2, 3]));
    expect(four.text).toBe('44');
    expect(four.chars[0]!.alts!.map((a) => a.text)).toEqual(['4']); // 啪 was second
  });

  it('keeps enough classes a step for every caller of the recogniser', () => {
    expect(REC_CHOICES).toBeGreaterThan(Math.max(LABEL_CHOICES, SURNAME_CHOICES, INTERVAL_CHOICES));
  });

  it('puts back a label read with several wrong characters from the recogniser choices', () => {
    const read = (...chars: [string, [string, number][]?][]) =>
      chars.map(([text, alts = []], i) => ({
        text,
        prob: 0.6,
        at: i / 10,
        alts: [{ text, prob: 0.6 }, ...alts.map(([t, p]) => ({ text: t, prob: p }))],
      }));
    // 当前杨丽: two read right, 场 and 所 among the others' choices.
    expect(repairWithChoices(read(['当'], ['前'], ['杨', [['场', 0.2]]], ['丽', [['所', 0.08]]], ['大']))).toBe(
      '当前场所大',
    );
    // A phrase read right is never turned into a neighbour phrase (已 with 未 among its choices).
    expect(repairWithChoices(read(['已', [['未', 0.2]]], ['完'], ['成'], ['全'], ['程'], ['接'], ['种']))).toBe(
      '已完成全程接种',
    );
    // One character without the phrase's among its choices (a brush 所 read 丽) is mended with the
    // rest; two are not (a choice below the floor counts as none).
    expect(repairWithChoices(read(['当'], ['前'], ['杨', [['场', 0.2]]], ['丽', [['所', 0.01]]]))).toBe('当前场所');
    expect(repairWithChoices(read(['杨', [['场', 0.2]]], ['丽'], ['名'], ['称']))).toBe('场所名称');
    expect(repairWithChoices(read(['当'], ['前'], ['杨', [['场', 0.01]]], ['丽', [['所', 0.01]]]))).toBe('当前杨丽');
    expect(repairWithChoices(read(['杨'], ['丽'], ['名'], ['称']))).toBe('杨丽名称');
    // One read right and two all but chosen (≥ 0.25) count as half read right: 杨灭名你 with 场 at
    // 0.36 and 称 at 0.33, 所 never considered; less likely choices, or none read right, do not.
    expect(repairWithChoices(read(['杨', [['场', 0.36]]], ['灭'], ['名'], ['你', [['称', 0.33]]]))).toBe('场所名称');
    expect(repairWithChoices(read(['杨', [['场', 0.2]]], ['灭'], ['名'], ['你', [['称', 0.2]]]))).toBe('杨灭名你');
    expect(
      repairWithChoices(
        read(['杨', [['场', 0.36]]], ['灭', [['所', 0.3]]], ['君', [['名', 0.3]]], ['你', [['称', 0.33]]]),
      ),
    ).toBe('杨灭君你');
    // States and labels a character or two off the phrases stay as read (a booster, an antigen test).
    expect(repairWithChoices(read(['已'], ['完'], ['成'], ['加'], ['强'], ['针', [['免', 0.2]]], ['接'], ['种']))).toBe(
      '已完成加强针接种',
    );
    expect(repairWithChoices(read(['抗', [['核', 0.1]]], ['原'], ['检'], ['测']))).toBe('抗原检测');
    // Phrases whose every character is supported go first: 场所名称 here, not 当前场所 (萌 never
    // considered as 前) taking its 场所 and leaving 名你.
    expect(repairWithChoices(read(['当'], ['萌'], ['杨', [['场', 0.2]]], ['所'], ['名'], ['你', [['称', 0.2]]]))).toBe(
      '当前场所名称',
    );
    // Two of an eight-character notice (核 and 酸 never considered in a brush face), never three.
    const notice = (acid: [string, [string, number][]?]) =>
      repairWithChoices(
        read(
          ['暂'],
          ['元', [['无', 0.29]]],
          ['扶', [['按', 0.18]]],
          acid,
          ['拾', [['检', 0.3]]],
          ['测'],
          ['记'],
          ['录'],
        ),
      );
    expect(notice(['破', [['酸', 0.02]]])).toBe('暂无核酸检测记录');
    expect(notice(['破', [['酸', 0.2]]])).toBe('暂无核酸检测记录');
    expect(repairWithChoices(read(['暂'], ['元'], ['扶'], ['破'], ['拾', [['检', 0.3]]], ['测'], ['记'], ['录']))).toBe(
      '暂元扶破拾测记录',
    );
    // …never one the page read right, and never when two phrases fit as well (己 for 已 or 未).
    expect(
      repairWithChoices(read(['己'], ['完'], ['成'], ['全'], ['程'], ['技', [['接', 0.2]]], ['神', [['种', 0.1]]])),
    ).toBe('己完成全程技神');
    expect(
      repairWithChoices(
        read(['己', [['已', 0.2]]], ['完'], ['成'], ['全'], ['程'], ['技', [['接', 0.2]]], ['神', [['种', 0.1]]]),
      ),
    ).toBe('已完成全程接种');
    expect(repairWithChoices(read(['当'], ['萌', [['前', 0.2]]], ['杨', [['场', 0.2]]], ['丽', [['所', 0.2]]]))).toBe(
      '当萌杨丽',
    );
    // A count of doses misread in its unit: 针 or 剂 from the choices, nothing else.
    expect(repairWithChoices(read(['已'], ['接'], ['种'], ['第'], ['2'], ['计', [['针', 0.1]]]))).toBe('已接种第2针');
    expect(repairWithChoices(read(['已'], ['接'], ['种'], ['3'], ['计', [['十', 0.3]]]))).toBe('已接种3计');
    expect(repairWithChoices(read(['已'], ['接'], ['种'], ['3'], ['齐', [['剂', 0.2]]]))).toBe('已接种3剂');
    expect(repairWithChoices(read(['已'], ['接'], ['种'], ['2'], ['计', [['针', 0.02]]]))).toBe('已接种2计');
    expect(repairWithChoices(read(['接'], ['种'], ['2'], ['计', [['针', 0.3]]]))).toBe('接种2计');
    // 已接种第 is put back only before a count: 已接种加强针 stays, whatever 加's choices.
    expect(repairWithChoices(read(['已'], ['接'], ['种'], ['加', [['第', 0.2]]], ['强'], ['针']))).toBe('已接种加强针');
    expect(repairWithChoices(read(['已'], ['接'], ['种'], ['弟', [['第', 0.2]]], ['2'], ['针']))).toBe('已接种第2针');
    // …also when its 已 was read as 己 (fields/labels.ts puts that back).
    expect(repairWithChoices(read(['己'], ['接'], ['种'], ['2'], ['计', [['针', 0.1]]]))).toBe('己接种2针');
    // A clock's seconds or minutes past 59: their tens digit from the choices, 0–5 only.
    const clock = (tens: [string, [string, number][]?]) =>
      repairWithChoices(read(['0'], ['6'], [':'], ['5'], ['1'], [':'], tens, ['6']));
    expect(clock(['9', [['4', 0.2]]])).toBe('06:51:46');
    expect(
      clock([
        '9',
        [
          ['7', 0.3],
          ['4', 0.2],
        ],
      ]),
    ).toBe('06:51:46');
    expect(clock(['9', [['4', 0.01]]])).toBe('06:51:96');
    expect(clock(['9', [['8', 0.3]]])).toBe('06:51:96');
    expect(clock(['5', [['4', 0.4]]])).toBe('06:51:56');
    // A label's colon (an ID's head, an interval) is no clock's.
    expect(repairWithChoices(read(['号'], [':'], ['6', [['0', 0.3]]], ['1'], ['*']))).toBe('号:61*');
    expect(repairWithChoices(read(['酸'], [':'], ['7', [['1', 0.3]]], ['2'], ['小'], ['时']))).toBe('酸:72小时');
    expect(repairWithChoices(read(['1'], [':'], ['6', [['0', 0.3]]], ['1'], ['2']))).toBe('1:612');
    // A negative result misread in its first character (明性): 阴 from the choices when 阳 is not among them.
    expect(repairWithChoices(read(['核'], ['酸'], ['明', [['阴', 0.3]]], ['性']))).toBe('核酸阴性');
    expect(
      repairWithChoices(
        read(
          [
            '明',
            [
              ['阳', 0.4],
              ['阴', 0.3],
            ],
          ],
          ['性'],
        ),
      ),
    ).toBe('明性');
    expect(repairWithChoices(read(['明', [['阴', 0.02]]], ['性']))).toBe('明性');
    // 阳 considered at all (明 shares 日 with 阳 as it shares 月 with 阴): left as read.
    const both = (yang: number) =>
      read(['明', [['阴', 0.3]]], ['性']).map((c, i) =>
        i ? c : { ...c, alts: [...c.alts, { text: '阳', prob: yang }] },
      );
    expect(repairWithChoices(both(0.05))).toBe('明性');
    expect(repairWithChoices(both(0.02))).toBe('阴性');
    // A positive result read as such stays positive, whatever its choices.
    expect(repairWithChoices(read(['阳', [['阴', 0.3]]], ['性']))).toBe('阳性');
    // An interval's h read as another letter after a number of its own: h from the choices; never
    // an ID's X after its digits and stars, nor a choice under the floor.
    expect(repairWithChoices(read(['4'], ['8'], ['k', [['h', 0.05]]]))).toBe('48h');
    expect(repairWithChoices(read(['效'], ['4'], ['8'], ['k', [['h', 0.05]]]))).toBe('效48h');
    expect(repairWithChoices(read(['*'], ['3'], ['1'], ['X', [['h', 0.3]]]))).toBe('*31X');
    expect(repairWithChoices(read(['*'], ['3'], ['1'], ['k', [['h', 0.3]]]))).toBe('*31k');
    expect(repairWithChoices(read(['4'], ['8'], ['k', [['h', 0.01]]]))).toBe('48k');
    expect(repairWithChoices(read(['4'], ['8'], ['k', [['h', 0.3]]], ['g']))).toBe('48kg');
    // Its second character misread after a 阴 read right: 性 from the choices.
    expect(repairWithChoices(read(['阴'], ['生', [['性', 0.12]]]))).toBe('阴性');
    expect(repairWithChoices(read(['阴'], ['生', [['性', 0.02]]]))).toBe('阴生');
    expect(repairWithChoices(read(['阴'], ['生', [['姓', 0.3]]]))).toBe('阴生');
    expect(repairWithChoices(read(['核'], ['酸'], ['阴'], ['生', [['性', 0.12]]]))).toBe('核酸阴性');
    // Never inside a place's name.
    expect(repairWithChoices(read(['江'], ['阴'], ['生', [['性', 0.3]]]))).toBe('江阴生');
  });

  it('reads an interval that is no whole number of days again from its digits choices', () => {
    const read = (...chars: [string, [string, number][]][]) => ({
      text: '',
      score: 0.9,
      chars: chars.map(([text, alts], i) => ({
        text,
        prob: 0.5,
        at: i / 10,
        alts: alts.map(([t, p]) => ({ text: t, prob: p })),
      })),
    });
    // 12小时 with 7 the first digit's third choice: 72.
    const twelve = read(
      [
        '1',
        [
          ['1', 0.53],
          ['2', 0.21],
          ['7', 0.19],
        ],
      ],
      ['2', [['2', 0.99]]],
      ['小', [['小', 0.96]]],
      ['时', [['时', 0.98]]],
    );
    expect(wholeDaysReading(twelve)).toBe(72);
    // …and 12h: its unit an h that starts no word.
    const digits = (unit: [string, [string, number][]][]) =>
      read(
        [
          '1',
          [
            ['1', 0.53],
            ['7', 0.19],
          ],
        ],
        ['2', [['2', 0.99]]],
        ...unit,
      );
    expect(wholeDaysReading(digits([['h', [['h', 0.9]]]]))).toBe(72);
    expect(
      wholeDaysReading(
        digits([
          ['H', [['H', 0.9]]],
          ['时', [['时', 0.9]]],
        ]),
      ),
    ).toBe(72);
    expect(
      wholeDaysReading(
        digits([
          ['h', [['h', 0.9]]],
          ['o', [['o', 0.9]]],
        ]),
      ),
    ).toBeUndefined();
    // The h of a word before the number is no unit.
    const word = read(
      ['h', [['h', 0.9]]],
      [
        '1',
        [
          ['1', 0.5],
          ['7', 0.3],
        ],
      ],
      ['2', [['2', 0.9]]],
      ['h', [['h', 0.9]]],
    );
    expect(wholeDaysReading(word)).toBe(72);
    // No whole-day reading among the choices (or one below the floor): none.
    const eight = read(
      [
        '8',
        [
          ['8', 0.9],
          ['6', 0.05],
        ],
      ],
      ['小', [['小', 0.9]]],
      ['时', [['时', 0.9]]],
    );
    expect(wholeDaysReading(eight)).toBeUndefined();
    const faint = read(
      [
        '1',
        [
          ['1', 0.97],
          ['7', 0.01],
        ],
      ],
      ['2', [['2', 0.99]]],
      ['小', [['小', 0.9]]],
      ['时', [['时', 0.9]]],
    );
    expect(wholeDaysReading(faint)).toBeUndefined();
  });

  it('finds where an interval box holds a number read as something else: over or beside its 小时, or before its unit', () => {
    const unitBelow = [at('时效', 670, 760, 1500, 52), at('啪', 670, 780, 1631, 111), at('小时', 680, 770, 1777, 47)];
    expect(boxNumbers(unitBelow).map((l) => l.text)).toEqual(['啪']);
    const eight = [at('8', 670, 730, 1798, 113), at('小时', 680, 770, 1944, 51)];
    expect(boxNumbers(eight).map((l) => l.text)).toEqual(['8']);
    expect(boxNumbers([at('啪', 585, 640, 929, 64), at('小时', 650, 700, 950, 27)]).map((l) => l.text)).toEqual(['啪']);
    expect(boxNumbers([at('有效时长', 90, 260, 1398), at('T2h', 426, 500, 1399)]).map((l) => l.text)).toEqual(['T2h']);
    // A whole-days number, a reading with its number, a label over its value, a long line: none.
    expect(boxNumbers([at('48', 670, 730, 1798, 113), at('小时', 680, 770, 1944, 51)])).toEqual([]);
    expect(boxNumbers([at('48小时', 600, 760), at('72h', 600, 700, 300)])).toEqual([]);
    expect(boxNumbers([at('核酸有效期', 100, 300, 100), at('48小时', 100, 220, 140)])).toEqual([]);
    expect(boxNumbers([at('请在有效时间内使用小时', 100, 500)])).toEqual([]);
  });

  it('takes an interval box read again as digits when that makes whole days, every digit above the floor', async () => {
    const page = [
      at('核酸检测', 100, 260, 1400, 52),
      at('阴性', 600, 700, 1400, 52),
      at('时效', 670, 760, 1500, 52),
      at('啪', 670, 780, 1631, 111),
      at('小时', 680, 770, 1777, 47),
    ];
    const noChoices = async () => undefined;
    const check = (read: ReturnType<typeof digits>) => recheckInterval(page, img, noChoices, async () => read);
    expect(await check(digits(['4', 0.92], ['8', 1]))).toBe('48小时');
    // A digit read below the floor, or a number that is no whole days: none.
    expect(await check(digits(['4', 0.02], ['8', 1]))).toBe('');
    expect(await check(digits(['5', 0.9], ['8', 1]))).toBe('');
  });

  it('reads again the unit of an interval box whose number is whole days when its 小 was misread, taken when it reads 小时', async () => {
    const page = [at('核酸结果', 47, 200, 832, 29), at('48', 451, 510, 889, 51), at('抗时', 462, 520, 949, 29)];
    expect(misreadUnits(page).map(({ line, unit }) => [line.text, unit.text])).toEqual([['48', '抗时']]);
    // A number that is no whole days, a unit read right, a longer line: none.
    expect(misreadUnits([at('47', 451, 510, 889, 51), at('抗时', 462, 520, 949, 29)])).toEqual([]);
    expect(misreadUnits([at('48', 451, 510, 889, 51), at('小时', 462, 520, 949, 29)])).toEqual([]);
    expect(misreadUnits([at('48', 451, 510, 889, 51), at('按时完成', 462, 600, 949, 29)])).toEqual([]);
    const unitRead = (text: string) => async (_: unknown, line: TextLine) => {
      // The unit is what is read again, never the number.
      expect(line.text).toBe('抗时');
      return { text, score: 0.9, chars: [...text].map((t, i) => ({ text: t, prob: 0.9, at: i / 2 })) };
    };
    const noDigits = async () => undefined;
    expect(await recheckInterval(page, img, unitRead('小时'), noDigits)).toBe('48小时');
    expect(await recheckInterval(page, img, unitRead('抗时'), noDigits)).toBe('');
  });

  it('takes an interval box unit read `X时` as 小时 when 小 is among its first reading’s choices', async () => {
    // A small page's 72 over 小时, read `少时` with 小 at 0.15; read again it got worse (`少胖`).
    const unit = (second: number) => ({
      ...at('少时', 302, 340, 523, 22),
      choices: [
        {
          text: '少',
          alts: [
            { text: '少', prob: 0.82 },
            { text: '小', prob: second },
          ],
        },
        { text: '时', alts: [{ text: '时', prob: 0.58 }] },
      ],
    });
    const page = (second: number) => [at('距今', 303, 337, 443, 21), at('72', 297, 345, 482, 41), unit(second)];
    const rereadWorse = async () => ({
      text: '少胖',
      score: 0.6,
      chars: [...'少胖'].map((t, i) => ({ text: t, prob: 0.6, at: i / 2 })),
    });
    const noDigits = async () => undefined;
    expect(await recheckInterval(page(0.15), img, rereadWorse, noDigits)).toBe('72小时');
    // 小 a mere trace among the choices, and the re-read no better: nothing.
    expect(await recheckInterval(page(0.02), img, rereadWorse, noDigits)).toBe('');
    expect(unitReading([{ text: '小' }, { text: '时' }])).toBe('小时');
    expect(unitReading([{ text: '少', alts: [{ text: '小', prob: 0.3 }] }, { text: '胖' }])).toBeUndefined();
  });

  it('reads the stretch above an interval box unit with no number over it as digits, taken when they make whole days', async () => {
    // The page of a 粤康码: a label, then the box's 小时 whose 48 the detector missed.
    const page = [
      at('核酸检测', 211, 351, 1088, 43),
      at('阴性', 220, 345, 1171, 68),
      at('核酸有效期', 722, 883, 1087, 36),
      at('小时', 768, 835, 1291, 39),
    ];
    const [region] = numberlessUnits(page);
    // From four of the unit's heights above it (the label ends higher) to just over it, as readAs pads it.
    expect(region!.y0 - 0.25 * region!.h).toBeCloseTo(1291 - 4 * 39, 5);
    expect(region!.y1 + 0.25 * region!.h).toBeCloseTo(1291 - 3.9, 5);
    expect(region!.x0).toBeLessThan(768);
    expect(region!.x1).toBeGreaterThan(835);
    const noChoices = async () => undefined;
    const asked: [TextLine, string][] = [];
    const check = (read: ReturnType<typeof digits>) =>
      recheckInterval(page, img, noChoices, async (_img, line, chars) => {
        asked.push([line, chars]);
        return read;
      });
    expect(await check(digits(['4', 0.9], ['8', 0.99]))).toBe('48小时');
    // The stretch was read, as digits alone.
    expect(asked).toEqual([[region, '0123456789']]);
    expect(await check(digits(['4', 0.02], ['8', 0.99]))).toBe('');
    expect(await check(digits(['4', 0.9], ['7', 0.99]))).toBe('');
    // A number over the unit (read right or not: the steps before see it), a unit with its number: none.
    expect(numberlessUnits([...page, at('8', 770, 840, 1191, 67)])).toEqual([]);
    expect(numberlessUnits([at('48小时', 600, 760, 1291, 39)])).toEqual([]);
    // A label nearer than the reach: the stretch starts under it.
    const [under] = numberlessUnits([at('有效期', 760, 840, 1180, 30), at('小时', 768, 835, 1291, 39)]);
    expect(under!.y0 - 0.25 * under!.h).toBeCloseTo(1210 + 3.9, 5);
    // Two lines up there, the lower ending just under the higher: the stretch starts under the
    // lower, whatever their order.
    const two = [at('核酸', 760, 840, 1150, 20), at('有效期', 760, 840, 1160, 25), at('小时', 768, 835, 1291, 39)];
    for (const order of [two, [two[1]!, two[0]!, two[2]!]]) {
      const [stretch] = numberlessUnits(order);
      expect(stretch!.y0 - 0.25 * stretch!.h).toBeCloseTo(1185 + 3.9, 5);
    }
    // Less than the unit's height left under a line: none.
    expect(numberlessUnits([at('有效期', 760, 840, 1200, 30), at('小时', 768, 835, 1291, 39)])).toEqual([]);
  });

  it('replaces a surname that is no common one by the likeliest common surname among its choices, only above the floor', async () => {
    const choices =
      (alts: [string, number][], before = '姓名:') =>
      async () => ({
        text: '',
        score: 0.9,
        chars: [
          ...[...before].map((text, i) => ({ text, prob: 0.99, at: i / 10 })),
          { text: alts[0]![0], prob: alts[0]![1], at: 0.5, alts: alts.map(([text, prob]) => ({ text, prob })) },
          { text: '*', prob: 0.99, at: 0.6 },
          { text: '刚', prob: 0.99, at: 0.7 },
        ],
      });
    const check = (name: string, lines: TextLine[], alts: [string, number][], before?: string) =>
      recheckSurname(name, lines, img, choices(alts, before));
    const lines = [at('姓名:松*刚', 0, 200)];
    // 松 is no common surname; 杜 is, and the recogniser gave it 0.29.
    const likely: [string, number][] = [
      ['松', 0.66],
      ['杜', 0.29],
      ['拙', 0.03],
    ];
    expect(await check('松*刚', lines, likely)).toBe('杜*刚');
    // Below the floor the reading stands, and so does a common surname or a name on no line.
    expect(
      await check('松*刚', lines, [
        ['松', 0.98],
        ['杜', 0.005],
      ]),
    ).toBe('松*刚');
    expect(
      await check('王*刚', lines, [
        ['王', 0.5],
        ['杜', 0.4],
      ]),
    ).toBe('王*刚');
    expect(
      await check(
        '松*丽',
        [at('其他', 0, 200)],
        [
          ['松', 0.5],
          ['杜', 0.4],
        ],
      ),
    ).toBe('松*丽');
    // A compound surname is left alone (司马*懿: 马 is no surname on its own here).
    expect(
      await check(
        '司马*懿',
        [at('姓名:司马*懿', 0, 200)],
        [
          ['马', 0.9],
          ['杜', 0.4],
        ],
        '姓名:司',
      ),
    ).toBe('司马*懿');
    // Read again with room, the surname surely a common one (廖 at 0.99 for a first 爽, which is
    // not among its choices) and the given name the same: taken; less sure, or another given
    // name, the reading stands.
    expect(await check('爽*刚', [at('姓名:爽*刚', 0, 200)], [['廖', 0.99]])).toBe('廖*刚');
    expect(await check('爽*刚', [at('姓名:爽*刚', 0, 200)], [['廖', 0.6]])).toBe('爽*刚');
    expect(await check('爽*强', [at('姓名:爽*强', 0, 200)], [['廖', 0.99]])).toBe('爽*强');
    // The surname's choices pooled with those of the line as first read: 崔 at 0.16 in its box,
    // 0.01 with room, 0.085 together; the re-read alone leaves the reading.
    const boxRead = {
      ...at('雀*刚', 0, 200),
      choices: [
        {
          text: '雀',
          alts: [
            { text: '雀', prob: 0.8 },
            { text: '崔', prob: 0.16 },
          ],
        },
        { text: '*', alts: [{ text: '*', prob: 0.99 }] },
        { text: '刚' },
      ],
    };
    const roomRead: [string, number][] = [
      ['雀', 0.97],
      ['崔', 0.01],
    ];
    expect(await check('雀*刚', [boxRead], roomRead, '')).toBe('崔*刚');
    expect(await check('雀*刚', [at('雀*刚', 0, 200)], roomRead, '')).toBe('雀*刚');
  });
});

describe('PP-OCR health-code engine, end to end', () => {
  let engine: HealthCodeEngine;
  beforeAll(async () => {
    engine = createHealthCodeEngine({
      engine: 'paddle',
      workers: 1,
      maxQueue: 4,
      maxPixels: 40_000_000,
      timeoutMs: 60_000,
    });
    await engine.ready();
  }, 120_000);
  afterAll(() => engine.close());

  it('reads every committed fixture exactly', async () => {
    for (const entry of manifest) {
      const fields = await engine.recognize(readFileSync(join(FIXTURES, entry.file)));
      expect({ file: entry.file, ...fields }).toEqual({ file: entry.file, ...entry.truth });
    }
  }, 180_000);

  it('reads a bold name beside a 本人 badge: read again with room up to the badge, padded when its surname is lost', async () => {
    // A development page (gansu, Noto Sans SC, 720×1280): `孟*` read as `*` in its box, as `孟*本`
    // with room reaching into the badge, as `*` with room up to it at its own width.
    const seed = 302022401;
    const style = styleFor(seed, DEV_FACES);
    const size = `${style.width}x${style.height}`;
    const shot = await renderItem({ layout: 'gansu', size, seed, variants: ['clean'], style });
    expect([shot.face, size, shot.truth.Name]).toEqual(['noto-sans-sc', '720x1280', '孟*']);
    expect((await engine.recognize(shot.png)).Name).toBe('孟*');
  }, 60_000);

  it('reads a screenshot turned a quarter, half or three quarters round, or stored sideways with its EXIF orientation, as the upright one', async () => {
    const entry = manifest.find((e) => e.file.startsWith('guangdong') && e.file.endsWith('clean.png'))!;
    const png = readFileSync(join(FIXTURES, entry.file));
    const turned = await Promise.all([90, 180, 270].map((angle) => sharp(png).rotate(angle).png().toBuffer()));
    // A phone camera's portrait shot: pixels lying on their side, EXIF orientation 6 to show them upright.
    const sideways = await sharp(png).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
    for (const [i, bytes] of [...turned, sideways].entries())
      expect({ i, ...(await engine.recognize(bytes)) }).toEqual({ i, ...entry.truth });
  }, 60_000);

  it('answers the documented errors, and all "" for a readable page that is no health code', async () => {
    const blank = await sharp({ create: { width: 750, height: 1334, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    expect(await codeOf(engine.recognize(blank))).toBe('FailedOperation.ImageNoText');
    expect(await codeOf(engine.recognize(new TextEncoder().encode('not an image at all')))).toBe(
      'FailedOperation.ImageDecodeFailed',
    );
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="400"><rect width="720" height="400" fill="#fff"/><text x="40" y="200" font-size="48" font-family="Noto Sans SC">INVOICE 2022 No. 12345</text></svg>`;
    const fields = await engine.recognize(await sharp(Buffer.from(svg)).png().toBuffer());
    expect(Object.values(fields).every((v) => v === '')).toBe(true);
    // The same words beside a QR code: a black one is any page's, a green one a health code's.
    const withCode = (colour: string) => {
      const code = QRCode.create('https://example.com/code', { errorCorrectionLevel: 'M' });
      const n = code.modules.size;
      const m = 8;
      let d = '';
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++)
          if (code.modules.data[r * n + c]) d += `M${200 + c * m} ${420 + r * m}h${m}v${m}h-${m}z`;
      return `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="800"><rect width="720" height="800" fill="#fff"/><text x="40" y="200" font-size="48" font-family="Noto Sans SC">INVOICE 2022 No. 12345</text><path d="${d}" fill="${colour}"/></svg>`;
    };
    const black = await engine.recognize(
      await sharp(Buffer.from(withCode('#000000')))
        .png()
        .toBuffer(),
    );
    expect(Object.values(black).every((v) => v === '')).toBe(true);
    const green = await engine.recognize(
      await sharp(Buffer.from(withCode('#00a050')))
        .png()
        .toBuffer(),
    );
    expect(green.Color).toBe('绿色');
  }, 60_000);
});

describe('PP-OCR lines found by their ink', () => {
  it('takes a lone blob as wide as a surname and its star blurred together for a line, never a square icon', () => {
    const width = 300;
    const height = 160;
    const data = new Uint8Array(width * height * 3).fill(250);
    const blob = painter(data, width, 30);
    blob(30, 40, 34, 24); // 陶* blurred into one component: 1.42 as wide as tall
    blob(200, 40, 24, 24); // an icon
    blob(30, 110, 29, 24); // a condensed face's 严 touching its star: 1.2
    blob(200, 110, 26, 24); // a wider icon: 1.08
    const quads = inkLines({ width, height, data }, []).sort((a, b) => a[0].y - b[0].y);
    expect(quads).toHaveLength(2);
    expect(quads[0]![0].x).toBeLessThan(30);
    expect(quads[0]![1].x).toBeGreaterThan(63);
    expect(quads[0]![1].x).toBeLessThan(200);
    expect(quads[1]![0].y).toBeGreaterThan(100);
    expect(quads[1]![1].x).toBeLessThan(200);
  });

  /** A 300 × 200 page, light grey, with a yellow header over its first `rows` rows; white paint. */
  const headerPage = (rows: number) => {
    const [width, height] = [300, 200];
    const data = new Uint8Array(width * height * 3).fill(250);
    for (let i = 0; i < width * rows; i++) data.set([224, 168, 0], i * 3);
    return { width, height, data, white: painter(data, width, 255) };
  };
  /** A 300 × 200 page of one grey, and a painter in grey `ink`. */
  const greyPage = (paper: number, ink: number) => {
    const [width, height] = [300, 200];
    const data = new Uint8Array(width * height * 3).fill(paper);
    return { page: { width, height, data }, paint: painter(data, width, ink) };
  };

  it('finds white text on a coloured header as ink, never light glyphs on grey paper', () => {
    // A yellow header over the top 150 rows, a white masked name in it.
    const { width, height, data, white } = headerPage(150);
    white(60, 60, 20, 24); // 严
    white(84, 64, 10, 10); // *
    const quads = inkLines({ width, height, data }, []);
    expect(quads).toHaveLength(1);
    expect(quads[0]![0].x).toBeLessThan(60);
    expect(quads[0]![0].y).toBeLessThan(60);
    expect(quads[0]![2].x).toBeGreaterThan(93);
    expect(quads[0]![2].x).toBeLessThan(120);
    // Dark text in the header is ink as well.
    const dark = painter(data, width, 20);
    dark(160, 60, 20, 24);
    dark(184, 64, 10, 10);
    expect(inkLines({ width, height, data }, [])).toHaveLength(2);
    // The same light glyphs on light grey paper (a photo's white) are no ink.
    data.fill(200, 0, width * 150 * 3);
    white(60, 60, 20, 24);
    white(84, 64, 10, 10);
    expect(inkLines({ width, height, data }, [])).toHaveLength(0);
  });

  it('finds text in a dark area either way: light text in dark mode, dark text in a dim photo', () => {
    const { page, paint } = greyPage(24, 200);
    paint(60, 60, 20, 24); // 叶
    paint(84, 64, 10, 10); // *
    const quads = inkLines(page, []);
    expect(quads).toHaveLength(1);
    expect(quads[0]![0].x).toBeLessThan(60);
    expect(quads[0]![2].x).toBeGreaterThan(93);
    // Black on the dark grey, too close to it to be text: no ink.
    painter(page.data, page.width, 0)(160, 60, 20, 24);
    expect(inkLines(page, [])).toHaveLength(1);
    // A light page photographed dim: its paper under 96, its text darker still.
    const dim = greyPage(80, 10);
    dim.paint(60, 60, 20, 24);
    dim.paint(84, 64, 10, 10);
    expect(inkLines(dim.page, [])).toHaveLength(1);
  });

  it('reads a bold glyph that fills whole blocks on light paper as ink, not as dark paper', () => {
    const { page, paint } = greyPage(245, 10);
    // 龚 in a heavy face: strokes two thirds of it, over four whole 24-pixel blocks.
    for (let y = 48; y < 96; y += 9) paint(48, y, 48, 6);
    paint(48, 48, 8, 48);
    paint(88, 48, 8, 48);
    paint(100, 52, 14, 14); // *
    const quads = inkLines(page, []);
    expect(quads).toHaveLength(1);
    expect(quads[0]![0].x).toBeLessThan(48);
    expect(quads[0]![2].x).toBeGreaterThan(114);
    expect(quads[0]![2].y).toBeGreaterThan(96);
  });

  it('takes a coloured area only where it reaches a block beyond the text: its edge blocks are read as paper', () => {
    // A yellow header ending at row 138, inside the sixth row of 24-pixel blocks (120–143); the page below.
    const { width, height, data, white } = headerPage(138);
    white(60, 121, 8, 10);
    white(70, 124, 5, 5);
    expect(inkLines({ width, height, data }, [])).toHaveLength(0);
    // One block row higher, inside the area, the same glyphs are found.
    white(60, 97, 8, 10);
    white(70, 100, 5, 5);
    expect(inkLines({ width, height, data }, [])).toHaveLength(1);
  });
});

describe('PP-OCR masked names found by their ink', () => {
  /** Characters read with these probabilities. */
  const read = (...chars: [string, number][]) => chars.map(([text, prob], i) => ({ text, prob, at: i / 10 }));
  it('keeps a poorly read line that is a common surname and stars read together surely enough, a given name and an icon', () => {
    expect(inkMaskedName(read(['龚', 0.33], ['*', 1]))).toBe('龚');
    expect(inkMaskedName(read(['曹', 1], ['*', 0.98], ['①', 0.29]))).toBe('曹');
    expect(inkMaskedName(read(['曾', 0.69], ['*', 0.95], ['娜', 0.92]))).toBe('曾');
    expect(inkMaskedName(read(['欧', 0.4], ['*', 0.99], ['*', 0.99], ['*', 0.99]))).toBe('欧');
    expect(inkMaskedName(read(['王', 0.9], ['*', 1], ['刚', 0.9], ['强', 0.9]))).toBe('王');
    expect(inkMaskedName(read(['严', 0.77], ['*', 0.55]))).toBe('严');
    expect(inkMaskedName(read(['韩', 0.5], ['*', 0.5]))).toBe('韩');
    expect(inkMaskedName(read(['王', 0.9], ['＊', 1]))).toBe('王'); // a look-alike star
  });
  it('refuses a surname that is no common one, a surname and stars read too poorly, an unsure given name, more text', () => {
    expect(inkMaskedName(read(['明', 0.44], ['*', 1]))).toBeUndefined();
    expect(inkMaskedName(read(['韩', 0.21], ['*', 0.94]))).toBeUndefined();
    expect(inkMaskedName(read(['韩', 0.5], ['*', 0.49]))).toBeUndefined();
    expect(inkMaskedName(read(['曹', 0.45], ['*', 0.5]))).toBeUndefined();
    expect(inkMaskedName(read(['石', 1], ['*', 1], ['磺', 0.22]))).toBeUndefined();
    expect(inkMaskedName(read(['石', 1], ['*', 1], ['磺', 0.9], ['琳', 0.9], ['琳', 0.9]))).toBeUndefined();
    expect(inkMaskedName(read(['王', 0.9], ['*', 1], ['*', 1], ['*', 1], ['*', 1]))).toBeUndefined();
    expect(inkMaskedName(read(['王', 0.9], ['*', 1], ['刚', 0.9], ['1', 0.9], ['强', 0.9]))).toBeUndefined();
    expect(inkMaskedName(read(['王', 0.9]))).toBeUndefined();
    expect(inkMaskedName(read(['3', 0.9], ['*', 1], ['*', 1]))).toBeUndefined();
  });

  it('writes a surname that is no common one as the likeliest common surname among its choices, with at least 0.02', () => {
    const withAlts = (text: string, prob: number, alts: [string, number][]) => ({
      text,
      prob,
      at: 0,
      alts: [[text, prob] as [string, number], ...alts].map(([t, p]) => ({ text: t, prob: p })),
    });
    const star = { text: '*', prob: 1, at: 0.5 };
    expect(
      inkMaskedName([
        withAlts('雪', 0.42, [
          ['凯', 0.17],
          ['罗', 0.05],
        ]),
        star,
      ]),
    ).toBe('罗');
    expect(
      inkMaskedName([
        withAlts('要', 0.5, [
          ['夏', 0.39],
          ['张', 0.1],
        ]),
        star,
      ]),
    ).toBe('夏');
    // None among its choices, or too unlikely; the reading as a whole still too unsure.
    expect(inkMaskedName([withAlts('明', 0.44, [['朋', 0.2]]), star])).toBeUndefined();
    expect(inkMaskedName([withAlts('凯', 0.34, [['罗', 0.019]]), star])).toBeUndefined();
    expect(inkMaskedName([withAlts('雪', 0.2, [['罗', 0.3]]), star])).toBeUndefined();
    // Only as read when a better reading of the line follows (a short line's padded one).
    expect(inkMaskedName([withAlts('雪', 0.42, [['罗', 0.05]]), star], false)).toBeUndefined();
    expect(inkMaskedName([withAlts('吕', 0.42, [['马', 0.3]]), star], false)).toBe('吕');
  });

  it('takes a common surname read alone or before one glyph that is no character as a surname whose star may be lost', () => {
    expect(surnameAlone(read(['严', 0.55]))).toBe(true);
    expect(surnameAlone(read(['严', 0.94], ['#', 0.35]))).toBe(true);
    expect(surnameAlone(read(['曹', 0.94], ['0', 0.27]))).toBe(true);
    // No common surname, one read too poorly, a character after it, two glyphs after it.
    expect(surnameAlone(read(['明', 0.9]))).toBe(false);
    expect(surnameAlone(read(['阳', 0.2]))).toBe(false);
    expect(surnameAlone(read(['吴', 0.58], ['吧', 0.52]))).toBe(false);
    expect(surnameAlone(read(['严', 0.94], ['#', 0.35], ['#', 0.35]))).toBe(false);
  });
});

describe('PP-OCR ink candidates beside the lines read', () => {
  const glyphs = (paint: ReturnType<typeof painter>, x: number, n: number) => {
    for (let i = 0; i < n; i++) paint(x + 22 * i, 50, 14, 18);
  };

  it('looks again at the whole line a poorly read box was a piece of; ink found by both covers once', () => {
    const width = 400;
    const height = 160;
    const data = new Uint8Array(width * height * 3).fill(250);
    const paint = painter(data, width, 120);
    glyphs(paint, 40, 8); // a faint line from x 40 to 208
    paint(40, 120, 14, 18); // another line, away from every box read
    paint(62, 120, 14, 18);
    const piece = { x0: 38, y0: 48, x1: 80, y1: 70, h: 22, score: 0.4 }; // the detector's "2"
    const { sure, rest } = inkLineCandidates({ width, height, data }, [piece], 0.5, []);
    expect(sure).toHaveLength(2);
    const whole = sure.find((q) => q[0].y < 60)!;
    expect(whole[0].x).toBeLessThan(40);
    expect(whole[2].x).toBeGreaterThan(208);
    // Covering the poor box gives the row's tail as well (the reader keeps the better of the two);
    // the other line, the same under both covers, is a candidate once.
    expect(rest).toHaveLength(1);
    expect(rest[0]![0].x).toBeGreaterThan(80);
    expect(overlapShare(whole, rest[0]!)).toBeGreaterThan(0.5);
    expect(overlapShare(whole, rest[0]!)).toBeLessThan(0.9);
    // The same box read surely covers its glyphs: only the rest of the row, in one cover.
    const surely = inkLineCandidates({ width, height, data }, [{ ...piece, score: 0.9 }], 0.5, []);
    expect(surely.rest).toEqual([]);
    expect(surely.sure.find((q) => q[0].y < 60)![0].x).toBeGreaterThan(80);
  });

  it('keeps ink a poorly read box cut from a frame, and regions to skip stay out', () => {
    const width = 400;
    const height = 160;
    const data = new Uint8Array(width * height * 3).fill(250);
    const paint = painter(data, width, 60);
    // A frame 160 × 120 (too large to be a glyph) with a stroke from its left side to a value.
    paint(20, 10, 160, 3);
    paint(20, 127, 160, 3);
    paint(20, 10, 3, 120);
    paint(177, 10, 3, 120);
    paint(23, 58, 40, 2);
    paint(62, 50, 58, 18); // a value whose glyphs run together, touched by the stroke
    const poor = { x0: 24, y0: 52, x1: 56, y1: 66, h: 14, score: 0.2 };
    const { sure, rest } = inkLineCandidates({ width, height, data }, [poor], 0.5, []);
    expect(sure).toEqual([]);
    expect(rest).toHaveLength(1);
    expect(rest[0]![0].x).toBeGreaterThan(40); // not the frame
    expect(rest[0]![2].x).toBeGreaterThan(120);
    expect(inkLineCandidates({ width, height, data }, [poor], 0.5, [{ x0: 60, y0: 40, x1: 130, y1: 80 }])).toEqual({
      sure: [],
      rest: [],
    });
  });
});

describe('PP-OCR page orientation', () => {
  it('turns a page a quarter, half or three quarters clockwise, pixels and darkest channel', () => {
    // 3 × 2: pixel i holds the value i in every channel.
    const rgb = Buffer.from([0, 1, 2, 3, 4, 5].flatMap((v) => [v, v, v]));
    const img = { width: 3, height: 2, rgb, dark: Uint8Array.from([0, 1, 2, 3, 4, 5]) };
    const once = turnDecoded(img, 1);
    expect([once.width, once.height, [...once.dark]]).toEqual([2, 3, [3, 0, 4, 1, 5, 2]]);
    expect([...once.rgb].filter((_, i) => i % 3 === 0)).toEqual([3, 0, 4, 1, 5, 2]);
    const half = turnDecoded(img, 2);
    expect([half.width, half.height, [...half.dark]]).toEqual([3, 2, [5, 4, 3, 2, 1, 0]]);
    const back = turnDecoded(once, 3);
    expect([back.width, back.height, [...back.dark], back.rgb.equals(rgb)]).toEqual([3, 2, [0, 1, 2, 3, 4, 5], true]);
    expect(turnDecoded(img, 0)).toBe(img);
  });

  it('turns pages up to a phone camera photo, never a 50 MP upload (a turn copies the page)', () => {
    expect(turnable({ width: 3000, height: 4000 })).toBe(true);
    expect(turnable({ width: 5000, height: 10_000 })).toBe(false);
  });
});

describe('PP-OCR warm-up', () => {
  it('warms on a page the detector finds lines in, so the recogniser runs before ready()', async () => {
    const engine = await loadPaddleEngine({ threads: 1 });
    try {
      expect((await engine.readLines(warmUpImage())).length).toBeGreaterThanOrEqual(2);
    } finally {
      await engine.close();
    }
  }, 60_000);
});

describe('PP-OCR input sampling', () => {
  it('samples an upright box the same way on its fast path as on the general one', async () => {
    const { sampleInto, DET_NORM } = await import('../../src/engines/health-code/paddle/tensor.js');
    const W = 300;
    const H = 200;
    const img = { width: W, height: H, data: new Uint8Array(W * H * 3).map((_, i) => (i * 37) % 251) };
    const upright = new Float32Array(3 * 64 * 96);
    const general = new Float32Array(3 * 64 * 96);
    sampleInto(img, { x: 10, y: 5 }, { x: 250, y: 0 }, { x: 0, y: 180 }, 96, 64, upright, 0, 96, DET_NORM);
    // A tilt too small to move a sample forces the general path.
    sampleInto(img, { x: 10, y: 5 }, { x: 250, y: 1e-9 }, { x: 0, y: 180 }, 96, 64, general, 0, 96, DET_NORM);
    let worst = 0;
    for (let i = 0; i < upright.length; i++) worst = Math.max(worst, Math.abs(upright[i]! - general[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it('shrinks a page for the detector with libvips much as the sampler does, blue plane first', async () => {
    const { detectorInput } = await import('../../src/engines/health-code/paddle/det-input.js');
    const { sampleInto, DET_NORM } = await import('../../src/engines/health-code/paddle/tensor.js');
    const W = 400;
    const H = 260;
    // Red on the left half, a blue-grey gradient down the right half.
    const data = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 3;
        if (x < W / 2) data.set([230, 20, 20], i);
        else data.set([40, 90, Math.round((255 * y) / H)], i);
      }
    const img = { width: W, height: H, data };
    const [w, h] = [160, 96];
    const shrunk = new Float32Array(3 * w * h);
    const sampled = new Float32Array(3 * w * h);
    await detectorInput(img, w, h, shrunk);
    sampleInto(img, { x: 0, y: 0 }, { x: W, y: 0 }, { x: 0, y: H }, w, h, sampled, 0, w, DET_NORM);
    let sum = 0;
    for (let i = 0; i < shrunk.length; i++) sum += Math.abs(shrunk[i]! - sampled[i]!);
    expect(sum / shrunk.length).toBeLessThan(0.02);
    // Pixel (10, 10) is red: the third plane (R) holds it, the first (B) does not.
    const at = 10 * w + 10;
    expect(shrunk[2 * w * h + at]).toBeCloseTo((230 / 255 - DET_NORM.mean[2]) / DET_NORM.std[2], 2);
    expect(shrunk[at]).toBeCloseTo((20 / 255 - DET_NORM.mean[0]) / DET_NORM.std[0], 2);
  });

  it('lays packed RGB out as planar BGR the way sampling it at its own size does (the detector input libvips shrank)', async () => {
    const { planarInto, sampleInto, DET_NORM } = await import('../../src/engines/health-code/paddle/tensor.js');
    const W = 40;
    const H = 24;
    const img = { width: W, height: H, data: new Uint8Array(W * H * 3).map((_, i) => (i * 53) % 256) };
    const planar = new Float32Array(3 * W * H);
    const sampled = new Float32Array(3 * W * H);
    planarInto(img.data, W, H, planar, DET_NORM);
    sampleInto(img, { x: 0, y: 0 }, { x: W, y: 0 }, { x: 0, y: H }, W, H, sampled, 0, W, DET_NORM);
    let worst = 0;
    for (let i = 0; i < planar.length; i++) worst = Math.max(worst, Math.abs(planar[i]! - sampled[i]!));
    expect(worst).toBeLessThan(1e-5);
    // Blue first: the red of pixel 0 lands in the third plane.
    expect(planar[2 * W * H]).toBeCloseTo((img.data[0]! / 255 - DET_NORM.mean[2]) / DET_NORM.std[2], 5);
  });
});

describe('PP-OCR worker replaced in the middle of a model call', () => {
  it('a recognition over its deadline while onnxruntime runs fails with OcrFailed, and the process and the engine carry on', async () => {
    const bytes = readFileSync(join(FIXTURES, manifest[0]!.file));
    // Deadlines that fall during decoding, detection and recognition of a 1080×2340 page: at
    // least one of them ends a job while a model call is running. Terminating the thread then
    // used to abort the whole process (this test file would die with it).
    for (const timeoutMs of [150, 300, 450]) {
      const engine = createHealthCodeEngine({
        engine: 'paddle',
        workers: 1,
        maxQueue: 2,
        maxPixels: 40_000_000,
        timeoutMs,
      });
      await engine.ready();
      const outcome = await engine.recognize(bytes).then(
        (fields) => fields.Name,
        (err: unknown) => (err as ApiError).code,
      );
      expect(['FailedOperation.OcrFailed', manifest[0]!.truth.Name]).toContain(outcome);
      await engine.close();
    }
  }, 120_000);
});
