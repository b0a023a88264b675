import { describe, expect, it } from 'vitest';
import type { TextLine } from '../../src/engines/health-code/fields/index.js';
import { isCommonGivenChar } from '../../src/engines/health-code/given-names.js';
import { recheckGivenName } from '../../src/engines/health-code/paddle/given-name.js';
import { pooledChoices } from '../../src/engines/health-code/paddle/pooled-choices.js';
import { mergeFragments } from '../../src/engines/health-code/paddle/text-lines.js';

/** A read line from `x0` to `x1`, 30 high. */
const at = (text: string, x0: number, x1: number): TextLine => ({ text, x0, x1, y0: 100, y1: 130, h: 30, score: 0.99 });
const img = { width: 10, height: 10, rgb: Buffer.alloc(300), dark: new Uint8Array(100) };

type Char = string | [string, number][];
/** A second reading: plain characters read surely, or a character's choices (the first its reading). */
const reading = (...chars: Char[]) => ({
  text: '',
  score: 0.9,
  chars: chars.map((c, i) =>
    typeof c === 'string'
      ? { text: c, prob: 0.99, at: i / 10 }
      : { text: c[0]![0], prob: c[0]![1], at: i / 10, alts: c.map(([text, prob]) => ({ text, prob })) },
  ),
});

describe('a masked name’s given name that is no common one', () => {
  it('has a list of common given-name characters that leaves rarer ones out', () => {
    expect([...'伟强晨宇娟峰'].every(isCommonGivenChar)).toBe(true);
    expect([...'弦层字醛珏'].some(isCommonGivenChar)).toBe(false);
  });

  it('takes the likeliest common given-name character among the choices, only above the floor', async () => {
    const lines = [at('姓名:方*弦', 0, 200)];
    const check = (name: string, alts: [string, number][]) =>
      recheckGivenName(name, lines, img, async () => reading('姓', '名', ':', '方', '*', alts));
    // 弦 is none of the common ones; 强 is, and the recogniser gave it 0.11 (绿 is common too, less likely).
    expect(
      await check('方*弦', [
        ['弦', 0.84],
        ['强', 0.11],
        ['绿', 0.06],
      ]),
    ).toBe('方*强');
    // Below the floor the reading stands.
    expect(
      await check('方*弦', [
        ['弦', 0.95],
        ['强', 0.03],
      ]),
    ).toBe('方*弦');
    // A second reading that is another character without the first among its choices: stands.
    expect(
      await check('方*弦', [
        ['张', 0.5],
        ['强', 0.4],
      ]),
    ).toBe('方*弦');
    // Read again as a common one, surely: taken.
    expect(
      await check('方*弦', [
        ['强', 0.98],
        ['弦', 0.01],
      ]),
    ).toBe('方*强');
  });

  it('never reads again a name whose given name is common, a plain name or a name on no line', async () => {
    let reads = 0;
    const count = async () => {
      reads++;
      return reading('方', '*', [['强', 0.5]]);
    };
    expect(await recheckGivenName('方*伟', [at('姓名:方*伟', 0, 200)], img, count)).toBe('方*伟');
    expect(await recheckGivenName('方*', [at('姓名:方*', 0, 200)], img, count)).toBe('方*');
    expect(await recheckGivenName('方弦', [at('姓名:方弦', 0, 200)], img, count)).toBe('方弦');
    expect(reads).toBe(0);
    expect(await recheckGivenName('方*弦', [at('其他', 0, 200)], img, count)).toBe('方*弦');
    expect(reads).toBe(0);
  });

  it('finds the given name after the surname when the line lost its star, and past a box that ended at the star', async () => {
    const lost = await recheckGivenName('叶*紧', [at('叶紧', 0, 60)], img, async () =>
      reading('叶', [
        ['紧', 0.5],
        ['军', 0.2],
      ]),
    );
    expect(lost).toBe('叶*军');
    let widened = 0;
    const clipped = await recheckGivenName('段*醛', [at('持码人:段*', 0, 180)], img, async (_img, line) => {
      widened = line.x1;
      return reading('持', '码', '人', ':', '段', '*', [
        ['醛', 0.5],
        ['峰', 0.06],
      ]);
    });
    expect(clipped).toBe('段*峰');
    // Read with room for the given name after the box (1.2 heights of 30).
    expect(widened).toBe(216);
  });

  it('leaves a common character of a two-character given name as read', async () => {
    const name = await recheckGivenName('张*伟层', [at('张*伟层', 0, 120)], img, async () =>
      reading(
        '张',
        '*',
        // Read again as another common character, the first among its choices: stands.
        [
          ['强', 0.6],
          ['伟', 0.3],
        ],
        [
          ['层', 0.5],
          ['晨', 0.3],
        ],
      ),
    );
    expect(name).toBe('张*伟晨');
  });

  it('checks each character of a two-character given name', async () => {
    const name = await recheckGivenName('张*弦层', [at('张*弦层', 0, 120)], img, async () =>
      reading(
        '张',
        '*',
        [
          ['弦', 0.6],
          ['强', 0.3],
        ],
        [
          ['层', 0.5],
          ['晨', 0.3],
        ],
      ),
    );
    expect(name).toBe('张*强晨');
  });
});

