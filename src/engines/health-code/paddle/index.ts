/**
 * The PP-OCR health-code engine, run inside an OCR worker thread: decode (sharp) → QR code and
 * its colour → text detection (DB) → line recognition (CTC) → layout-free field extraction.
 * See docs/health-code.md.
 */
import { availableParallelism } from 'node:os';
import { ApiError } from '../../../errors/api-error.js';
import { emptyFields, extractFromLines, isHealthCodePage, type TextLine } from '../fields/index.js';
import { restOfRow } from '../fields/lines.js';
import { SELF_MARK, findId, losesSelfMark, mayReplaceName } from '../fields/person.js';
import { findVaccination } from '../fields/status.js';
import {
  evenedDate,
  grownSeconds,
  idRows,
  lostDoseCount,
  lostTileCount,
  nameRoomEnd,
  oneDigitClock,
  oneDigitSeconds,
  rightEdge,
  splitClock,
  tailReach,
  twoDigitHour,
  unevenDate,
  withDigitHeight,
  withHead,
  withLinesFound,
} from './text-lines.js';
import { type Box, type Decoded, decodeImage, isBlank } from '../image.js';
import { locateQrCode, qrColour } from '../qr-code.js';
import { findQrByDecoding, photoQrColour } from '../qr-photo.js';
import { isCommonSurname } from '../surnames.js';
import { isHanChar } from '../text.js';
import { type HealthCodeFields, defaultModelThreads } from '../types.js';
import { DEFAULT_DETECT, type DetectOptions, type TextBox } from './detect.js';
import { type PaddleModels, loadModels } from './models.js';
import { forOcr } from './ocr-pixels.js';
import { quarterTurns, turnDecoded, turnable, warmClassifier } from './orientation.js';
import { withLostStar } from './lost-star.js';
import { pageReads } from './reads.js';
import { recheckInterval } from './interval.js';
import { statusClock, statusTime, timeLine } from './status-clock.js';
import { recheckSurname } from './surname.js';
import { recheckGivenName } from './given-name.js';

export interface PaddleEngineOptions {
  /** onnxruntime threads per model call (intra-op). */
  threads?: number;
  detect?: Partial<DetectOptions>;
  /** Lines per recognition call. */
  batch?: number;
}

export interface PaddleEngine {
  recognize(image: Uint8Array, options: { maxPixels: number }): Promise<HealthCodeFields>;
  /** The text lines of an image (diagnostics and tests). */
  readLines(img: Decoded): Promise<TextLine[]>;
  /** One detection and one recognition on a synthetic page: first-call set-up lands here. */
  warm(): Promise<void>;
  /** No more model calls; resolves once none is running (before the thread is terminated). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function loadPaddleEngine(options: PaddleEngineOptions = {}): Promise<PaddleEngine> {
  const models = await loadModels(options.threads ?? defaultModelThreads(availableParallelism()));
  const detectOptions = { ...DEFAULT_DETECT, ...options.detect };
  const batch = options.batch ?? REC_BATCH;

  const { detectBoxes, readLines, readInkLines, readBand, readSpan, readChoices, readAs, readIdAroundMask } = pageReads(
    models,
    detectOptions,
    batch,
  );

  /** A page, its QR code and its text boxes outside the code. */
  const textBoxes = async (img: Decoded) => {
    const qr = locateQrCode(img);
    const boxes = (await detectBoxes(img)).filter((b) => !insideQr(qr, b));
    return { img, qr, boxes };
  };

