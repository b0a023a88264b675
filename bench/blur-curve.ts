/**
 * Calibrates the blur threshold of src/engines/image-quality.ts (`npm run calibrate:blur`).
 *
 * Generates QR codes and barcodes (qrcode, bwip-js) at several sizes, blurs each with sharp at
 * increasing sigma, decodes every image with zxing-wasm (the wasm file is read from node_modules,
 * never fetched), measures its sharpness, and prints the sharpness-vs-sigma curve as Markdown
 * tables, a few photo-like images without symbols, the variance of the Laplacian for comparison,
 * and the threshold the data supports. Output is deterministic (seeded noise) and goes to stdout.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import bwipjs from 'bwip-js';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import {
  ANALYSIS_SIZE,
  DEFAULT_BLUR_THRESHOLD,
  assessImageQuality,
  classifyNoSymbol,
} from '../src/engines/image-quality.js';

const SIGMAS = [0, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const SIZES = [300, 600, 1200];
/**
 * The threshold: the smallest multiple of 10 at least 25% above the sharpness at which any 2-D
 * symbol (QR, DataMatrix) stops decoding for good, so a QR blurred until it no longer reads is
 * called blurry (ImageBlur), never no-text.
 */
const MARGIN = 1.25;
const TWO_D = /^(QR|DataMatrix)/;

interface Series {
  readonly name: string;
  /** Decoded text must start with this (EAN-13 adds its check digit). */
  readonly expect: string;
  readonly make: (size: number) => Promise<Buffer>;
}

function qr(text: string): (size: number) => Promise<Buffer> {
  return (size) => QRCode.toBuffer(text, { width: size, margin: 4, errorCorrectionLevel: 'M' });
}

/** A bwip-js symbol drawn at the integer scale that brings its longest side closest to `size`. */
function bwip(bcid: string, text: string): (size: number) => Promise<Buffer> {
  const render = (scale: number): Promise<Buffer> =>
    bwipjs.toBuffer({ bcid, text, scale, paddingwidth: 10, paddingheight: 10, backgroundcolor: 'FFFFFF' });
  return async (size) => {
    const probe = await sharp(await render(1)).metadata();
    return render(Math.max(1, Math.round(size / Math.max(probe.width ?? 1, probe.height ?? 1))));
  };
}

const LONG_URL =
  'https://example.com/some/long/path/for/a/denser/symbol?query=1234567890&more=abcdefghijklmnopqrstuvwxyz';
const SERIES: readonly Series[] = [
  { name: `QR v${QRCode.create('HELLO', { errorCorrectionLevel: 'M' }).version}`, expect: 'HELLO', make: qr('HELLO') },
  {
    name: `QR v${QRCode.create('https://example.com/a', { errorCorrectionLevel: 'M' }).version}`,
    expect: 'https://example.com/a',
    make: qr('https://example.com/a'),
  },
  {
    name: `QR v${QRCode.create(LONG_URL, { errorCorrectionLevel: 'M' }).version}`,
    expect: LONG_URL,
    make: qr(LONG_URL),
  },
  { name: 'DataMatrix', expect: 'Hello DataMatrix 12345', make: bwip('datamatrix', 'Hello DataMatrix 12345') },
  { name: 'PDF417', expect: 'PDF417 sample 0123456789', make: bwip('pdf417', 'PDF417 sample 0123456789') },
  { name: 'Code 128', expect: 'ABC-1234567890', make: bwip('code128', 'ABC-1234567890') },
  { name: 'EAN-13', expect: '590123412345', make: bwip('ean13', '590123412345') },
];

/** Deterministic Gaussian-ish noise (sum of uniforms from a small LCG). */
function noiseSource(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return () => uniform() + uniform() + uniform() + uniform() - 2; // mean 0, sd ~0.58
}

async function blur(image: Buffer, sigma: number): Promise<Buffer> {
  if (sigma === 0) return image;
  return sharp(image).blur({ sigma, minAmplitude: 0.01 }).png().toBuffer();
}

async function withNoise(image: Buffer, sd: number, seed: number): Promise<Buffer> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const next = noiseSource(seed);
  for (let i = 0; i < data.length; i += 1)
    data[i] = Math.max(0, Math.min(255, Math.round((data[i] ?? 0) + (next() * sd) / 0.58)));
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function decodes(image: Buffer, expect: string): Promise<boolean> {
  const results = await readBarcodes(new Uint8Array(image));
  return results.some((r) => r.isValid && r.text.startsWith(expect));
}

