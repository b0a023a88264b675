import { type OcrWord, meanConf } from './ocr-words.js';
import { ID_LABEL } from './extract.js';
import { DATE_TIME } from './extract-dates.js';
import { type Box, groupRows, labelEnd, median } from './rows.js';

/** Where the page's reading is worth a second, narrower one: the masked-ID line and unsure rows. Pure. */

/**
 * Where a second, narrower reading pays off: the masked-ID line, read again with a
 * digits-and-'*' whitelist (the Chinese model reads long star runs as 六/大/关 or drops them).
 */
export function refineTargets(words: readonly OcrWord[], pageWidth: number): { id?: Box; idCandidates: Box[] } {
  const rows = groupRows(words);
  const idCandidates: Box[] = [];
  for (const row of rows) {
    const text = row.text.replace(/\s+/g, '');
    if (new RegExp(DATE_TIME.source).test(text) || /\d\s*(?:小时|[hH])/.test(text)) continue;
    const label = labelEnd(row, ID_LABEL);
    const digitWords = row.words.filter(
      (w) => /\d/.test(w.text) && !/^\d{1,2}[:;]\d{2}$/.test(w.text) && (label === undefined || w.x0 >= label - 2),
    );
    // Vertical extent from the words that hold digits (stars make short words; the row's
    // height can be too small), else from the row.
    const tallest = digitWords.length ? digitWords.reduce((a, b) => (b.y1 - b.y0 > a.y1 - a.y0 ? b : a)) : undefined;
    const top = tallest && tallest.y1 - tallest.y0 > row.h ? tallest.y0 : row.y0;
    const bottom = tallest && tallest.y1 - tallest.y0 > row.h ? tallest.y1 : row.y1;
    const h = Math.max(row.h, bottom - top);
    if (label !== undefined) {
      // A labelled line ("证件号码：…"): everything right of the label.
      const x0 = label;
      // To the end of the row: the value may be right-aligned far from its label.
      const x1 = Math.max(Math.max(row.x1, ...digitWords.map((w) => w.x1)) + h, x0 + 8 * h);
      return {
        id: { x0: Math.max(0, x0 - 0.3 * h), y0: top - 0.5 * h, x1: Math.min(pageWidth, x1), y1: bottom + 0.5 * h },
        idCandidates,
      };
    }
    // Unlabelled lines with some digits may hold an ID whose stars were read as junk or
    // dropped: the caller looks for a star run in them by shape.
    // Only the segments that may hold it (digits, or a run of junk where stars were), so a
    // name on the same line stays out of the crop.
    const holders = row.segments.filter(
      (sg) => /\d/.test(sg.text) || ([...sg.text].length >= 4 && meanConf(sg.words) < 40),
    );
    if (holders.length && idCandidates.length < 4) {
      const x0 = Math.min(...holders.map((sg) => sg.x0));
      idCandidates.push({ x0: Math.max(0, x0 - 0.5 * h), y0: top - 0.5 * h, x1: pageWidth, y1: bottom + 0.5 * h });
    }
  }
  return { idCandidates };
}

/**
 * Text the page's reading is unsure of, for a second reading from the original screenshot:
 * short rows where every word is below `maxConf` (small light labels such as 当前场所 at half
 * size come out as one junk character), widened to a few characters and about one line high;
 * and garbled segments (three or more words, mean confidence below 50: 暂无核酸检测记录 read
 * as 握无枝竣检沪记录) in rows without digits, stars or an ID label (masked IDs are read
 * apart). Returns the boxes (source pixels) with the words they would replace; the status bar
 * (top 4 % of the page) is skipped.
 */
export function unsureRows(
  words: readonly OcrWord[],
  pageWidth: number,
  pageHeight: number,
  maxConf = 40,
  maxRows = 4,
): { box: Box; words: OcrWord[] }[] {
  const rows = groupRows(words);
  const confident = rows.filter((r) => r.words.some((w) => w.conf >= 60));
  const lineH = median(confident.map((r) => r.h));
  const out: { box: Box; words: OcrWord[] }[] = [];
  for (const row of rows) {
    if (out.length >= maxRows) break;
    if (row.y0 < 0.04 * pageHeight) continue;
    const hh = Math.max(row.h, lineH);
    const cy = (row.y0 + row.y1) / 2;
    if (row.words.every((w) => w.conf < maxConf) && [...row.text.replace(/\s+/g, '')].length <= 6) {
      const x0 = Math.max(0, row.x0 - 3 * hh);
      const x1 = Math.min(pageWidth, row.x1 + 6 * hh);
      // Not bounded by the neighbours' boxes: tesseract's box of the line below often swallows
      // the faint label. A neighbour's edge caught in the crop makes a reading that is not sure.
      out.push({ box: { x0, y0: cy - 0.75 * hh, x1, y1: cy + 0.75 * hh }, words: row.words });
      continue;
    }
    if (/[\d*]/.test(row.text) || ID_LABEL.test(row.text.replace(/\s+/g, ''))) continue;
    for (const seg of row.segments) {
      if (out.length >= maxRows) break;
      if (seg.words.length < 3 || meanConf(seg.words) >= 50) continue;
      const h = row.h;
      // Garbled text is often read short: a few characters further right, up to the next segment.
      const after = row.segments[row.segments.indexOf(seg) + 1];
      const x1 = Math.min(pageWidth, seg.x1 + 4 * h, after ? after.x0 - 0.3 * h : Infinity);
      out.push({
        box: { x0: Math.max(0, seg.x0 - 0.5 * h), y0: row.y0 - 0.35 * h, x1, y1: row.y1 + 0.35 * h },
        words: seg.words,
      });
    }
  }
  return out;
}