  return {
    async recognize(image, { maxPixels }) {
      const decoded = await decodeImage(image, maxPixels);
      if (isBlank(decoded)) throw new ApiError('FailedOperation.ImageNoText');
      // A sideways page (a phone photo stored turned, without its EXIF orientation) is stood upright.
      const arrived = await textBoxes(decoded);
      const quarter = await quarterTurns(models, forOcr(decoded), arrived.boxes);
      let page = quarter ? await textBoxes(turnDecoded(decoded, quarter)) : arrived;
      let lines = await readLines(page.img, page.boxes);
      if ((quarter || lines.length >= TURN_MIN_LINES) && turnable(page.img) && !isHealthCodePage(lines)) {
        // Upside down, or turned the wrong way: read half turned round, then (after a quarter
        // turn) as it arrived; the first that reads as a health code is kept (a page that is none
        // is read two or three times).
        const half = await textBoxes(turnDecoded(page.img, 2));
        for (const again of quarter ? [half, arrived] : [half]) {
          const read = await readLines(again.img, again.boxes);
          if (isHealthCodePage(read)) {
            [page, lines] = [again, read];
            break;
          }
        }
      }
      const { img, qr } = page;
      const fields = lines.length ? extractFromLines(lines) : emptyFields();
      // A second look where the name or the ID is missing: display fonts, faint grey IDs.
      const detected = lines;
      let found: TextLine[] | undefined;
      if (!fields.Name || !fields.IDNumber) {
        found = await readInkLines(img, lines, qr);
        if (found.length) {
          lines = [...lines, ...found];
          // What it found fills the fields left empty; a field the detected lines gave stays (a
          // glyph's edge the detector's box cut off, read on its own, is no better name).
          const again = extractFromLines(lines);
          for (const key of Object.keys(fields) as (keyof HealthCodeFields)[]) fields[key] ||= again[key];
        }
      }
      if (lines.length === 0) throw new ApiError('FailedOperation.ImageNoText');
      // A QR code clearly green, yellow or red makes a health code too, no word of one read (a
      // brush face at a small scale).
      const colour = qr ? qrColour(img, qr) : '';
      if (!isHealthCodePage(lines) && !colour) return emptyFields();
      if (fields.Time === '') {
        // A date-time split into boxes, one of them misread (a box lost between 2022年1 and
        // 09:43:37; 10-20 19: and 14:14 read as L4:14), or cut after its month with the rest not
        // boxed at all: the row read again as one band.
        const split = splitClock(lines);
        if (split) {
          const { anchor, row, reach } = split;
          const all = [anchor, ...row];
          const band = reach === undefined ? await readSpan(img, all, anchor.h) : await readBand(img, anchor, reach);
          const time = band
            ? extractFromLines([...lines.filter((l) => !all.includes(l)), { ...band, h: anchor.h }]).Time
            : '';
          if (time) fields.Time = time;
        }
      }
      if (fields.Time === '') {
        // A big bold clock the detector found only a piece of (`11`; its `-14 11:58:28` found by
        // its ink): the time alone taken from the lines detected with what the ink look found
        // joined to them as fragments (joined, a name's line and a piece found beside it no
        // longer read as a name).
        found ??= await readInkLines(img, detected, qr);
        if (found.length) fields.Time = extractFromLines(withLinesFound(detected, found)).Time;
      }
      if (fields.Time === '') {
        // A clock whose seconds lost a digit (`11:22:0` of a dark card's `11:22:07`: the box cut
        // at its last digit): read again with 0.3 of its height of room either side; taken when
        // its seconds then have two digits, the first the one first read, its hour and minutes
        // the same.
        const clock = oneDigitSeconds(lines);
        const again = clock && (await readSpan(img, [clock], clock.h));
        if (again && grownSeconds(clock.text, again.text))
          fields.Time = fieldsWith(lines, new Map([[clock, again]])).Time;
      }
      if (fields.Time) {
        // A display face's tight 07 read as one digit (07:59:41 as 0:59:41): the clock the time
        // came from, its hour one digit, read again sampled twice as wide; taken only when the
        // minutes and seconds read the same and the hour makes two digits of a day's hour.
        const clock = oneDigitClock(lines, fields.Time);
        const again = clock && (await readSpan(img, [clock], clock.h, CLOCK_STRETCH));
        if (again && twoDigitHour(again.text, fields.Time)) {
          const time = fieldsWith(lines, new Map([[clock, again]])).Time;
          // Only the hour may change: the same date, minutes and seconds.
          if (time.slice(0, 6) === fields.Time.slice(0, 6) && time.slice(-6) === fields.Time.slice(-6))
            fields.Time = time;
        }
      }
      // A date read with a digit of its month, day or hour lost (`2021-1-27`, `2022-2-22 6:22:03`:
      // a narrow 1 dropped, two 1s read as one): its line read again sampled twice as wide, as the
      // clock above; taken when a part of one digit then has a 1 beside it and the rest reads the
      // same. A date field the new reading changes is taken (one the rules above mended and the
      // new reading leaves alone stays).
      const again = new Map<TextLine, TextLine>();
      for (const line of lines.filter((l) => unevenDate(l.text)).slice(0, UNEVEN_DATES_READ)) {
        const read = await readSpan(img, [line], line.h, CLOCK_STRETCH);
        if (read && evenedDate(line.text, read.text)) again.set(line, read);
      }
      if (again.size) {
        const before = extractFromLines(lines);
        const dated = fieldsWith(lines, again);
        for (const key of ['Time', 'TestingTime', 'VaccinationTime'] as const)
          if (dated[key] && dated[key] !== before[key]) fields[key] = dated[key];
      }
      // The time's hour or minutes misread in a digit (a display face's 7 read as 1): where the
      // phone's clock in the status bar shows another, the time's line is read again with room,
      // and the status bar's taken when that reading gives it (status-clock.ts). After the dates
      // above, which may take the time from the lines again.
      const status = fields.Time ? statusClock(lines, img.height) : undefined;
      if (status && fields.Time.slice(6, 11) !== status) {
        const line = timeLine(lines, fields.Time);
        const read = line && (await readBand(img, line, line.x1 + 0.25 * line.h));
        const time = read && statusTime(fields.Time, status, read.text);
        if (time) fields.Time = time;
      }
      if (fields.Vaccination === '') {
        // A count of doses lost before its unit (`已接种针` for `已接种1针`: a narrow 1 against 针):
        // its line read again sampled twice as wide, as the clock above; taken when it then
        // reads as a state.
        const line = lines.find((l) => lostDoseCount(l.text));
        const read = line && (await readSpan(img, [line], line.h, CLOCK_STRETCH));
        if (read) fields.Vaccination = findVaccination([{ ...read, h: line.h }]).value;
      }
      if (fields.Vaccination === '') {
        // A tile's count lost beside, under or over its label 已接种 (`1针` read `计`): the value
        // read again sampled twice as wide, as the clock above; taken when it then reads as a
        // count and its unit, in the value's own place.
        const value = lostTileCount(lines);
        const read = value && (await readSpan(img, [value], value.h, CLOCK_STRETCH));
        if (read)
          fields.Vaccination = fieldsWith(
            lines,
            new Map([[value, { ...value, text: read.text, score: read.score }]]),
          ).Vaccination;
      }
      if (!fields.Name.includes('*')) {
        // A masked name whose star the recogniser dropped (`胡的健康码`, `持码人:张`, `方文`), the
        // star seen in the pixels: taken where the page gave no name or the same one without it.
        const rgb = forOcr(img);
        const mended = lines.map((l) => withLostStar(rgb, l) ?? l);
        // The fields are taken again only when a line got its star back (most pages: none).
        const name = mended.some((l, i) => l !== lines[i]) ? extractFromLines(mended).Name : '';
        if (name.includes('*') && (fields.Name === '' || name.replace('*', '') === fields.Name)) fields.Name = name;
      }
      if (fields.Name === '' || fields.Name.startsWith('*') || /^[^*]\*$/.test(fields.Name)) {
        // A masked name whose box was clipped (a bold surname cut off, a thin 一 after the star
        // left out) or whose star was lost: its line read again with room on both sides.
        // Lines with a star, a greeting or the 本人 mark first; then a lone character (a surname
        // whose small star the detector left out).
        const marked = (l: TextLine) => /\*/.test(l.text) || GREETING.test(l.text) || SELF_MARK.test(l.text);
        const candidates = lines
          .filter((l) => (marked(l) || isHanChar(l.text)) && !/\d/.test(l.text))
          .sort((a, b) => Number(marked(b)) - Number(marked(a)) || b.h - a.h)
          .slice(0, 3);
        const again = new Map<TextLine, TextLine>();
        for (const line of candidates) {
          const end = nameRoomEnd(lines, line);
          let band = await readBand(img, line, end, 1.2);
          // Still no character before a star: read once more padded, as PaddleOCR pads a line (a
          // bold `孟*` read alone at its own width came out as `*`), taken with a common surname.
          if (!band || !HAN_BEFORE_STAR.test(band.text)) {
            const padded = await readBand(img, line, end, 1.2, true);
            const surname = padded && HAN_BEFORE_STAR.exec(padded.text)?.[1];
            if (surname && isCommonSurname(surname)) band = padded;
          }
          // A reading that lost the 本人 mark the line had (`黄杰(本人)` read again `黄杰(本`)
          // would let another member's tab stand for the name: the line stays as first read.
          if (band && !losesSelfMark(line.text, band.text)) again.set(line, band);
        }
        const name = again.size ? fieldsWith(lines, again).Name : '';
        if (name && !name.startsWith('*') && mayReplaceName(fields.Name, name)) fields.Name = name;
        else if (fields.Name.startsWith('*')) fields.Name = '';
      }
      const asRead = fields.Name;
      if (fields.Name) fields.Name = await recheckSurname(fields.Name, lines, img, readChoices);
      if (fields.Name) fields.Name = await recheckGivenName(fields.Name, lines, img, readChoices, asRead);
      if (fields.TestingInterval === '' && fields.TestingResult !== '暂无核酸检测记录')
        fields.TestingInterval = await recheckInterval(lines, img, readChoices, readAs);
      // The ID is read around its mask wherever one is found in the pixels: digits next to a
      // star run are misread or dropped in a whole-line reading (a display font's 1 as /, 9X as X).
      const pageRight = rightEdge(lines, img.width);
      for (const line of idRows(lines).slice(0, 3)) {
        // A box that lost its head digits (its stars first, or after a stray mark: `)***…1`): they
        // are in the box just before it on the row when that ends in digits, else looked for a few
        // glyphs left (never into the box before).
        const wide = withHead(lines, line);
        // The row's own boxes bound the search: past them lie other columns, a phone's bezel.
        const end = Math.min(img.width, Math.max(line.x1, ...restOfRow(lines, line).map((l) => l.x1)) + line.h);
        let id = await readIdAroundMask(img, wide, end);
        // A box that lost its tail digits (its stars last, or before a stray mark:
        // `**************A`; or its whole mask: `证件号:53`) with nothing after it on its row:
        // the mask looked for again with the band reaching the page's text edge. Only then: an
        // icon past the box (an eye toggle) changes what the band's glyphs look like. (The band
        // read below reaches as far but reads the row as one line, which misreads the digits
        // next to a star run.)
        const reach = id ? 0 : tailReach(lines, line, pageRight);
        if (reach > end) id = await readIdAroundMask(img, wide, reach);
        // A box of stars only, no ID around it: its band again as tall as the digits would be.
        const tall = id ? undefined : withDigitHeight(wide);
        if (tall) id = await readIdAroundMask(img, tall, end);
        if (id) {
          fields.IDNumber = id;
          break;
        }
      }
      if (fields.IDNumber === '') {
        // Star runs are small and faint: where a row holds an ID label or a starred number but
        // no whole ID was read, read the row again as one band from its first box to the
        // page's right text edge.
        // A long star run can swallow the digits after it in one reading, so the band's two
        // halves are read on their own as well (they overlap in the stars).
        for (const row of idRows(lines).slice(0, 2)) {
          // A box that starts with its stars is read from its head digits on.
          const line = withHead(lines, row);
          const band = await readBand(img, line, pageRight);
          let id = band ? findId([band]) : '';
          if (!id && band) {
            const cut = (f: number) => band.x0 + f * (band.x1 - band.x0);
            const head = await readBand(img, line, cut(0.6));
            const tail = await readBand(img, { ...line, x0: cut(0.4) }, pageRight, 0);
            if (head && tail) id = findId([{ ...band, text: `${head.text}  ${tail.text}` }]);
          }
          if (id) {
            fields.IDNumber = id;
            break;
          }
        }
      }
      fields.Color = colour;
      if (!fields.Color) {
        // A photo of a screen: the code may be tilted (found by decoding it) and its modules
        // lifted by glare (colour from the most saturated pixels).
        const found = (await findQrByDecoding(img).catch(() => undefined)) ?? qr;
        if (found) fields.Color = qrColour(img, found) || photoQrColour(img, found);
      }
      return fields;
    },
    readLines: (img) => readLines(img),
    async warm() {
      const page = warmUpImage();
      await readLines(page);
      await warmClassifier(models, forOcr(page));
    },
    stop: () => models.stop(),
    async close() {
      await Promise.allSettled([models.det.release(), models.rec.release(), models.cls.release()]);
    },
  };
}

