import { describe, expect, it } from 'vitest';
import type { TextLine } from '../../src/engines/health-code/fields/index.js';
import { statusClock, statusTime, timeLine } from '../../src/engines/health-code/paddle/status-clock.js';

const at = (text: string, y0: number, h = 40): TextLine => ({ text, x0: 40, x1: 400, y0, y1: y0 + h, h, score: 0.99 });

describe('the status bar clock', () => {
  it('is the one line at the top of the page that reads a clock alone', () => {
    expect(statusClock([at('07:30', 20, 30), at('58%', 20, 30), at('11-04 01:30:07', 600)], 3120)).toBe('07:30');
    expect(statusClock([at('9:41', 10, 20)], 1334)).toBe('09:41');
    // Lower on the page, two clocks, no clock, or no time of day: none.
    expect(statusClock([at('07:30', 400)], 3120)).toBeUndefined();
    expect(statusClock([at('07:30', 20), at('07:31', 30)], 3120)).toBeUndefined();
    expect(statusClock([at('58%', 20)], 3120)).toBeUndefined();
    expect(statusClock([at('27:30', 20)], 3120)).toBeUndefined();
    expect(statusClock([at('07:63', 20)], 3120)).toBeUndefined();
    // Digits read as their look-alikes count (O for 0).
    expect(statusClock([at('O7:3O', 20)], 3120)).toBe('07:30');
  });

  it("finds the tallest line holding the time's clock", () => {
    const big = at('11-0401:30:07', 600, 90);
    expect(timeLine([at('进场时间 01:30:07', 900), big], '11-04 01:30:07')).toBe(big);
    expect(timeLine([big], '11-04 01:30:08')).toBeUndefined();
  });

  it("takes the status bar's hour and minutes when the time's line read again gives them, with the same seconds", () => {
    // Read again with room: the 7 read right.
    expect(statusTime('11-04 01:30:07', '07:30', '11-04 07:30:07')).toBe('11-04 07:30:07');
    expect(statusTime('02-06 01:21:04', '07:21', '2022-02-0607:21:04')).toBe('02-06 07:21:04');
    // Read again as before, or another digit, or other seconds: the reading stands.
    expect(statusTime('11-04 01:30:07', '07:30', '11-04 01:30:07')).toBeUndefined();
    expect(statusTime('11-04 01:30:07', '07:30', '11-04 04:30:07')).toBeUndefined();
    expect(statusTime('11-04 01:30:07', '07:30', '11-04 07:30:01')).toBeUndefined();
    expect(statusTime('11-04 01:30:07', '07:30', '11-04 07:30:071')).toBeUndefined();
    // A status bar misread (`01:21` over a big `07:21:04` read right twice): the time stands.
    expect(statusTime('02-06 07:21:04', '01:21', '02-06 07:21:04')).toBeUndefined();
  });
});
