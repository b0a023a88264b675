/**
 * The mask of an ID found in pixels: a run of small, evenly sized glyphs (stars or dots) between
 * digits. The recogniser miscounts long star runs and reads the digits next to them as stars (or
 * drops them); knowing where the run starts and ends lets the digits on each side be read on
 * their own. Works on one band of the page; polarity (dark ink on light, or light on a coloured
 * band) is taken from the band itself.
 */
import { type Comp as Glyph, components } from './components.js';
import { luma } from './ink-lines.js';
import type { Rgb } from './tensor.js';

export interface StarRun {
  /** Left edge of the first and right edge of the last mask glyph (image pixels). */
  x0: number;
  x1: number;
  /** Right edge of the first mask glyph, left edge of the last. */
  firstEnd: number;
  lastStart: number;
  /** Mask glyphs in the run. */
  count: number;
  /**
   * How many stars `count` may be off: 0 when every glyph of the run stood alone, more when
   * touching stars were counted by a star's width (TOUCHING_SLACK) or by their pitch (PITCH_SLACK).
   */
  slack: number;
  /** Height of the band's full-size glyphs (digits, label characters). */
  glyphH: number;
  /** Right edge of the ink that goes on from the run (its tail digits: glyphs at most a gap apart). */
  inkEnd: number;
  /** Left edge of the ink that leads to the run (its head digits, and a label set close before them). */
  inkStart: number;
}

/**
 * A mask glyph is at most this share of the band's full glyph height: a star is about half a
 * digit, but blurred at a small scale (a JPEG at half size) its ink grows to 0.64 of the digits'
 * (0.62 missed those masks; dev seeds 3003/3004 IDNumber +4/+2 at 0.7, the same at 0.76).
 */
export const STAR_MAX_HEIGHT = 0.7;
/** A mask glyph is at least this share of the full glyph height: anything smaller is a speck. */
export const STAR_MIN_HEIGHT = 0.15;
/** Mask glyphs of one run are at most this many glyph heights apart. */
export const STAR_GAP = 1.2;
/** Fewer mask glyphs than this are not an ID's mask (an ID masks 8 to 14 of its 18 characters). */
const MIN_STARS = 4;
/**
 * A component touching the band's top or bottom edge and shorter than this share of the band
 * belongs to another row: the band is the row's box with a quarter of its height above and
 * below, so the row's own glyphs never touch an edge, and a neighbour's glyph ends are a few
 * pixels tall.
 */
const EDGE_SLIVER = 0.35;
/**
 * The band's full glyph height is the height at this rank among its glyphs (tallest last): an ID
 * masking 14 of its 18 characters has four digits, fewer glyphs where two touch (`07`): 3 of 17,
 * under a fifth. Above the top tenth lie a stray icon's or a neighbour's glyphs; in a band of ten
 * glyphs or fewer the top tenth is the tallest alone, so there the rank is never above the
 * second tallest (or LOW_RANK's, as before, when that is higher).
 */
const FULL_HEIGHT_RANK = 0.9;
/** The rank the full height was taken at first (a fifth of the glyphs above it). */
const LOW_RANK = 0.8;
/** A band's ink is what lies within this share of the way from its darkest pixels to its paper. */
const INK_SHARE = 0.5;
/**
 * The second look at a band's ink: what lies within this share of the way from the ink's end of
 * the band's range (its darkest pixels, its lightest on a dark band) to its paper.
 */
const STRICT_INK_SHARE = 0.3;
/** A band with less contrast than this between ink and paper holds no text. */
const MIN_CONTRAST = 40;
/** The count of touching stars measured by one star's width may be off by this many (two either way). */
const TOUCHING_SLACK = 2;
/** By the pitch, found to a fraction of a pixel, the count is off by at most one star. */
const PITCH_SLACK = 1;
/** A glyph's column profile repeats (touching stars) when it correlates this well with itself shifted. */
const MIN_REPEAT = 0.5;
/** A glyph this many full glyph heights wide or more may be digits and mask glyphs that touch (splitTouching). */
const MERGED_WIDTH = 1.5;
/** Columns of a mask glyph's height side by side over this many full glyph heights are mask glyphs, not a digit's bar. */
const MIN_SHORT_SPAN = 0.5;
/** Ink crossing the band that fills this share of its box is a solid bar (an accent bar, a divider), no glyph. */
const BAR_FILL = 0.85;
/** A repeat this close (in pixels) to half the chosen pitch is the pitch itself, the chosen one its double. */
const HALF_PITCH_SLACK = 1;