/**
 * Lines per recognition call. One: on this CPU a batch is padded to its widest line and the
 * padding costs more than the batching saves (17 lines of a 1080×2340 page: 228 ms one by one,
 * 287 ms in sixes, 694 ms in one batch).
 */
const REC_BATCH = 1;

/** The fields of `lines` with some of them read again in their places, each reading keeping its line's height. */
function fieldsWith(lines: readonly TextLine[], again: ReadonlyMap<TextLine, TextLine>): HealthCodeFields {
  return extractFromLines(
    lines.map((l) => {
      const read = again.get(l);
      return read ? { ...read, h: l.h } : l;
    }),
  );
}

/** The clock read again is sampled this many times wider than its shape (as the ID's digits: tight digits stay apart). */
const CLOCK_STRETCH = 2;
/** Uneven dates read again a page at most (a page shows the code's, a test's and a vaccination's). */
const UNEVEN_DATES_READ = 3;

/** Fewer lines than this are no page to read again half turned (a logo, a word). */
const TURN_MIN_LINES = 3;

/** Whether a box's centre lies in the QR code: text "found" in its modules is noise. */
function insideQr(qr: Box | undefined, b: TextBox): boolean {
  if (!qr) return false;
  const cx = (b.quad[0].x + b.quad[2].x) / 2;
  const cy = (b.quad[0].y + b.quad[2].y) / 2;
  return cx > qr.x && cx < qr.x + qr.w && cy > qr.y && cy < qr.y + qr.h;
}

