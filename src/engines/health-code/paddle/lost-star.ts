/**
 * A masked name's star the recogniser dropped, seen in the pixels (a band's glyphs, star-run.ts):
 * - in a line read with a common surname and no star (`胡的健康码` for 胡*的健康码, `向宏的健康码`
 *   for 向*宏的健康码, `持码人:张` for 持码人:张*, `方文` for 方*文), a small raised glyph standing
 *   alone right after the surname's
 *   character, with ink as wide as the characters read after the surname following it: the
 *   line's text gets its star back after the surname, and fields/ decides whether it is a name
 *   (withLostStar);
 * - after a lone surname found by its ink (reads.ts), one character and then a star (charThenStar).
 */
import { isStar, retexted } from '../fields/lines.js';
import type { TextLine } from '../fields/index.js';
import { isCommonSurname } from '../surnames.js';
import { isHanChar } from '../text.js';
import type { Comp as Glyph } from './components.js';
import { STAR_GAP, STAR_MAX_HEIGHT, STAR_MIN_HEIGHT, bandGlyphs } from './star-run.js';
import type { Rgb } from './tensor.js';

/** Characters after the surname looked at: a given name of up to two, and 的健康码 after a title's name. */
const MAX_AFTER = 6;
/** A star's width against its own height: roughly square (a dash or a tall stroke is none). */
const STAR_ASPECT_MIN = 0.4;
const STAR_ASPECT_MAX = 1.4;
/**
 * Glyphs of one word are at most this share of the characters' height apart (a star after its
 * surname, the given name after the star); a wider gap ends the word (an icon after a name).
 */
const WORD_GAP = 0.6;
/** One CJK character's ink is at least this share of its height wide and at most CHAR_MAX (a wide face's). */
const CHAR_MIN = 0.6;
const CHAR_MAX = 1.35;

/**
 * The line with a star put back after its surname, when the band's glyphs show one; else
 * undefined. `rgb`: the page's pixels the line was read from.
 */
export function withLostStar(rgb: Rgb, line: TextLine): TextLine | undefined {
  const chars = [...line.text];
  if (chars.some(isStar) || /\d/.test(line.text)) return undefined;
  // How many characters the surname may have after it: all of them characters.
  const afters: number[] = [];
  for (let after = 0; after <= Math.min(MAX_AFTER, chars.length - 1); after++) {
    const at = chars.length - 1 - after;
    if (isCommonSurname(chars[at]!) && chars.slice(at + 1).every(isHanChar)) afters.push(after);
  }
  if (afters.length === 0) return undefined;
  const h = line.h;
  // Room after the box: a star past the surname that ends the line is often outside it.
  const band = bandGlyphs(rgb, line.x0 - 0.1 * h, line.y0 - 0.15 * h, line.x1 + 1.3 * h, line.y1 + 0.15 * h);
  if (!band) return undefined;
  // Of the counts whose star the pixels show, the one whose surname ends nearest that star, its
  // place along the box taken from the text read (a given name's first character that is a
  // surname too, 张华伟 read for 张*华伟, has room for the star after it as well).
  const starred = afters.flatMap((n) => {
    const x = starAt(band.glyphs, n);
    if (x === undefined) return [];
    const surnameEnd = line.x0 + ((chars.length - n) / chars.length) * (line.x1 - line.x0);
    return [{ n, off: Math.abs(band.left + x - surnameEnd) }];
  });
  const after = starred.sort((a, b) => a.off - b.off)[0]?.n;
  if (after === undefined) return undefined;
  const at = chars.length - 1 - after;
  return retexted(line, [...chars.slice(0, at + 1), '*', ...chars.slice(at + 1)].join(''));
}

