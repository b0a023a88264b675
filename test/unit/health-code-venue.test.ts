import { describe, expect, it } from 'vitest';
import { extractFromLines } from '../../src/engines/health-code/fields/index.js';
import type { CharChoices, TextLine } from '../../src/engines/health-code/fields/lines.js';
import { withVenueWord } from '../../src/engines/health-code/fields/venue.js';

/** A line read as `text`, each character its own only choice but those `alts` gives by position. */
function line(text: string, alts: Record<number, [string, number][]> = {}, y = 100): TextLine {
  const choices: CharChoices[] = [...text].map((c, i) => ({
    text: c,
    alts: [{ text: c, prob: 0.6 }, ...(alts[i] ?? []).map(([t, prob]) => ({ text: t, prob }))],
  }));
  return { text, x0: 40, y0: y, x1: 40 + 30 * [...text].length, y1: y + 30, h: 30, score: 0.9, choices };
}

describe("a place's last word mended from the recogniser's choices", () => {
  it('puts back a venue word one character off when the recogniser considered that character', () => {
    expect(withVenueWord(line('当前场所:二七厂场', { 7: [['广', 0.22]] }))).toBe('当前场所:二七广场');
    expect(withVenueWord(line('天府国际机杨', { 5: [['场', 0.3]] }))).toBe('天府国际机场');
    expect(withVenueWord(line('保定乐站', { 2: [['东', 0.3]] }))).toBe('保定东站');
    // An icon read after the place does not hide its end.
    expect(withVenueWord(line('八一厂场>', { 2: [['广', 0.1]] }))).toBe('八一广场>');
  });

  it('leaves the place as read without that support, or where the word is all there is', () => {
    // The character never considered, or only as noise.
    expect(withVenueWord(line('二七厂场'))).toBe('二七厂场');
    expect(withVenueWord(line('二七厂场', { 2: [['广', 0.01]] }))).toBe('二七厂场');
    // Two characters off, or no place before the word.
    expect(withVenueWord(line('二七厂杨', { 2: [['广', 0.2]], 3: [['场', 0.3]] }))).toBe('二七厂杨');
    expect(withVenueWord(line('厂场', { 0: [['广', 0.4]] }))).toBe('厂场');
    // A place read whole in a venue word stays, whatever the choices hold (西站 is no misread 东站).
    expect(withVenueWord(line('北京西站', { 2: [['东', 0.3]] }))).toBe('北京西站');
    expect(withVenueWord(line('钟楼饭店', { 2: [['酒', 0.4]] }))).toBe('钟楼饭店');
    // No place between the label and the word (`from`: where the place starts).
    expect(withVenueWord(line('场所:厂场', { 3: [['广', 0.4]] }), 3)).toBe('场所:厂场');
    expect(withVenueWord(line('场所:二七厂场', { 5: [['广', 0.4]] }), 3)).toBe('场所:二七广场');
    // Characters as first read that do not line up with the text (a repair changed its length),
    // or a character other than the one read at that place: left.
    const shorter = { ...line('二七厂场', { 1: [['广', 0.3]] }), text: '七厂场' };
    expect(withVenueWord(shorter)).toBe('七厂场');
    const repaired = line('二七厂场', { 2: [['广', 0.3]] });
    const other = { ...repaired, choices: repaired.choices!.map((c, i) => (i === 2 ? { ...c, text: '厅' } : c)) };
    expect(withVenueWord(other)).toBe('二七厂场');
    // A line without the recogniser's choices (the tesseract engine's) is as read.
    expect(withVenueWord({ ...line('二七厂场'), choices: undefined })).toBe('二七厂场');
  });

  it('takes the likelier of two words that fit by different characters, and none on a tie', () => {
    expect(
      withVenueWord(
        line('保定乐站', {
          2: [
            ['东', 0.3],
            ['西', 0.1],
          ],
        }),
      ),
    ).toBe('保定东站');
    expect(
      withVenueWord(
        line('保定乐站', {
          2: [
            ['东', 0.2],
            ['西', 0.2],
          ],
        }),
      ),
    ).toBe('保定乐站');
  });

  it('mends the SpotName a place label gives, on its line or beside it', () => {
    const page = (...lines: TextLine[]) => extractFromLines([line('河南健康码', {}, 20), ...lines]).SpotName;
    expect(page(line('当前场所:二七厂场', { 7: [['广', 0.22]] }))).toBe('二七广场');
    // The label is no place: a value that is a venue word alone stays as read.
    expect(page(line('当前场所:厂场', { 5: [['广', 0.4]] }))).toBe('厂场');
    const label = line('场所名称', {}, 300);
    const value = { ...line('天府国际机杨', { 5: [['场', 0.3]] }, 300), x0: 400, x1: 580 };
    expect(page(label, value)).toBe('天府国际机场');
  });
});
