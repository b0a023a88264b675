import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/engines/health-code/image.js';

/** A 60 × 100 page: white, a black bar across its top fifth (so its way up can be told). */
async function uprightPage(): Promise<Buffer> {
  const bar = await sharp({ create: { width: 60, height: 20, channels: 3, background: '#000000' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 60, height: 100, channels: 3, background: '#ffffff' } })
    .composite([{ input: bar, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

describe('health-code image decoding', () => {
  it('shows a photo stored sideways with an EXIF orientation as a phone shows it (both engines decode here)', async () => {
    const upright = await decodeImage(await uprightPage(), 40_000_000);
    // A phone camera's portrait shot: the pixels lie on their side, EXIF orientation 6 turns them back.
    const stored = await sharp(await uprightPage())
      .rotate(270)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect((await sharp(stored).metadata()).width).toBe(100);
    const img = await decodeImage(stored, 40_000_000);
    expect([img.width, img.height]).toEqual([upright.width, upright.height]);
    // The bar is across the top again: dark above, light below.
    const darkAt = (y: number) => img.dark[y * img.width + 30]!;
    expect(darkAt(5)).toBeLessThan(40);
    expect(darkAt(60)).toBeGreaterThan(215);
  });
});
