/**
 * A second, classical look for text the detector missed (display fonts, faint grey on dark,
 * tiny star runs): on a reduced grey copy, pixels clearly darker than their block's background
 * (inside a coloured or a dark area, clearly lighter or darker: white text on a header, a page
 * in dark mode) that no detected
 * box covers are grouped into components, and components side by side on one
 * row into line candidates. Screenshots have flat backgrounds, so this finds what is there;
 * the recogniser then decides whether it is text (its score filters icons and noise).
 */
import { type Comp, components } from './components.js';
import type { Quad } from './geometry.js';
import type { Rgb } from './tensor.js';

/** Work at most this wide: glyphs of body text stay a few pixels tall. */
const WORK_WIDTH = 540;
/** Background blocks (work pixels). */
const BLOCK = 24;
/** Ink: this much darker than the block's background (lighter or darker, in a coloured or dark area). */
const INK_CONTRAST = 48;
/** A block's paper is coloured when at least half its pixels' strongest and weakest channels differ by this much. */
const COLOURED_PAPER = 60;
/** A block whose median brightness is below this is dark paper (dark mode's greys are 0–60; a light page's paper is 200 and up). */
const DARK_PAPER = 96;
/** A band whose darkest column is less than this below its paper holds no ink. */
const MIN_SPAN_RANGE = 24;
/** Components of one line are at most this many of their heights apart. */
const JOIN_GAP = 1.2;
/**
 * A lone component is a line candidate when this many times as wide as tall: not a square icon or
 * glyph, but a surname and its star blurred into one blob (`陶*` in a photo: 1.38–1.42) or
 * touching (a condensed face's `严*`: 1.2).
 */
const LONE_PART_ASPECT = 1.15;
/** A line read covers its box and this many of its heights around it (the glyphs' anti-aliased edges). */
const COVER_MARGIN = 0.15;

/** Line candidates (quads in image pixels) in regions outside `covered` (image-pixel rectangles). */
export function inkLines(img: Rgb, covered: readonly Comp[]): Quad[] {
  return linesOutside(inkMap(img), covered);
}

/** The page's ink on a reduced grey copy (`s`: work pixels per image pixel), before any cover. */
interface InkMap {
  ink: Uint8Array;
  w: number;
  h: number;
  s: number;
  width: number;
  height: number;
}

function inkMap(img: Rgb): InkMap {
  const s = Math.min(1, WORK_WIDTH / img.width);
  const w = Math.max(1, Math.round(img.width * s));
  const h = Math.max(1, Math.round(img.height * s));
  const grey = new Uint8Array(w * h);
  const chroma = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1, Math.floor((y + 0.5) / s));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1, Math.floor((x + 0.5) / s));
      const i = (sy * img.width + sx) * 3;
      grey[y * w + x] = luma(img.data, i);
      const r = img.data[i]!;
      const g = img.data[i + 1]!;
      const b = img.data[i + 2]!;
      chroma[y * w + x] = Math.max(r, g, b) - Math.min(r, g, b);
    }
  }
  // Per block: its 90th-percentile brightness (the paper behind dark ink), its median brightness
  // and whether at least half its pixels are strongly coloured (a coloured header or card).
  const bw = Math.ceil(w / BLOCK);
  const bh = Math.ceil(h / BLOCK);
  const bg = new Uint8Array(bw * bh);
  const mid = new Uint8Array(bw * bh);
  const coloured = new Uint8Array(bw * bh);
  const hist = new Uint32Array(256);
  const tints = new Uint32Array(256);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      hist.fill(0);
      tints.fill(0);
      let n = 0;
      for (let y = by * BLOCK; y < Math.min(h, (by + 1) * BLOCK); y++) {
        for (let x = bx * BLOCK; x < Math.min(w, (bx + 1) * BLOCK); x++, n++) {
          hist[grey[y * w + x]!]!++;
          tints[chroma[y * w + x]!]!++;
        }
      }
      bg[by * bw + bx] = fromTop(hist, 0.1 * n);
      mid[by * bw + bx] = fromTop(hist, 0.5 * n);
      coloured[by * bw + bx] = fromTop(tints, 0.5 * n) >= COLOURED_PAPER ? 1 : 0;
    }
  }
  // Inside a coloured area (the block and every block around it coloured), the paper is the
  // block's median and ink is what differs from it either way: white text on a green or yellow
  // header. So in a dark area (the block and every block around it with a dark median — a bold
  // glyph fills a block or two, never an area): light text on a page in dark mode or a dark
  // card, dark text in a dim photo of a light page. Elsewhere, ink is what is clearly darker
  // than the block's paper.
  const allAround = (bx: number, by: number, test: (b: number) => boolean) => {
    for (let y = Math.max(0, by - 1); y <= Math.min(bh - 1, by + 1); y++)
      for (let x = Math.max(0, bx - 1); x <= Math.min(bw - 1, bx + 1); x++) if (!test(y * bw + x)) return false;
    return true;
  };
  const tinted = new Uint8Array(bw * bh);
  const darkPaper = new Uint8Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      tinted[by * bw + bx] = allAround(bx, by, (b) => coloured[b] === 1) ? 1 : 0;
      darkPaper[by * bw + bx] = allAround(bx, by, (b) => mid[b]! < DARK_PAPER) ? 1 : 0;
    }
  }
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const b = Math.floor(y / BLOCK) * bw + Math.floor(x / BLOCK);
      const v = grey[y * w + x]!;
      const contrast = tinted[b] || darkPaper[b] ? Math.abs(v - mid[b]!) : bg[b]! - v;
      if (contrast > INK_CONTRAST) ink[y * w + x] = 1;
    }
  }
  return { ink, w, h, s, width: img.width, height: img.height };
}

