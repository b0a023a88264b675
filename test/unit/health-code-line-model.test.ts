import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { FONT_FAMILY, useBundledFonts } from '../../fixtures/healthcode/fontconfig.js';
import { stripLegacy } from '../../src/engines/health-code/line-model.js';
import { parseTsv } from '../../src/engines/health-code/ocr-words.js';
import { LANGUAGE, languageDataPath, startTesseract } from '../../src/engines/health-code/tesseract.js';

/** A traineddata file: entry count, int64 offsets (-1 = absent), then the components. */
function traineddata(components: Record<number, string>, entries = 24): Buffer {
  const header = Buffer.alloc(4 + 8 * entries);
  header.writeInt32LE(entries, 0);
  const parts: Buffer[] = [];
  let at = header.length;
  for (let i = 0; i < entries; i++) {
    const text = components[i];
    if (text === undefined) {
      header.writeBigInt64LE(-1n, 4 + 8 * i);
      continue;
    }
    header.writeBigInt64LE(BigInt(at), 4 + 8 * i);
    parts.push(Buffer.from(text));
    at += Buffer.byteLength(text);
  }
  return Buffer.concat([header, ...parts]);
}

function components(data: Buffer): Record<number, string> {
  const entries = data.readInt32LE(0);
  const offsets = Array.from({ length: entries }, (_, i) => Number(data.readBigInt64LE(4 + 8 * i)));
  const out: Record<number, string> = {};
  offsets.forEach((start, i) => {
    if (start < 0) return;
    const end = offsets.slice(i + 1).find((o) => o >= 0) ?? data.length;
    out[i] = data.subarray(start, end).toString();
  });
  return out;
}

describe('stripLegacy', () => {
  it('keeps the config, unicharset, LSTM, its dictionaries and the version; drops the legacy templates', () => {
    const source = traineddata({
      0: 'config',
      1: 'unicharset',
      3: 'inttemp'.repeat(50),
      5: 'normproto',
      13: 'shapes',
      17: 'lstm-net',
      19: 'lstm-words',
      23: 'v4',
    });
    expect(components(stripLegacy(source))).toEqual({
      0: 'config',
      1: 'unicharset',
      17: 'lstm-net',
      19: 'lstm-words',
      23: 'v4',
    });
  });

  it('refuses bytes that are no traineddata file', () => {
    expect(() => stripLegacy(Buffer.from([1, 2]))).toThrow(/traineddata/);
    expect(() => stripLegacy(Buffer.alloc(16).fill(0xff))).toThrow(/traineddata/);
    const truncated = traineddata({ 17: 'lstm-net' }).subarray(0, 100);
    expect(() => stripLegacy(truncated)).toThrow(/traineddata/);
  });

  it("turns the package's 44 MB 4.0.0 model into a few MB with its LSTM intact", () => {
    const source = gunzipSync(readFileSync(join(languageDataPath('line'), `${LANGUAGE}.traineddata.gz`)));
    const stripped = stripLegacy(source);
    expect(source.length).toBeGreaterThan(40e6);
    expect(stripped.length).toBeLessThan(4e6);
    const kept = components(stripped);
    expect(Object.keys(kept).map(Number)).toContain(17);
    expect(kept[17]).toEqual(components(source)[17]);
    expect(Object.keys(kept).map(Number)).not.toContain(3);
  });
});

describe('the line model', () => {
  it('reads bold masked names whose glyphs the page model misreads (磊, 崔, 廖, 熊)', async () => {
    useBundledFonts();
    const names = ['王*磊', '崔*明', '廖*华', '熊*伟'];
    const render = (text: string) =>
      sharp(
        Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="264" height="80"><rect width="100%" height="100%" fill="#fff"/>` +
            `<text x="22" y="57" font-family="${FONT_FAMILY}" font-size="44" font-weight="700" fill="#111">${text}</text></svg>`,
        ),
      )
        .png()
        .toBuffer();
    const handle = await startTesseract(() => {});
    try {
      const read = async (text: string) =>
        parseTsv(await handle.recognize(await render(text), { tessedit_pageseg_mode: '7' }, 'tsv', 'line'))
          .map((w) => w.text)
          .join('');
      const readings = [];
      for (const name of names) readings.push(await read(name));
      expect(readings).toEqual(names);
    } finally {
      await handle.terminate();
    }
  });
});