/** A greeting holds the name (您好，王*一): its line is read again when the name was lost in it. */
const GREETING = /您好|你好|欢迎/;
/** A character before a star: a masked name's surname was read. */
const HAN_BEFORE_STAR = /([\u3400-\u9fff])\*/;
/**
 * A white page of a phone screenshot's size with two rows of dark glyph-like blocks. The size is
 * the point: a detection at a size onnxruntime has not met grows its buffers first (a 1080×2340
 * page's 640×1376 detection took 430 ms the first time, 130–150 ms after), and warming at the size
 * most uploads have puts that before `ready()` instead of on the first request.
 */
export function warmUpImage(): Decoded {
  const width = 1080;
  const height = 2340;
  // Two rows of small hatched blocks in the top left: the detector reads them as two lines (a
  // unit test holds that), so the recogniser runs too.
  const rgb = Buffer.alloc(width * height * 3, 255);
  for (let row = 0; row < 2; row++) {
    for (let g = 0; g < 8; g++) {
      for (let y = 30 + row * 60; y < 60 + row * 60; y++) {
        for (let x = 20 + g * 36; x < 44 + g * 36; x++)
          if ((x + y) % 7 < 4) rgb.fill(0, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
  }
  return { width, height, rgb, dark: new Uint8Array(width * height) };
}

export type { PaddleModels };
