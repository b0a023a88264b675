import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../fixtures/healthcode/render.js';
import { Svg } from '../../fixtures/healthcode/svg.js';
import { decodeImage } from '../../src/engines/health-code/image.js';
import { ocrPage } from '../../src/engines/health-code/page.js';
import { removeFramesAndRules } from '../../src/engines/health-code/page-masks.js';
import { locateQrCode, qrColour } from '../../src/engines/health-code/qr-code.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'healthcode');

/** A 750×1334 page with a QR code at (x, y) of `size`, a band of `band` colour at the top and a pill. */
async function pageWithQr(
  ink: string,
  opts: { x?: number; y?: number; size?: number; band?: string; width?: number } = {},
): Promise<Buffer> {
  const { x = 195, y = 420, size = 360, band = '#1677ff', width = 750 } = opts;
  const g = new Svg();
  g.rect(0, 0, 750, 1334, '#f2f3f5');
  g.rect(0, 0, 750, 200, band);
  g.rect(60, 1000, 200, 60, '#16a34a', 30);
  g.qr(x, y, size, 'https://hc.example.gov.cn/c/test/abcdefghijkmnpqrstuvwx', ink, true);
  const scale = width / 750;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.round(1334 * scale)}"><g transform="scale(${scale})">${g}</g></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function colourOf(bytes: Buffer): Promise<string | undefined> {
  const img = await decodeImage(bytes, 40_000_000);
  const qr = locateQrCode(img);
  return qr ? qrColour(img, qr) : undefined;
}

describe('QR code location and colour from pixels', () => {
  it.each([
    ['#12a150', '绿色'],
    ['#1aad19', '绿色'],
    ['#f5b800', '黄色'],
    ['#ffc107', '黄色'],
    ['#e02020', '红色'],
    ['#d9001b', '红色'],
  ])('modules in %s → %s, whatever colour the page band is', async (ink, want) => {
    expect(await colourOf(await pageWithQr(ink, { band: '#e02020' }))).toBe(want);
    expect(await colourOf(await pageWithQr(ink, { band: '#16a34a', width: 1080 }))).toBe(want);
  });

  it('a black QR code has no code colour; a page without a QR code has no QR box', async () => {
    expect(await colourOf(await pageWithQr('#111111'))).toBe('');
    const blank = await sharp({ create: { width: 750, height: 1334, channels: 3, background: '#16a34a' } })
      .png()
      .toBuffer();
    expect(await colourOf(blank)).toBeUndefined();
  });

  it('finds the code where it is, at full and at half size', async () => {
    for (const width of [750, 375]) {
      const img = await decodeImage(await pageWithQr('#12a150', { x: 100, y: 600, size: 300, width }), 40_000_000);
      const qr = locateQrCode(img)!;
      const s = width / 750;
      // The box covers the code (with a little margin) and not much more.
      expect(qr.x).toBeLessThanOrEqual(Math.ceil((100 + 300 * 0.07) * s));
      expect(qr.y).toBeLessThanOrEqual(Math.ceil((600 + 300 * 0.07) * s));
      expect(qr.x + qr.w).toBeGreaterThanOrEqual(Math.floor((400 - 300 * 0.07) * s));
      expect(qr.w).toBeLessThan(330 * s);
    }
  });

  it('matches the ground truth of every committed fixture', async () => {
    const manifest: ManifestEntry[] = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
    expect(manifest.length).toBeGreaterThanOrEqual(8);
    for (const entry of manifest) {
      expect(await colourOf(readFileSync(join(FIXTURES, entry.file))), entry.file).toBe(entry.truth.Color);
    }
  });
});

describe('the page tesseract reads', () => {
  it('paints the QR code out, turns white-on-colour pills dark-on-light and rescales to the target width', async () => {
    // A green pill with a white bar inside ("text"), on a light page, plus a QR code.
    const g = new Svg();
    g.rect(0, 0, 750, 1334, '#ffffff');
    g.rect(100, 1000, 300, 80, '#16a34a', 40);
    g.rect(160, 1030, 180, 20, '#ffffff');
    g.qr(195, 300, 360, 'https://hc.example.gov.cn/c/x', '#12a150');
    const bytes = await sharp(
      Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="750" height="1334">${g}</svg>`),
    )
      .png()
      .toBuffer();
    const img = await decodeImage(bytes, 40_000_000);
    const page = await ocrPage(img, locateQrCode(img), { targetWidth: 640, threshold: 195 });
    expect(page.width).toBe(640);
    const s = page.scale;
    const inkAt = (x: number, y: number) =>
      page.grey[Math.round(y * s) * page.width + Math.round(x * s)]! < page.threshold;
    expect(inkAt(250, 1040)).toBe(true); // the white "text" is now dark
    expect(inkAt(120, 1040)).toBe(false); // the green pill body is now light
    expect(inkAt(375, 480)).toBe(false); // inside the QR code: painted out
    expect(inkAt(215, 320)).toBe(false); // a finder pattern: painted out
  });

  it('erases frames and long rules but keeps glyph-sized ink', () => {
    const w = 640;
    const h = 200;
    const ink = new Uint8Array(w * h);
    const set = (...points: [number, number][]) => {
      for (const [x, y] of points) ink[y * w + x] = 1;
    };
    for (let x = 100; x < 300; x++) set([x, 40], [x, 80]); // a chip outline…
    for (let y = 40; y <= 80; y++) set([100, y], [299, y]);
    for (let x = 20; x < 620; x++) set([x, 150], [x, 151]); // a divider
    for (let y = 50; y < 70; y++) for (let x = 150; x < 154; x++) set([x, y]); // a stroke inside the chip
    removeFramesAndRules(ink, w, h);
    expect(ink[40 * w + 200]).toBe(0);
    expect(ink[150 * w + 300]).toBe(0);
    expect(ink[60 * w + 151]).toBe(1);
  });
});