/** Variance of the 4-neighbour Laplacian on a greyscale copy with longest side 512 (for comparison only). */
async function laplacianVariance(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize({ width: 512, height: 512, fit: 'inside' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  let sum = 0;
  let squares = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y += 1) {
    for (let x = 1; x < w - 1; x += 1) {
      const i = y * w + x;
      const l = (data[i - 1] ?? 0) + (data[i + 1] ?? 0) + (data[i - w] ?? 0) + (data[i + w] ?? 0) - 4 * (data[i] ?? 0);
      sum += l;
      squares += l * l;
      n += 1;
    }
  }
  return squares / n - (sum / n) ** 2;
}

interface Sample {
  readonly series: string;
  readonly size: number;
  readonly sigma: number;
  readonly decoded: boolean;
  readonly sharpness: number;
  readonly laplacian: number;
}

const fmt = (v: number): string => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '∞');

async function svg(width: number, height: number, body: string): Promise<Buffer> {
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`))
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}

/** Images without any symbol: what the classifier says about them. */
async function photoLike(): Promise<Array<{ name: string; image: Buffer }>> {
  const next = noiseSource(7);
  const noisePixels = Buffer.alloc(640 * 480);
  for (let i = 0; i < noisePixels.length; i += 1)
    noisePixels[i] = Math.max(0, Math.min(255, Math.round(128 + next() * 110)));
  const noise = await sharp(noisePixels, { raw: { width: 640, height: 480, channels: 1 } })
    .png()
    .toBuffer();
  const gradient = await svg(
    640,
    480,
    '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#203060"/><stop offset="1" stop-color="#f0d080"/></linearGradient></defs><rect width="640" height="480" fill="url(#g)"/>',
  );
  const lines = ['Invoice 2024-0137', 'Total amount: 1,280.00', 'Paid by card ending 4242', 'Thank you for shopping'];
  const text = await svg(
    640,
    480,
    lines
      .map((t, i) => `<text x="30" y="${80 + i * 90}" font-family="DejaVu Sans, sans-serif" font-size="40">${t}</text>`)
      .join(''),
  );
  const shapes: string[] = [];
  const rand = noiseSource(11);
  for (let i = 0; i < 40; i += 1) {
    const x = Math.round(320 + rand() * 500);
    const y = Math.round(240 + rand() * 380);
    const r = Math.round(20 + Math.abs(rand()) * 60);
    const grey = Math.max(0, Math.min(255, Math.round(128 + rand() * 200)));
    shapes.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="rgb(${grey},${grey},${grey})"/>`);
  }
  const scene = await svg(640, 480, `<rect width="640" height="480" fill="#8a9"/>${shapes.join('')}`);
  const white = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  const out: Array<{ name: string; image: Buffer }> = [
    { name: 'white (blank)', image: white },
    { name: 'white + noise sd 1, JPEG', image: await withNoise(white, 1, 3) },
    {
      name: 'black (blank)',
      image: await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000000' } })
        .png()
        .toBuffer(),
    },
  ];
  for (const [name, image] of [
    ['uniform noise', noise],
    ['smooth gradient', gradient],
    ['printed text (SVG)', text],
    ['shapes scene (SVG)', scene],
  ] as const) {
    for (const sigma of [0, 3, 12]) out.push({ name: `${name}, sigma ${sigma}`, image: await blur(image, sigma) });
  }
  return out;
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const wasm = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({
    overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer },
    fireImmediately: true,
  });

  const started = performance.now();
  const samples: Sample[] = [];
  const noisy: Sample[] = [];
  for (const series of SERIES) {
    for (const size of SIZES) {
      const base = await series.make(size);
      for (const sigma of SIGMAS) {
        const image = await blur(base, sigma);
        const [decoded, quality, laplacian] = await Promise.all([
          decodes(image, series.expect),
          assessImageQuality(image),
          laplacianVariance(image),
        ]);
        samples.push({ series: series.name, size, sigma, decoded, sharpness: quality.sharpness, laplacian });
        if (series === SERIES[1]) {
          const rough = await withNoise(image, 4, sigma * 100 + size);
          const [d, q, l] = await Promise.all([
            decodes(rough, series.expect),
            assessImageQuality(rough),
            laplacianVariance(rough),
          ]);
          noisy.push({
            series: `${series.name} + noise sd 4, JPEG`,
            size,
            sigma,
            decoded: d,
            sharpness: q.sharpness,
            laplacian: l,
          });
        }
      }
    }
  }

  const out: string[] = [];
  const say = (line = ''): number => out.push(line);
  say(`# Blur calibration (analysis size ${ANALYSIS_SIZE} px, sharpness = longest side / estimated blur sigma)`);
  say();
  say(
    'Cells: sharpness, then `D` when ZXing (zxing-wasm, default options) decoded the expected text, `·` when it did not.',
  );
  say('Columns: Gaussian blur sigma in pixels of the image as generated. Bold: below the threshold (classified blur).');
  say();
  const table = (rows: readonly Sample[]): void => {
    say(`| symbol | px | ${SIGMAS.map((s) => `σ ${s}`).join(' | ')} |`);
    say(`|---|---|${SIGMAS.map(() => '---').join('|')}|`);
    const keys = [...new Set(rows.map((r) => `${r.series}\u0000${r.size}`))];
    for (const key of keys) {
      const [series = '', size = ''] = key.split('\u0000');
      const cells = rows
        .filter((r) => r.series === series && String(r.size) === size)
        .map((r) => {
          const text = `${fmt(r.sharpness)} ${r.decoded ? 'D' : '·'}`;
          return r.sharpness < DEFAULT_BLUR_THRESHOLD ? `**${text}**` : text;
        });
      say(`| ${series} | ${size} | ${cells.join(' | ')} |`);
    }
    say();
  };
  table(samples);
  say('With sensor-like noise (Gaussian, sd 4 grey levels, added after the blur) and JPEG quality 85:');
  say();
  table(noisy);

  // ---- the threshold the data supports -------------------------------------------------------
  const decodable = [...samples, ...noisy].filter((s) => s.decoded);
  const leastSharpDecodable = decodable.reduce((a, b) => (b.sharpness < a.sharpness ? b : a));
  const stops: Sample[] = [];
  say('## Where decoding stops');
  say();
  say('| symbol | px | last σ decoded | sharpness there | first σ of no decode from then on | sharpness there |');
  say('|---|---|---|---|---|---|');
  for (const series of SERIES) {
    for (const size of SIZES) {
      const curve = samples.filter((s) => s.series === series.name && s.size === size);
      const lastDecoded = [...curve].reverse().find((s) => s.decoded);
      const stopIndex = curve.findIndex((_, i) => curve.slice(i).every((s) => !s.decoded));
      const stop = stopIndex >= 0 ? curve[stopIndex] : undefined;
      if (stop && TWO_D.test(series.name)) stops.push(stop);
      say(
        `| ${series.name} | ${size} | ${lastDecoded?.sigma ?? '–'} | ${lastDecoded ? fmt(lastDecoded.sharpness) : '–'} | ${stop?.sigma ?? '> 12'} | ${stop ? fmt(stop.sharpness) : '–'} |`,
      );
    }
  }
  say();
  const highestStop = stops.reduce((a, b) => (b.sharpness > a.sharpness ? b : a));
  const recommended = Math.ceil((highestStop.sharpness * MARGIN) / 10) * 10;
  const blurredMissed = samples.filter((s) => !s.decoded && s.sigma > 0 && s.sharpness >= DEFAULT_BLUR_THRESHOLD);
  const decodableCalledBlur = decodable.filter((s) => s.sharpness < DEFAULT_BLUR_THRESHOLD);
  const undecodedBlurred = samples.filter((s) => !s.decoded && s.sigma > 0);
  say(
    `Least sharp image that still decodes: ${leastSharpDecodable.series} at ${leastSharpDecodable.size} px, σ ${leastSharpDecodable.sigma}: sharpness ${fmt(leastSharpDecodable.sharpness)}.`,
  );
  say(
    `Sharpest point where a 2-D symbol stops decoding: ${highestStop.series} at ${highestStop.size} px, σ ${highestStop.sigma}: sharpness ${fmt(highestStop.sharpness)}.`,
  );
  say(`Recommended threshold (smallest multiple of 10 at least ${MARGIN}× that): ${recommended}.`);
  say(`DEFAULT_BLUR_THRESHOLD in src/engines/image-quality.ts: ${DEFAULT_BLUR_THRESHOLD}.`);
  say(`Decodable images it calls blurry: ${decodableCalledBlur.length} of ${decodable.length}.`);
  say(
    `Blurred images ZXing cannot read that it calls blurry: ${undecodedBlurred.length - blurredMissed.length} of ${undecodedBlurred.length} (the rest are called no-text).`,
  );
  say();

  // ---- no-symbol images ------------------------------------------------------------------------
  say('## Images without a symbol');
  say();
  say('| image | sharpness | verdict |');
  say('|---|---|---|');
  for (const { name, image } of await photoLike()) {
    const quality = await assessImageQuality(image);
    say(`| ${name} | ${fmt(quality.sharpness)} | ${classifyNoSymbol(quality)} |`);
  }
  say();

  // ---- the usual measure, for comparison -------------------------------------------------------
  say('## For comparison: variance of the Laplacian (greyscale, longest side 512)');
  say();
  say(`| symbol | px | ${SIGMAS.map((s) => `σ ${s}`).join(' | ')} |`);
  say(`|---|---|${SIGMAS.map(() => '---').join('|')}|`);
  for (const series of [SERIES[1], SERIES[5]]) {
    for (const size of SIZES) {
      const curve = samples.filter((s) => s.series === series?.name && s.size === size);
      say(
        `| ${series?.name} | ${size} | ${curve.map((s) => `${fmt(s.laplacian)} ${s.decoded ? 'D' : '·'}`).join(' | ')} |`,
      );
    }
  }
  say();
  say(`(${samples.length + noisy.length} symbol images in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(out.join('\n'));
}

await main();
