import { ApiError } from '../../errors/api-error.js';
import { emptyFields, extractFields } from './extract.js';
import { parseSpotLine, spotLine } from './extract-spot.js';
import { chooseName, nameLine, nameSettled, parseNameLine, surnameChoices } from './names.js';
import { isCommonSurname } from './surnames.js';
import type { Box } from './rows.js';
import { refineTargets, unsureRows } from './targets.js';
import { cropOriginal, cropPage, maskedIdParts, spacedGlyphs } from './crops.js';
import { type Box as PageBox, type Decoded, decodeImage, isBlank } from './image.js';
import { DEFAULT_PAGE_OPTIONS, type OcrPage, type OcrPageOptions, ocrPage } from './page.js';
import { locateQrCode, qrColour } from './qr-code.js';
import { type OcrWord, meanConf, parseTsv } from './ocr-words.js';
import { HEALTH_CODE_WORDS, type HealthCodeFields } from './types.js';
import type { OcrModel } from './tesseract.js';

/**
 * One screenshot through the whole engine: decode → QR code and its colour → OCR page (ink
 * tones) → tesseract (sparse text) → unsure rows read again from the original → a second
 * reading of the masked ID's digits → field extraction → a surname re-check → the name's line
 * and a place name's line read again from the original. The OCR calls go through `read`, so
 * the worker pool (and tests) decide where they run. See docs/health-code.md.
 */

/** Reads a PBM or PGM with one of a worker's models (default: the page model): `params` are tesseract variables for this call only; returns TSV (or hOCR). */
export type OcrReader = (
  image: Uint8Array,
  params: Record<string, string>,
  output?: 'tsv' | 'hocr',
  model?: OcrModel,
) => Promise<string>;

export interface PipelineOptions {
  maxPixels: number;
  page?: OcrPageOptions;
  /** Diagnostics: sees the words of both passes (bench and tools). */
  onWords?: (words: readonly OcrWord[], idWords: readonly OcrWord[] | undefined) => void;
}

/** Tesseract variables for the full-page pass: sparse text finds labels and values scattered over the page. */
export const PAGE_PARAMS: Record<string, string> = { tessedit_pageseg_mode: '11' };
/** The masked-ID line: one line, digits, '*' and 'X' only. */
export const ID_PARAMS: Record<string, string> = {
  tessedit_pageseg_mode: '7',
  tessedit_char_whitelist: '0123456789*X',
};
/** The name line again, with the LSTM's alternatives per character (hOCR). */
export const CHOICE_PARAMS: Record<string, string> = { tessedit_pageseg_mode: '11', lstm_choice_mode: '2' };
/** One glyph, no whitelist (see DIGIT_LOOKALIKES). */
export const SINGLE_GLYPH_PARAMS: Record<string, string> = { tessedit_pageseg_mode: '10' };
/** What the Chinese model answers for a lone digit glyph that is not a digit. */
const DIGIT_LOOKALIKES: Record<string, string> = {
  工: '1',
  T: '1',
  I: '1',
  l: '1',
  '|': '1',
  ']': '1',
  了: '7',
  Z: '2',
  z: '2',
  S: '5',
  s: '5',
  O: '0',
  o: '0',
  D: '0',
  B: '8',
  g: '9',
  q: '9',
  x: 'X',
};
/** The digit groups either side of the stars. */
export const DIGITS_PARAMS: Record<string, string> = {
  tessedit_pageseg_mode: '7',
  tessedit_char_whitelist: '0123456789X',
};

/**
 * The masked ID, read a second time: stars located by shape and only the digit groups either
 * side read (digit whitelist); for a labelled line without a recognisable star run, the whole
 * line with a digits-and-'*' whitelist. Returns pseudo-words for the extraction, or undefined.
 */