/**
 * The glyphs of the band [x0, x1) × [y0, y1) (band pixels, left to right; parts stacked in the
 * same columns joined), its ink taken by the band's own polarity, and where the band starts in
 * the image; undefined for a band too small or without the contrast of text.
 */
export function bandGlyphs(img: Rgb, x0: number, y0: number, x1: number, y1: number): BandGlyphs | undefined {
  const tones = bandTones(img, x0, y0, x1, y1);
  return tones && glyphsAt(tones, INK_SHARE);
}

/** A band's grey pixels and the tones its ink is told by: its darkest, its paper, its polarity. */
interface BandTones {
  grey: Uint8Array;
  w: number;
  h: number;
  left: number;
  dark: number;
  light: number;
  lightPaper: boolean;
}

function bandTones(img: Rgb, x0: number, y0: number, x1: number, y1: number): BandTones | undefined {
  const left = Math.max(0, Math.floor(x0));
  const top = Math.max(0, Math.floor(y0));
  const w = Math.min(img.width, Math.ceil(x1)) - left;
  const h = Math.min(img.height, Math.ceil(y1)) - top;
  if (w < 8 || h < 6) return undefined;
  const grey = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = ((top + y) * img.width + left + x) * 3;
      grey[y * w + x] = luma(img.data, i);
    }
  }
  const sorted = Uint8Array.from(grey).sort();
  const dark = sorted[Math.floor(sorted.length * 0.03)]!;
  const light = sorted[Math.floor(sorted.length * 0.97)]!;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  if (light - dark < MIN_CONTRAST) return undefined;
  return { grey, w, h, left, dark, light, lightPaper: median > (light + dark) / 2 };
}

/**
 * The band's glyphs, its ink what is darker than `inkShare` of the way from its darkest pixels to
 * its paper (lighter, on a dark band). Half-way first: a threshold nearer the paper was measured
 * worse, photo noise becomes ink.
 */
function glyphsAt({ grey, w, h, left, dark, light, lightPaper }: BandTones, inkShare: number): BandGlyphs {
  const cut = lightPaper ? dark + inkShare * (light - dark) : light - inkShare * (light - dark);
  const ink = new Uint8Array(w * h);
  for (let i = 0; i < ink.length; i++) ink[i] = (lightPaper ? grey[i]! < cut : grey[i]! > cut) ? 1 : 0;

  // Slivers along the band's top or bottom edge are the ends of another row's glyphs: merged
  // with the stars under them they would make tall glyphs and break the run.
  const otherRow = (c: Glyph) => (c.y0 === 0 || c.y1 === h) && c.y1 - c.y0 < EDGE_SLIVER * h;
  const glyphs = mergeColumns(components(ink, w, h).filter((c) => (c.x1 - c.x0) * (c.y1 - c.y0) >= 3 && !otherRow(c)));
  return { glyphs, ink, w, left };
}

export interface BandGlyphs {
  glyphs: Glyph[];
  /** The band's ink, `w` pixels a row. */
  ink: Uint8Array;
  w: number;
  /** The band's left edge in the image. */
  left: number;
}

/**
 * The longest mask run in the band [x0, x1) × [y0, y1), or undefined. Where the band's ink at
 * half-way holds none, its ink is taken again nearer the ink's end (STRICT_INK_SHARE): in a
 * blurred photo the stars run into each other and into the digits at half-way, one glyph. Where
 * neither holds one, with `cut` (the default), the two again with the glyphs that are digits and
 * stars run together cut apart (splitTouching).
 */