/** The value at which `count` of a histogram's entries lie at or above it. */
function fromTop(hist: Uint32Array, count: number): number {
  let v = hist.length - 1;
  for (let acc = hist[v]!; v > 0 && acc < count; acc += hist[v]!) v--;
  return v;
}

/** Line candidates in the ink of `map` outside `covered` (image-pixel rectangles). */
function linesOutside(map: InkMap, covered: readonly Comp[]): Quad[] {
  const { w, h, s } = map;
  const ink = map.ink.slice();
  for (const c of covered) {
    const x0 = Math.max(0, Math.floor(c.x0 * s));
    const x1 = Math.min(w, Math.ceil(c.x1 * s));
    for (let y = Math.max(0, Math.floor(c.y0 * s)); y < Math.min(h, Math.ceil(c.y1 * s)); y++)
      ink.fill(0, y * w + x0, y * w + x1);
  }
  const comps = components(ink, w, h).filter((c) => {
    const ch = c.y1 - c.y0;
    const cw = c.x1 - c.x0;
    // Glyph-sized: not a speck, not a card edge or a picture.
    return ch >= 4 && ch <= 60 && cw <= 8 * ch && cw * ch >= 12;
  });
  return joinIntoLines(comps).map((l) => {
    const pad = 0.2 * (l.y1 - l.y0);
    const x0 = Math.max(0, (l.x0 - pad) / s);
    const y0 = Math.max(0, (l.y0 - pad) / s);
    const x1 = Math.min(map.width, (l.x1 + pad) / s);
    const y1 = Math.min(map.height, (l.y1 + pad) / s);
    return [
      { x: x0, y: y0 },
      { x: x1, y: y0 },
      { x: x1, y: y1 },
      { x: x0, y: y1 },
    ] as Quad;
  });
}

/** A line read on the page: its box, height and score. */
interface ReadBox extends Comp {
  h: number;
  score: number;
}

/**
 * The ink pass's line candidates beside the lines read (`lines`) and other regions to leave out
 * (`skip`: the QR code), in two groups. `sure`: ink outside the lines read at least `minScore` —
 * a box read poorly (a lone digit of a faint grey ID in a photo) is a piece of a line to look for
 * again. `rest`: ink outside every line read, other than what `sure` found already — covering a
 * poor box can also cut a value from a frame its glyphs touch, or from an icon read poorly beside
 * it. Where candidates of the two groups overlap, the reader keeps the better reading.
 */
