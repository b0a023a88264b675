import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBundledFonts } from '../../fixtures/healthcode/fontconfig.js';
import { fontDirs } from '../../fixtures/healthcode/fonts.js';
import { styledPlan } from '../../fixtures/healthcode/plans.js';
import { renderItem } from '../../fixtures/healthcode/render.js';
import { DEV_FACES, HELD_OUT_FACES, SYSTEM_FACES } from '../../fixtures/healthcode/split.js';

describe('the benchmark system face', () => {
  it('unpacks HarmonyOS Sans SC from its package zip: the three weights the layouts use', () => {
    const [dir] = fontDirs('harmonyos-sans');
    expect(readdirSync(dir!).sort()).toEqual([
      'HarmonyOS_Sans_SC_Bold.ttf',
      'HarmonyOS_Sans_SC_Medium.ttf',
      'HarmonyOS_Sans_SC_Regular.ttf',
    ]);
  });

  it('draws pages on the screens and themes the held-out set draws, in its own glyphs', async () => {
    useBundledFonts();
    const system = styledPlan(['beijing', 'jilin'], 20261205, 2, ['clean'], SYSTEM_FACES, SYSTEM_FACES);
    const heldOut = styledPlan(['beijing', 'jilin'], 20261205, 2, ['clean'], HELD_OUT_FACES, DEV_FACES);
    expect(system.map((i) => [i.size, i.style?.dark])).toEqual(heldOut.map((i) => [i.size, i.style?.dark]));
    expect(system.every((i) => i.style?.face === 'harmonyos-sans-sc')).toBe(true);

    const item = system[0]!;
    const shot = await renderItem(item);
    expect(shot.face).toBe('harmonyos-sans-sc');
    // fontconfig falls back to Noto Sans SC for a family it does not know: the pixels must differ
    const noto = await renderItem({ ...item, style: { ...item.style!, face: 'noto-sans-sc' } });
    expect(noto.truth).toEqual(shot.truth);
    expect(shot.png.equals(noto.png)).toBe(false);
  });
});