export function findStarRun(
  img: Rgb,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  { cut = true }: { cut?: boolean } = {},
): StarRun | undefined {
  const tones = bandTones(img, x0, y0, x1, y1);
  if (!tones) return undefined;
  const half = glyphsAt(tones, INK_SHARE);
  const found = runIn(half, false);
  if (found) return found;
  const strict = glyphsAt(tones, STRICT_INK_SHARE);
  // Glyphs that touch are cut apart last (splitTouching): at the stricter ink a blurred mask
  // often stands apart, star by star, where cutting would count it by its pitch.
  return runIn(strict, false) ?? (cut ? (runIn(half, true) ?? runIn(strict, true)) : undefined);
}

/**
 * The band's longest mask run; `split`: its glyphs first cut where digits and mask glyphs touch
 * (splitTouching), and none when no glyph is cut (the band was looked at as it is).
 */
function runIn({ glyphs: all, ink, w, left }: BandGlyphs, split: boolean): StarRun | undefined {
  // A solid bar from the band's top edge to its bottom, no wider than the band is tall (a card's
  // accent bar, a divider), is no glyph of the row: taken for the row's height it would make
  // every digit a mask glyph, and as a neighbour of the digits it would be read as a 1. (Digits
  // clipped by a band as tall as the stars cross it too, but are no solid bar; glare on a dark
  // photo, a wide solid patch, stays a glyph, as it was.)
  const bandH = ink.length / w;
  const bar = (g: Glyph) => g.y0 === 0 && g.y1 === bandH && g.x1 - g.x0 <= bandH && inkFill(ink, w, g) >= BAR_FILL;
  const found = all.filter((g) => !bar(g));
  // Fewer glyphs than a mask has stars can still hold one when they are cut: digits and stars that touch.
  if (found.length < (split ? 1 : MIN_STARS)) return undefined;
  const heights = found.map((g) => g.y1 - g.y0).sort((a, b) => a - b);
  const n = heights.length;
  const rank = Math.max(Math.floor(n * LOW_RANK), Math.min(n - 2, Math.floor(n * FULL_HEIGHT_RANK)));
  const glyphH = heights[rank]!;
  const glyphs = split ? found.flatMap((g) => splitTouching(g, ink, w, glyphH)) : found;
  // Nothing cut: the band as it is, looked at already unless it had too few glyphs then (a head,
  // a mask of stars that all touch and a tail are three).
  if (split && glyphs.length === found.length && found.length >= MIN_STARS) return undefined;
  // Mask glyphs: short, not slivers. Stars set close together touch and come out as one wide
  // glyph; it counts as as many stars as its width holds.
  const short = (g: Glyph) =>
    g.y1 - g.y0 <= STAR_MAX_HEIGHT * glyphH &&
    g.y1 - g.y0 >= STAR_MIN_HEIGHT * glyphH &&
    g.x1 - g.x0 >= 0.4 * (g.y1 - g.y0);
  const single = glyphs
    .filter((g) => short(g) && g.x1 - g.x0 <= 1.8 * (g.y1 - g.y0))
    .map((g) => g.x1 - g.x0)
    .sort((a, b) => a - b);
  // Every star touching the next (a serif face at a small scale): the width of one is the pitch
  // at which the widest short glyph's ink repeats.
  const widestPitch = () => {
    const widest = glyphs
      .filter(short)
      .reduce<Glyph | undefined>((a, g) => (a && a.x1 - a.x0 >= g.x1 - g.x0 ? a : g), undefined);
    return widest && inkPitch(ink, w, widest);
  };
  const starW = single.length ? single[Math.floor(single.length / 2)]! : widestPitch();
  if (!starW) return undefined;
  const touchingSlack = single.length ? TOUCHING_SLACK : PITCH_SLACK;
  const stars = (g: Glyph) => (short(g) ? Math.max(1, Math.round((g.x1 - g.x0) / starW)) : 0);
  let best: Glyph[] = [];
  let bestCount = 0;
  let run: Glyph[] = [];
  let count = 0;
  for (const g of glyphs) {
    const prev = run.at(-1);
    const n = stars(g);
    if (n && prev && g.x0 - prev.x1 <= STAR_GAP * glyphH) {
      run.push(g);
      count += n;
    } else {
      run = n ? [g] : [];
      count = n;
    }
    if (count > bestCount) {
      best = [...run];
      bestCount = count;
    }
  }
  if (bestCount < MIN_STARS) return undefined;
  // The tail: the glyphs after the run, each within a gap of the one before (past a wider gap lie
  // other columns, an icon, the phone's bezel); the head the same way leftwards (past a wider gap
  // lies the row's label, set apart).
  const near = (gap: number) => gap >= 0 && gap <= STAR_GAP * glyphH;
  let end = best.at(-1)!.x1;
  for (const g of glyphs) if (near(g.x0 - end)) end = Math.max(end, g.x1);
  let start = best[0]!.x0;
  for (const g of [...glyphs].reverse()) if (near(start - g.x1)) start = Math.min(start, g.x0);
  return {
    x0: left + best[0]!.x0,
    x1: left + best.at(-1)!.x1,
    // A first or last glyph of several touching stars ends (starts) one star in.
    firstEnd: left + Math.min(best[0]!.x1, best[0]!.x0 + 1.5 * starW),
    lastStart: left + Math.max(best.at(-1)!.x0, best.at(-1)!.x1 - 1.5 * starW),
    count: bestCount,
    slack: best.length === bestCount ? 0 : touchingSlack,
    glyphH,
    inkEnd: left + end,
    inkStart: left + start,
  };
}