export function inkLineCandidates(
  img: Rgb,
  lines: readonly ReadBox[],
  minScore: number,
  skip: readonly Comp[],
): { sure: Quad[]; rest: Quad[] } {
  const around = (l: ReadBox): Comp => ({
    x0: l.x0 - COVER_MARGIN * l.h,
    y0: l.y0 - COVER_MARGIN * l.h,
    x1: l.x1 + COVER_MARGIN * l.h,
    y1: l.y1 + COVER_MARGIN * l.h,
  });
  const map = inkMap(img);
  const readSurely = lines.filter((l) => l.score >= minScore);
  const sure = linesOutside(map, [...readSurely.map(around), ...skip]);
  if (readSurely.length === lines.length) return { sure, rest: [] };
  const rest = linesOutside(map, [...lines.map(around), ...skip]).filter(
    (q) => !sure.some((o) => overlapShare(o, q) >= SAME_INK),
  );
  return { sure, rest };
}

/** Candidates of the two covers that share this much of their joint area are the same ink, read once. */
const SAME_INK = 0.9;

/** The area two upright quads share over the area they cover together (0 when apart). */
export function overlapShare(a: Quad, b: Quad): number {
  const w = Math.min(a[2].x, b[2].x) - Math.max(a[0].x, b[0].x);
  const h = Math.min(a[2].y, b[2].y) - Math.max(a[0].y, b[0].y);
  if (w <= 0 || h <= 0) return 0;
  const area = (q: Quad) => (q[2].x - q[0].x) * (q[2].y - q[0].y);
  return (w * h) / (area(a) + area(b) - w * h);
}

/** Components on one row, each within JOIN_GAP heights of the next, become one line (≥ 2 glyph parts). */
function joinIntoLines(comps: Comp[]): Comp[] {
  const sorted = [...comps].sort((a, b) => a.x0 - b.x0);
  const lines: (Comp & { parts: number })[] = [];
  for (const c of sorted) {
    const ch = c.y1 - c.y0;
    const line = lines.find((l) => {
      const lh = l.y1 - l.y0;
      const overlap = Math.min(l.y1, c.y1) - Math.max(l.y0, c.y0);
      return overlap >= 0.4 * Math.min(lh, ch) && c.x0 - l.x1 <= JOIN_GAP * Math.max(lh, ch) && c.x0 >= l.x0;
    });
    if (line) {
      line.x1 = Math.max(line.x1, c.x1);
      line.y0 = Math.min(line.y0, c.y0);
      line.y1 = Math.max(line.y1, c.y1);
      line.parts++;
    } else lines.push({ ...c, parts: 1 });
  }
  return lines.filter((l) => l.parts >= 2 || l.x1 - l.x0 >= LONE_PART_ASPECT * (l.y1 - l.y0));
}

/** The columns of a band that hold ink (clearly darker than the band's paper), or undefined. */
export function inkSpan(
  img: Rgb,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): { x0: number; x1: number } | undefined {
  const left = Math.max(0, Math.floor(x0));
  const right = Math.min(img.width, Math.ceil(x1));
  const top = Math.max(0, Math.floor(y0));
  const bottom = Math.min(img.height, Math.ceil(y1));
  if (right <= left || bottom <= top) return undefined;
  const darkest = new Uint8Array(right - left).fill(255);
  let paper = 0;
  for (let y = top; y < bottom; y++) {
    for (let x = left; x < right; x++) {
      const i = (y * img.width + x) * 3;
      const v = luma(img.data, i);
      if (v < darkest[x - left]!) darkest[x - left] = v;
      if (v > paper) paper = v;
    }
  }
  // A photo of a screen can have less contrast than a screenshot: ink is what is clearly darker
  // than the paper relative to the band's own range.
  const range = paper - Math.min(...darkest);
  if (range < MIN_SPAN_RANGE) return undefined;
  const contrast = Math.min(INK_CONTRAST, 0.4 * range);
  let first = -1;
  let last = -1;
  darkest.forEach((v, i) => {
    if (paper - v <= contrast) return;
    if (first < 0) first = i;
    last = i;
  });
  return first < 0 ? undefined : { x0: left + first, x1: left + last + 1 };
}

/** Brightness of the RGB pixel at byte `i` (0.3 R + 0.6 G + 0.1 B). */
export function luma(data: Uint8Array, i: number): number {
  return (data[i]! * 3 + data[i + 1]! * 6 + data[i + 2]!) / 10;
}