async function readMaskedId(
  words: readonly OcrWord[],
  page: OcrPage,
  pageWidth: number,
  read: OcrReader,
): Promise<OcrWord[] | undefined> {
  const targets = refineTargets(words, pageWidth);
  const s = page.scale;
  const toPage = (b: Box) => ({ x0: b.x0 * s, y0: b.y0 * s, x1: b.x1 * s, y1: b.y1 * s });
  const readPart = async (glyphs: PageBox[]): Promise<string> => {
    const x0 = Math.min(...glyphs.map((g) => g.x));
    const y0 = Math.min(...glyphs.map((g) => g.y));
    const x1 = Math.max(...glyphs.map((g) => g.x + g.w));
    const y1 = Math.max(...glyphs.map((g) => g.y + g.h));
    const text = (tsv: string) =>
      parseTsv(tsv)
        .map((w) => w.text)
        .join('');
    const whole = text(
      await read(cropPage(page, { x0: x0 - 1, y0: y0 - 1, x1: x1 + 1, y1: y1 + 1 }, y1 - y0, 2), DIGITS_PARAMS),
    );
    if (whole.length === glyphs.length) return whole;
    // One character per glyph expected: identical neighbours ("11") can merge into one;
    // read them again pulled apart.
    const spaced = text(await read(spacedGlyphs(page, glyphs), DIGITS_PARAMS));
    if (spaced.length === glyphs.length) return spaced;
    // Last resort, glyph by glyph without the whitelist: in this model a lone "1" comes out
    // as 工 or T and is dropped by the whitelist, so look-alikes are mapped back.
    let each = '';
    for (const glyph of glyphs) {
      const raw = text(await read(spacedGlyphs(page, [glyph]), SINGLE_GLYPH_PARAMS)).trim();
      const digit = raw.length === 1 ? (/[\dX]/.test(raw) ? raw : DIGIT_LOOKALIKES[raw]) : undefined;
      if (!digit) return whole;
      each += digit;
    }
    return each;
  };
  for (const target of targets.id ? [targets.id] : targets.idCandidates) {
    const box = toPage(target);
    // Without a label, ask for a longer star run: quotes and dots must not pass for a mask.
    const parts = maskedIdParts(page, box, targets.id ? 2 : 5);
    if (parts) {
      const { head, tail } = parts;
      // Both digit groups in one line, the stars blanked out: the model reads digits best with
      // their neighbours; the glyph counts say where the head ends.
      const all = [...head, ...tail];
      const x0 = Math.min(...all.map((g) => g.x)) - 1;
      const y0 = Math.min(...all.map((g) => g.y)) - 1;
      const x1 = Math.max(...all.map((g) => g.x + g.w)) + 1;
      const y1 = Math.max(...all.map((g) => g.y + g.h)) + 1;
      const line = parseTsv(await read(cropPage(page, { x0, y0, x1, y1 }, y1 - y0, 2, all), DIGITS_PARAMS))
        .map((w) => w.text)
        .join('');
      let text: string;
      if (line.length === all.length) text = `${line.slice(0, head.length)}**************${line.slice(head.length)}`;
      else text = `${await readPart(head)}**************${await readPart(tail)}`;
      return [{ conf: 100, ...target, line: 'id', text }];
    }
    if (targets.id) {
      const margin = 8;
      return parseTsv(
        await read(cropPage(page, box, margin), ID_PARAMS),
        s,
        target.x0 - margin / s,
        target.y0 - margin / s,
      );
    }
  }
  return undefined;
}

/**
 * Bold display names are where the model errs most (秦→素, 曹→草). When the surname read is not
 * a common one, the name line is read again with the LSTM's alternatives and the most likely
 * alternative that is a common surname is taken; otherwise the first reading stands.
 */
async function recheckSurname(
  name: string,
  words: readonly OcrWord[],
  page: OcrPage,
  read: OcrReader,
): Promise<string> {
  const first = [...name][0]!;
  // The surname's word: it holds the star itself, or a star follows it on the same line.
  const word = words.find((w) => {
    if (!w.text.includes(first)) return false;
    if (w.text.includes('*')) return true;
    const h = w.y1 - w.y0;
    return words.some((x) => x.text.includes('*') && Math.abs(x.y0 - w.y0) < h && x.x0 >= w.x0 && x.x0 - w.x1 < 2 * h);
  });
  if (!word) return name;
  const h = word.y1 - word.y0;
  const s = page.scale;
  const box = {
    x0: (word.x0 - 1.5 * h) * s,
    y0: (word.y0 - 0.6 * h) * s,
    x1: (word.x1 + 3 * h) * s,
    y1: (word.y1 + 0.6 * h) * s,
  };
  const hocr = await read(cropPage(page, box, Math.round(h * s)), CHOICE_PARAMS, 'hocr');
  const alternatives = surnameChoices(hocr);
  const better = alternatives.find((c) => isCommonSurname(c));
  return better ? better + name.slice(first.length) : name;
}

/** The name's line, one line of text. */
export const LINE_PARAMS: Record<string, string> = { tessedit_pageseg_mode: '7' };
/**
 * Text heights (pixels) the name's line is read at, cropped from the original screenshot;
 * 0 = its own size. Each reading errs on other glyphs, so several readings vote.
 */
export const NAME_TEXT_HEIGHTS = [0, 40, 56];

/**
 * Bold display names suffer most from the page's preprocessing (磊→舌, 熙→巾): the name's line
 * is cropped from the original screenshot (darkest channel, not binarised) and read again as
 * one line at a few sizes; the readings and the page's vote (chooseName).
 */