/** The share of a glyph's box that is ink. */
function inkFill(ink: Uint8Array, w: number, g: Glyph): number {
  let n = 0;
  for (let y = g.y0; y < g.y1; y++) for (let x = g.x0; x < g.x1; x++) n += ink[y * w + x]!;
  return n / ((g.x1 - g.x0) * (g.y1 - g.y0));
}

/**
 * A glyph of digits and mask glyphs that touch (a bold face, a blurred photo: `2***…***5` one
 * glyph) cut where its columns' ink turns from a digit's height to a mask glyph's: a glyph
 * MERGED_WIDTH full heights wide or more and taller than a mask glyph (STAR_MAX_HEIGHT), its
 * columns of mask height side by side over MIN_SHORT_SPAN full heights or more one piece, the
 * columns between such spans (the digits) the others; as it is when it holds no such span or
 * nothing else.
 */
function splitTouching(g: Glyph, ink: Uint8Array, w: number, glyphH: number): Glyph[] {
  if (g.x1 - g.x0 < MERGED_WIDTH * glyphH || g.y1 - g.y0 <= STAR_MAX_HEIGHT * glyphH) return [g];
  // Each column's ink extent in the glyph's box; a column without ink is a gap between stars.
  const tops: number[] = [];
  const bottoms: number[] = [];
  for (let x = g.x0; x < g.x1; x++) {
    let top = -1;
    let bottom = -1;
    for (let y = g.y0; y < g.y1; y++) {
      if (!ink[y * w + x]) continue;
      if (top < 0) top = y;
      bottom = y + 1;
    }
    tops.push(top);
    bottoms.push(bottom);
  }
  const low = tops.map((t, i) => t < 0 || bottoms[i]! - t <= STAR_MAX_HEIGHT * glyphH);
  // Spans of low columns, the narrow ones (a digit's bar, a 7's top) counted as the digit's.
  const spans: { from: number; to: number; mask: boolean }[] = [];
  for (let i = 0; i < low.length; ) {
    let j = i;
    while (j < low.length && low[j] === low[i]) j++;
    const mask = low[i]! && j - i >= MIN_SHORT_SPAN * glyphH;
    const prev = spans.at(-1);
    if (prev && prev.mask === mask) prev.to = j;
    else spans.push({ from: i, to: j, mask });
    i = j;
  }
  if (spans.length < 2 || !spans.some((s) => s.mask)) return [g];
  return spans.flatMap(({ from, to }) => {
    const inked = tops.slice(from, to).flatMap((t, k) => (t < 0 ? [] : [[t, bottoms[from + k]!] as const]));
    if (!inked.length) return [];
    return [
      {
        x0: g.x0 + from,
        x1: g.x0 + to,
        y0: Math.min(...inked.map(([t]) => t)),
        y1: Math.max(...inked.map(([, b]) => b)),
      },
    ];
  });
}

