import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { flattenOntoWhite, loadImage } from '../../src/engines/barcode/image.js';

describe('flattenOntoWhite', () => {
  it('leaves opaque pixels as they are and blends the others onto white', () => {
    const rgba = Uint8Array.from([10, 20, 30, 255, 0, 0, 0, 0, 0, 0, 0, 128, 200, 100, 0, 51]);
    flattenOntoWhite(rgba);
    expect([...rgba]).toEqual([10, 20, 30, 255, 255, 255, 255, 255, 127, 127, 127, 255, 244, 224, 204, 255]);
  });
});

describe('loadImage', () => {
  it('flattens a transparent PNG onto white and keeps an opaque RGBA PNG unchanged', async () => {
    const transparent = await sharp({
      create: { width: 2, height: 1, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const loaded = await loadImage(transparent, 1_000_000);
    expect([...loaded.data]).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);

    const opaque = await sharp({
      create: { width: 1, height: 1, channels: 4, background: { r: 12, g: 34, b: 56, alpha: 1 } },
    })
      .png()
      .toBuffer();
    expect([...(await loadImage(opaque, 1_000_000)).data]).toEqual([12, 34, 56, 255]);
  });

  it('turns a greyscale JPEG into opaque RGBA', async () => {
    const grey = await sharp({ create: { width: 1, height: 1, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .greyscale()
      .jpeg()
      .toBuffer();
    const [r, g, b, a] = (await loadImage(grey, 1_000_000)).data;
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(Math.abs(r! - 90)).toBeLessThanOrEqual(2);
    expect(a).toBe(255);
  });
});
