import { describe, expect, it } from 'vitest';
import type { TextLine } from '../../src/engines/health-code/fields/index.js';
import { charThenStar, starBefore, withLostStar } from '../../src/engines/health-code/paddle/lost-star.js';

/** A glyph from its sides in units of `unit` pixels (the band's character height). */
const glyph = (unit: number) => (x0: number, y0: number, x1: number, y1: number) => ({
  x0: Math.round(x0 * unit),
  y0: Math.round(y0 * unit),
  x1: Math.round(x1 * unit),
  y1: Math.round(y1 * unit),
});

/** A light page 80 px high and `width` wide, and a brush that paints dark rectangles on it. */
function blankPage(width: number) {
  const height = 80;
  const data = new Uint8Array(width * height * 3).fill(245);
  const paint = (x: number, y: number, w: number, h: number) => {
    for (let yy = y; yy < y + h; yy++) data.fill(30, (yy * width + x) * 3, (yy * width + x + w) * 3);
  };
  return { width, height, data, paint };
}

describe('a masked name star the recogniser dropped', () => {
  const g = glyph(22);
  // Measured on a brush face: 胡, its star, then 的健康码.
  const title = [
    g(0.14, 0, 1.14, 0.95),
    g(1.18, 0.05, 1.5, 0.45),
    g(1.82, 0.09, 2.59, 0.91),
    g(2.82, 0.14, 3.14, 0.95),
    g(3.09, 0.05, 3.59, 0.95),
    g(3.77, 0, 4.64, 1),
    g(4.68, 0.14, 5.73, 0.86),
  ];
  // Measured on a photo: 持码人:张 and the star after it (a dot and the colon set low).
  const holder = [
    g(0.25, 0, 1.14, 1),
    g(1.29, 0.68, 1.36, 0.75),
    g(1.39, 0.11, 3.36, 0.86),
    g(3.82, 0.43, 4.04, 0.93),
    g(4.57, 0, 5.43, 0.96),
    g(5.61, 0.07, 5.89, 0.39),
  ];

  it('sees a small raised glyph alone after a character, then the characters read after it', () => {
    expect(starBefore(title, 4)).toBe(true);
    expect(starBefore(holder, 0)).toBe(true);
    // Another count of characters after it than was read.
    expect(starBefore(title, 2)).toBe(false);
    expect(starBefore(title, 0)).toBe(false);
    expect(starBefore(holder, 1)).toBe(false);
  });

  it('takes no other glyph for a star', () => {
    const [surname, star, ...rest] = title;
    const at = (y0: number, y1: number) => ({ ...star!, y0: Math.round(y0 * 22), y1: Math.round(y1 * 22) });
    // Set low (a full stop), reaching below the characters' middle, too small, as tall as a character.
    for (const s of [at(0.55, 0.9), at(0.2, 0.62), at(0.05, 0.1), at(0, 0.95)])
      expect(starBefore([surname!, s, ...rest], 4)).toBe(false);
    // A speck: square, too small.
    expect(starBefore([surname!, { ...star!, x1: star!.x0 + 2, y0: 2, y1: 4 }, ...rest], 4)).toBe(false);
    // A part of a character: another glyph in its columns.
    expect(starBefore([surname!, star!, { ...star!, y0: 12, y1: 21 }, ...rest], 4)).toBe(false);
    // Too narrow for its height (a stroke's end), too wide (a dash).
    expect(starBefore([surname!, { ...star!, x1: star!.x0 + 2 }, ...rest], 4)).toBe(false);
    expect(starBefore([surname!, { ...star!, x1: star!.x0 + 14 }, ...rest], 4)).toBe(false);
    // Far after the character (an icon's part), or first on the band.
    expect(starBefore([surname!, ...[star!, ...rest].map((c) => ({ ...c, x0: c.x0 + 20, x1: c.x1 + 20 }))], 4)).toBe(
      false,
    );
    expect(starBefore([star!, ...rest], 4)).toBe(false);
    // Less than a character's ink before it (a dot), or after it (two glyphs for four characters).
    expect(starBefore([g(0.8, 0.6, 1, 0.8), star!, ...rest], 4)).toBe(false);
    expect(starBefore(title.slice(0, 4), 4)).toBe(false);
  });

  it("puts the star back in a line's text after its surname, from the page's pixels", () => {
    const { width, height, data, paint } = blankPage(320);
    // Two characters 30 px high and a 10 px star set high between them.
    paint(40, 25, 28, 30);
    paint(72, 27, 10, 10);
    paint(88, 25, 28, 30);
    const line = (text: string): TextLine => ({ text, x0: 36, y0: 22, x1: 120, y1: 58, h: 36, score: 0.9 });
    expect(withLostStar({ width, height, data }, line('方文'))?.text).toBe('方*文');
    // No common surname before the star's place, a star read already, digits: left alone.
    expect(withLostStar({ width, height, data }, line('明天'))).toBeUndefined();
    expect(withLostStar({ width, height, data }, line('方*文'))).toBeUndefined();
    expect(withLostStar({ width, height, data }, line('方1'))).toBeUndefined();
    expect(withLostStar({ width, height, data }, line('*方文'))).toBeUndefined();
    expect(withLostStar({ width, height, data }, line('1方文'))).toBeUndefined();
    // Without the star in the pixels, nothing is put back.
    for (let yy = 27; yy < 37; yy++) data.fill(245, (yy * width + 72) * 3, (yy * width + 82) * 3);
    expect(withLostStar({ width, height, data }, line('方文'))).toBeUndefined();
  });

  it("puts the star back in a title's name with its given name and 的健康码 after it", () => {
    const { width, height, data, paint } = blankPage(520);
    // 向, its star set high, then 宏的健康码: five characters 30 px high, 4 px apart.
    paint(40, 25, 28, 30);
    paint(72, 27, 10, 10);
    for (let i = 0; i < 5; i++) paint(88 + 32 * i, 25, 28, 30);
    const line: TextLine = { text: '向宏的健康码', x0: 36, y0: 22, x1: 252, y1: 58, h: 36, score: 0.9 };
    expect(withLostStar({ width, height, data }, line)?.text).toBe('向*宏的健康码');
    // A given name whose first character is a surname too (张华伟 for 张*华伟): the star goes
    // where the pixels put it, after 张, not after 华.
    paint(88 + 32 * 5, 25, 28, 30);
    const longer: TextLine = { ...line, text: '张华伟的健康码', x1: 284 };
    expect(withLostStar({ width, height, data }, longer)?.text).toBe('张*华伟的健康码');
  });

  it('sees a star after one character in the pixels: small, set high, close after it', () => {
    const g = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });
    // 严 then its star (measured on a brush face), 薛 then its star in a photo.
    expect(charThenStar([g(11, 10, 50, 64), g(58, 15, 75, 36)])).toBe(true);
    expect(charThenStar([g(7, 7, 30, 42), g(37, 11, 47, 25)])).toBe(true);
    // A character in two parts side by side, then its star.
    expect(charThenStar([g(0, 0, 20, 40), g(22, 0, 40, 40), g(46, 4, 60, 20)])).toBe(true);
    // The small glyph set low (a full stop), as tall as the character, set high but too tall,
    // too far, two characters' width before it, a character after it.
    expect(charThenStar([g(11, 10, 50, 64), g(58, 44, 70, 60)])).toBe(false);
    expect(charThenStar([g(11, 10, 50, 64), g(58, 10, 95, 64)])).toBe(false);
    expect(charThenStar([g(11, 10, 50, 64), g(58, 2, 75, 50)])).toBe(false);
    expect(charThenStar([g(11, 10, 50, 64), g(130, 15, 147, 36)])).toBe(false);
    expect(charThenStar([g(0, 0, 40, 40), g(44, 0, 84, 40), g(90, 4, 100, 16)])).toBe(false);
    expect(charThenStar([g(16, 16, 76, 97), g(78, 34, 113, 74), g(116, 16, 175, 97)])).toBe(false);
    // One blob, or nothing.
    expect(charThenStar([g(9, 10, 56, 50)])).toBe(false);
    expect(charThenStar([])).toBe(false);
  });
});