/**
 * The period of a glyph's column ink profile (the widest short glyph of a band: touching stars),
 * between half and twice its height, to a fraction of a pixel: the first lag whose
 * autocorrelation peaks within a fifth of the best, after falling below zero (a profile that
 * only varies slowly never does), or half that lag where a peak of MIN_REPEAT lies there;
 * undefined when nothing repeats (no such peak of MIN_REPEAT). Work: the glyph's columns times
 * about 1.5 of its heights.
 */
function inkPitch(ink: Uint8Array, w: number, g: Glyph): number | undefined {
  const h = g.y1 - g.y0;
  const n = g.x1 - g.x0;
  const profile = new Float64Array(n);
  for (let x = 0; x < n; x++) for (let y = g.y0; y < g.y1; y++) profile[x]! += ink[y * w + g.x0 + x]!;
  const mean = profile.reduce((a, b) => a + b, 0) / n;
  for (let x = 0; x < n; x++) profile[x]! -= mean;
  const corr = (lag: number) => {
    let num = 0;
    let a = 0;
    let b = 0;
    for (let x = 0; x + lag < n; x++) {
      num += profile[x]! * profile[x + lag]!;
      a += profile[x]! ** 2;
      b += profile[x + lag]! ** 2;
    }
    return a && b ? num / Math.sqrt(a * b) : 0;
  };
  // One lag either side of the range, so that a peak at its ends has both neighbours.
  const first = Math.max(1, Math.ceil(h / 2) - 1);
  const r: number[] = [];
  for (let lag = first; lag <= Math.min(2 * h + 1, n / 3); lag++) r.push(corr(lag));
  const peaks: number[] = [];
  // Below zero at the first lag already (the extra one before the range) counts as the dip: the
  // stars' own peak may come before any later one.
  let dipped = r[0]! < 0;
  for (let i = 1; i + 1 < r.length; i++) {
    dipped ||= r[i]! < 0;
    if (dipped && r[i]! >= r[i - 1]! && r[i]! >= r[i + 1]! && r[i]! >= MIN_REPEAT) peaks.push(i);
  }
  if (peaks.length === 0) return undefined;
  const best = Math.max(...peaks.map((i) => r[i]!));
  const i = peaks.find((k) => r[k]! >= 0.8 * best)!;
  // A pitch between whole pixels (5.5) splits its peak over two lags, each lower than the peak
  // at twice the pitch (11, whole): a peak at half the chosen lag is the stars' own pitch.
  const lag = (k: number) => first + peakLag(r, k);
  const half = peaks.find((k) => k < i && Math.abs(2 * lag(k) - lag(i)) <= HALF_PITCH_SLACK);
  return lag(half ?? i);
}

/** Where the peak at index `i` of `r` lies between whole lags: the vertex of the parabola through it and its neighbours. */
function peakLag(r: readonly number[], i: number): number {
  const bend = r[i - 1]! - 2 * r[i]! + r[i + 1]!;
  return i + (bend < 0 ? (0.5 * (r[i - 1]! - r[i + 1]!)) / bend : 0);
}

/**
 * Where the crop of an ID's head digits starts, for a row whose box starts at `x0`: at the ink
 * that leads to the mask, a little before it, never before the box — a label set far left of the
 * digits would shrink them in the crop.
 */
export function headStart(run: StarRun, x0: number): number {
  return Math.max(x0, run.inkStart - 0.6 * run.glyphH);
}

/** Parts of one glyph stacked in the same columns (a CJK character's strokes) as one box, left to right. */
function mergeColumns(comps: Glyph[]): Glyph[] {
  const out: Glyph[] = [];
  for (const c of [...comps].sort((a, b) => a.x0 - b.x0)) {
    const prev = out.at(-1);
    const overlap = prev ? Math.min(prev.x1, c.x1) - Math.max(prev.x0, c.x0) : 0;
    if (prev && overlap >= 0.5 * Math.min(prev.x1 - prev.x0, c.x1 - c.x0)) {
      prev.x0 = Math.min(prev.x0, c.x0);
      prev.x1 = Math.max(prev.x1, c.x1);
      prev.y0 = Math.min(prev.y0, c.y0);
      prev.y1 = Math.max(prev.y1, c.y1);
    } else out.push({ ...c });
  }
  return out;
}