async function rereadName(name: string, words: readonly OcrWord[], img: Decoded, read: OcrReader): Promise<string> {
  const box = nameLine(words, name);
  if (!box) return name;
  const lineHeight = (box.y1 - box.y0) / 1.6;
  const readings = [name];
  for (const [i, textHeight] of NAME_TEXT_HEIGHTS.entries()) {
    // Stop as soon as the readings left cannot change the vote (the usual case: the first
    // crop agrees with the page).
    if (nameSettled(readings, NAME_TEXT_HEIGHTS.length - i)) break;
    const crop = await cropOriginal(img, box, textHeight || lineHeight, lineHeight);
    readings.push(parseNameLine(parseTsv(await read(crop.image, LINE_PARAMS, 'tsv', 'line'))));
  }
  return chooseName(readings);
}

/** Text height (pixels) an unsure row is read again at. */
export const UNSURE_TEXT_HEIGHT = 40;
/** Mean word confidence a second reading of an unsure row needs to replace it. */
export const UNSURE_MIN_CONF = 70;

/**
 * Rows the page's reading is unsure of (unsureRows: small light labels) read again, one line
 * cropped from the original screenshot and enlarged; a confident reading with Chinese text
 * replaces the row's words.
 */
async function rereadUnsure(words: OcrWord[], img: Decoded, read: OcrReader): Promise<OcrWord[]> {
  let out = words;
  for (const { box, words: unsure } of unsureRows(words, img.width, img.height)) {
    const crop = await cropOriginal(img, box, UNSURE_TEXT_HEIGHT, (box.y1 - box.y0) / 1.6);
    const again = parseTsv(await read(crop.image, LINE_PARAMS), crop.scale, crop.dx, crop.dy);
    const conf = meanConf(again);
    if (!again.length || conf < UNSURE_MIN_CONF || !/[\u4e00-\u9fff]/.test(again.map((w) => w.text).join(''))) continue;
    out = [...out.filter((w) => !unsure.includes(w)), ...again.map((w) => ({ ...w, line: `again.${w.line}` }))];
  }
  return out;
}

/** Mean word confidence a place name read again from its own line needs to replace the page's. */
export const SPOT_MIN_CONF = 80;

/**
 * A place name on its own line (bold, like names) read again from the original screenshot at
 * its own size by both models; the more confident of the confident readings replaces the page's.
 */
async function rereadSpot(spot: string, words: readonly OcrWord[], img: Decoded, read: OcrReader): Promise<string> {
  const box = spotLine(words);
  if (!box) return spot;
  const lineHeight = (box.y1 - box.y0) / 1.7;
  const crop = await cropOriginal(img, box, lineHeight, lineHeight);
  // Both models read it (each is surer on other glyphs); the surer confident reading wins.
  let best = { value: spot, conf: SPOT_MIN_CONF };
  for (const model of ['line', 'page'] as const) {
    const again = parseTsv(await read(crop.image, LINE_PARAMS, 'tsv', model));
    const conf = meanConf(again);
    const value = parseSpotLine(again);
    if (value && conf >= best.conf) best = { value, conf };
  }
  return best.value;
}

export interface PipelineTimings {
  decodeMs: number;
  ocrMs: number;
  totalMs: number;
}

export async function recognizeHealthCode(
  bytes: Uint8Array,
  read: OcrReader,
  options: PipelineOptions,
  timings?: PipelineTimings,
): Promise<HealthCodeFields> {
  const t0 = performance.now();
  const img = await decodeImage(bytes, options.maxPixels);
  if (isBlank(img)) throw new ApiError('FailedOperation.ImageNoText');
  const qr = locateQrCode(img);
  const colour = qr ? qrColour(img, qr) : '';
  const page = await ocrPage(img, qr, options.page ?? DEFAULT_PAGE_OPTIONS);
  const t1 = performance.now();
  const firstWords = parseTsv(await read(page.image, PAGE_PARAMS), page.scale);
  const readable = firstWords.filter((w) => w.conf >= 50 && /[\u4e00-\u9fff0-9A-Za-z]/.test(w.text));
  if (readable.length === 0) throw new ApiError('FailedOperation.ImageNoText');

  const words = await rereadUnsure(firstWords, img, read);
  const idWords = await readMaskedId(words, page, img.width, read);
  const t2 = performance.now();
  if (timings) {
    timings.decodeMs = t1 - t0;
    timings.ocrMs = t2 - t1;
    timings.totalMs = t2 - t0;
  }
  options.onWords?.(words, idWords);
  const text = words.map((w) => w.text).join('');
  if (!colour && !HEALTH_CODE_WORDS.test(text.replace(/\s+/g, ''))) return emptyFields();
  const fields = extractFields(words, { id: idWords });
  fields.Color = colour;
  if (fields.Name && !isCommonSurname(fields.Name)) fields.Name = await recheckSurname(fields.Name, words, page, read);
  fields.Name = await rereadName(fields.Name, words, img, read);
  if (fields.SpotName) fields.SpotName = await rereadSpot(fields.SpotName, words, img, read);
  return fields;
}