describe('a character’s choices from two readings', () => {
  it('pools them by their mean probability, a choice one reading did not keep counting 0 there', () => {
    const first = {
      text: '雀',
      alts: [
        { text: '雀', prob: 0.8 },
        { text: '崔', prob: 0.16 },
      ],
    };
    const again = {
      text: '雀',
      alts: [
        { text: '雀', prob: 0.9 },
        { text: '黄', prob: 0.02 },
      ],
    };
    const pooled = pooledChoices(first, again);
    expect(pooled.map((c) => c.text)).toEqual(['雀', '崔', '黄']);
    expect(pooled[1]!.prob).toBeCloseTo(0.08);
    expect(pooled[2]!.prob).toBeCloseTo(0.01);
    // Without a first reading, the second's choices as they are.
    expect(pooledChoices(undefined, again)).toEqual(again.alts);
  });

  it('weighs the name’s first reading in: a choice its box gave lifts one read again below the floor', async () => {
    const line = {
      ...at('方*弦', 0, 90),
      choices: [
        { text: '方', alts: [{ text: '方', prob: 0.99 }] },
        { text: '*', alts: [{ text: '*', prob: 0.99 }] },
        {
          text: '弦',
          alts: [
            { text: '弦', prob: 0.8 },
            { text: '强', prob: 0.11 },
          ],
        },
      ],
    };
    const again = async () =>
      reading('方', '*', [
        ['弦', 0.95],
        ['强', 0.03],
      ]);
    expect(await recheckGivenName('方*弦', [line], img, again)).toBe('方*强');
    // The re-read alone: below the floor, the reading stands.
    expect(await recheckGivenName('方*弦', [at('方*弦', 0, 90)], img, again)).toBe('方*弦');
    // A first reading whose character there is another one (it does not line up): the re-read alone.
    const other = {
      ...line,
      choices: [...line.choices.slice(0, 2), { text: '张', alts: [{ text: '强', prob: 0.5 }] }],
    };
    expect(await recheckGivenName('方*弦', [other], img, again)).toBe('方*弦');
  });

  it('finds the name’s line by its surname as read when the surname re-check changed it', async () => {
    const again = async () =>
      reading('持', '码', '人', ':', '雀', '*', [
        ['弦', 0.5],
        ['强', 0.1],
      ]);
    const lines = [at('持码人:雀*', 0, 180)];
    expect(await recheckGivenName('崔*弦', lines, img, again, '雀*弦')).toBe('崔*强');
    // Looked for by the changed surname, the line is not found: the name stands.
    expect(await recheckGivenName('崔*弦', lines, img, again)).toBe('崔*弦');
  });
});

describe('fragments of one line merged', () => {
  it('keep no first reading when a fragment has none', () => {
    const a = { ...at('方*', 0, 40), choices: [{ text: '方' }, { text: '*' }] };
    const [merged] = mergeFragments([a, at('弦', 45, 75)]);
    expect(merged?.text).toBe('方*弦');
    expect(merged?.choices).toBeUndefined();
  });

  it('keep the characters as first read of both, in order', () => {
    const a = { ...at('方*', 0, 40), choices: [{ text: '方' }, { text: '*' }] };
    const b = { ...at('弦', 45, 75), choices: [{ text: '弦', alts: [{ text: '强', prob: 0.1 }] }] };
    const [merged] = mergeFragments([b, a]);
    expect(merged?.text).toBe('方*弦');
    expect(merged?.choices?.map((c) => c.text)).toEqual(['方', '*', '弦']);
  });
});
