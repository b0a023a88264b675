/** Words as tesseract reports them, in the uploaded image's pixel coordinates. */

export interface OcrWord {
  text: string;
  /** 0–100, tesseract's word confidence. */
  conf: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Tesseract's line this word belongs to (block·paragraph·line), for grouping. */
  line: string;
}

/** Mean word confidence (0 for no words). */
export function meanConf(words: readonly OcrWord[]): number {
  return words.reduce((a, w) => a + w.conf, 0) / Math.max(1, words.length);
}

/**
 * Parses tesseract's TSV output (level page block par line word left top width height conf text),
 * keeping word rows (level 5) with text. Coordinates are divided by `scale` (the OCR image's
 * pixels per source pixel) and offset by (`dx`, `dy`) when the OCR image was a crop.
 */
export function parseTsv(tsv: string, scale = 1, dx = 0, dy = 0): OcrWord[] {
  const words: OcrWord[] = [];
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols.length < 12 || cols[0] !== '5') continue;
    const text = cols.slice(11).join('\t').trim();
    if (!text) continue;
    const left = Number(cols[6]);
    const top = Number(cols[7]);
    const width = Number(cols[8]);
    const height = Number(cols[9]);
    words.push({
      text,
      conf: Number(cols[10]),
      x0: left / scale + dx,
      y0: top / scale + dy,
      x1: (left + width) / scale + dx,
      y1: (top + height) / scale + dy,
      line: `${cols[2]}.${cols[3]}.${cols[4]}`,
    });
  }
  return words;
}
