/**
 * The blur sweep: one QR code blurred more and more answers its text while it reads, then
 * FailedOperation.ImageBlur — never ImageNoText; a blank white image answers ImageNoText.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { blankPng, qrPng } from '../../support/images.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => emulator?.close());

async function outcome(png: Buffer): Promise<string> {
  try {
    const response = await sdkClient(emulator).QrcodeOCR({ ImageBase64: png.toString('base64') });
    return `text:${response.CodeResults?.[0]?.Url}`;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code) return code;
    throw error;
  }
}

describe('blur sweep', () => {
  it.each([
    ['short URL at 2 px per module', 'https://example.com/a', 2],
    ['longer text at 5 px per module', 'https://example.com/emulator/blur-sweep?id=1234567890', 5],
  ])('%s: the text, then ImageBlur, never ImageNoText', async (_name, text, scale) => {
    const { png, size } = await qrPng(text, scale);
    const sigmas = [0, 0.3, 0.6, 1, 1.5, 2, 3, 4, 6, 8, 10, 12, 16, 20, 24].map((fraction) => (fraction * size) / 300);
    const outcomes: string[] = [];
    for (const sigma of sigmas) {
      const blurred = sigma === 0 ? png : await sharp(png).blur(Math.max(0.3, sigma)).png().toBuffer();
      outcomes.push(await outcome(blurred));
    }
    expect(outcomes[0]).toBe(`text:${text}`);
    expect(outcomes.at(-1)).toBe('FailedOperation.ImageBlur');
    expect(outcomes).not.toContain('FailedOperation.ImageNoText');
    // Once it stops reading, it stays blurry: no text after the first ImageBlur.
    const firstBlur = outcomes.indexOf('FailedOperation.ImageBlur');
    expect(outcomes.slice(0, firstBlur).every((o) => o === `text:${text}`)).toBe(true);
    expect(outcomes.slice(firstBlur).every((o) => o === 'FailedOperation.ImageBlur')).toBe(true);
  });

  it('a blank white image answers ImageNoText', async () => {
    expect(
      await errorCode(sdkClient(emulator).QrcodeOCR({ ImageBase64: (await blankPng(640, 480)).toString('base64') })),
    ).toBe('FailedOperation.ImageNoText');
  });
});