/**
 * Whether `glyphs` (left to right) hold a star standing alone — at least STAR_MIN_HEIGHT of the
 * characters' height (at most half, being above their middle), roughly square, its bottom above their middle, no other glyph in its
 * columns — set right after at least a character's ink and followed, a word's gap apart, by ink
 * as wide as `after` characters (CHAR_MIN to CHAR_MAX heights each: a count one off can fit the
 * same width, and the text read gives the count) and then nothing of the word.
 */
export function starBefore(glyphs: readonly Glyph[], after: number): boolean {
  return starAt(glyphs, after) !== undefined;
}

/** The left edge of the star starBefore sees, in the glyphs' coordinates; undefined when none. */
function starAt(glyphs: readonly Glyph[], after: number): number | undefined {
  const height = (g: Glyph) => g.y1 - g.y0;
  const charH = Math.max(0, ...glyphs.map(height));
  if (charH === 0) return undefined;
  const full = glyphs.filter((g) => height(g) >= 0.8 * charH);
  const middle = (Math.min(...full.map((g) => g.y0)) + Math.max(...full.map((g) => g.y1))) / 2;
  const isLoneStar = (g: Glyph, i: number) => {
    const gh = height(g);
    const w = g.x1 - g.x0;
    return (
      gh >= STAR_MIN_HEIGHT * charH &&
      w >= STAR_ASPECT_MIN * gh &&
      w <= STAR_ASPECT_MAX * gh &&
      g.y1 <= middle &&
      glyphs.every((o, k) => k === i || o.x1 <= g.x0 || o.x0 >= g.x1)
    );
  };
  for (let i = 1; i < glyphs.length; i++) {
    const star = glyphs[i]!;
    if (!isLoneStar(star, i)) continue;
    // The word before it: glyphs a word's gap apart, at least one character wide.
    let start = i - 1;
    if (star.x0 - glyphs[start]!.x1 > WORD_GAP * charH) continue;
    while (start > 0 && glyphs[start]!.x0 - glyphs[start - 1]!.x1 <= WORD_GAP * charH) start--;
    if (glyphs[i - 1]!.x1 - glyphs[start]!.x0 < CHAR_MIN * charH) continue;
    // The word after it: `after` characters' ink.
    let end = i;
    while (end + 1 < glyphs.length && glyphs[end + 1]!.x0 - glyphs[end]!.x1 <= WORD_GAP * charH) end++;
    if (after === 0) {
      if (end === i) return star.x0;
      continue;
    }
    if (end === i) continue;
    const width = glyphs[end]!.x1 - glyphs[i + 1]!.x0;
    if (width >= after * CHAR_MIN * charH && width <= after * CHAR_MAX * charH) return star.x0;
  }
  return undefined;
}

/**
 * Whether a band's glyphs are one character and then a star: all but the last at most
 * CHAR_WIDTH of their height wide together, the last of a mask glyph's height (at most
 * STAR_MAX_HEIGHT of the character's, as in a mask run) set at most STAR_GAP of that height
 * after it, its middle above the character's (a star is set high).
 */
export function charThenStar(glyphs: readonly Glyph[]): boolean {
  if (glyphs.length < 2) return false;
  const star = glyphs.at(-1)!;
  const parts = glyphs.slice(0, -1);
  const x0 = Math.min(...parts.map((g) => g.x0));
  const x1 = Math.max(...parts.map((g) => g.x1));
  const y0 = Math.min(...parts.map((g) => g.y0));
  const y1 = Math.max(...parts.map((g) => g.y1));
  const charH = y1 - y0;
  const starH = star.y1 - star.y0;
  return (
    x1 - x0 <= CHAR_WIDTH * charH &&
    starH <= STAR_MAX_HEIGHT * charH &&
    starH >= STAR_MIN_HEIGHT * charH &&
    star.x0 >= x1 &&
    star.x0 - x1 <= STAR_GAP * charH &&
    star.y0 + star.y1 < y0 + y1
  );
}

/** One CJK character is at most this many times as wide as tall (a wide face's, with its anti-aliased edges). */
const CHAR_WIDTH = 1.3;
