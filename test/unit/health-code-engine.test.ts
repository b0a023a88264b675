import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBundledFonts } from '../../fixtures/healthcode/fontconfig.js';
import type { ManifestEntry } from '../../fixtures/healthcode/render.js';
import { createHealthCodeEngine } from '../../src/engines/health-code/index.js';
import { recognizeHealthCode } from '../../src/engines/health-code/pipeline.js';
import {
  MODEL_DIR,
  defaultWorkerScript,
  languageDataPath,
  startTesseract,
} from '../../src/engines/health-code/tesseract.js';
import type { HealthCodeEngine } from '../../src/engines/health-code/types.js';
import { ApiError } from '../../src/errors/api-error.js';
import { codeOf } from '../helpers/api-error-code.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'healthcode');
const manifest: ManifestEntry[] = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const fixture = (file: string) => {
  const entry = manifest.find((e) => e.file === file);
  if (!entry) throw new Error(`no fixture ${file}`);
  return { bytes: readFileSync(join(FIXTURES, file)), truth: entry.truth };
};
const BEIJING = 'beijing-1080x2340-20220110-clean.png';
const HENAN = 'henan-750x1334-20220117-clean.png';
const JIANGSU_JPEG = 'jiangsu-750x1334-20220113-jpeg60.jpg';

const blankPng = (width: number, height: number, background = '#ffffff') =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

async function until(predicate: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('health-code engine, end to end', () => {
  let engine: HealthCodeEngine;
  beforeAll(async () => {
    engine = createHealthCodeEngine({
      engine: 'tesseract',
      workers: 1,
      maxQueue: 1,
      maxPixels: 40_000_000,
      timeoutMs: 60_000,
    });
    await engine.ready();
  });
  afterAll(() => engine.close());

  it('reads a 1080×2340 北京健康宝 screenshot field for field', async () => {
    const { bytes, truth } = fixture(BEIJING);
    expect(await engine.recognize(bytes)).toEqual({
      Name: '汤*新',
      IDNumber: '22**************01',
      Time: '02-06 20:30:46',
      Color: '黄色',
      TestingInterval: '48小时',
      TestingResult: '阴性',
      TestingTime: '2022-02-04 15:32',
      Vaccination: '已接种第一剂',
      SpotName: '国家图书馆',
      VaccinationTime: '2021-03-25',
    });
    expect(truth.Name).toBe('汤*新');
  });

  it.each([HENAN, JIANGSU_JPEG])('reads %s exactly as its ground truth', async (file) => {
    const { bytes, truth } = fixture(file);
    expect(await engine.recognize(bytes)).toEqual(truth);
  });

  it('answers ImageNoText for an image without text, ImageDecodeFailed for bytes that are no image', async () => {
    expect(await codeOf(engine.recognize(await blankPng(750, 1334)))).toBe('FailedOperation.ImageNoText');
    expect(await codeOf(engine.recognize(await blankPng(400, 300, '#16a34a')))).toBe('FailedOperation.ImageNoText');
    expect(await codeOf(engine.recognize(new TextEncoder().encode('not an image at all')))).toBe(
      'FailedOperation.ImageDecodeFailed',
    );
  });

  it('answers ImageSizeTooLarge past maxPixels', async () => {
    const small = createHealthCodeEngine({
      engine: 'tesseract',
      workers: 1,
      maxQueue: 1,
      maxPixels: 500_000,
      timeoutMs: 60_000,
    });
    try {
      // The pixel limit is checked while decoding, before any OCR.
      await small.ready();
      expect(await codeOf(small.recognize(await blankPng(1000, 1000)))).toBe('FailedOperation.ImageSizeTooLarge');
    } finally {
      await small.close();
    }
  });

  it('gives every field "" for a readable page that is not a health code', async () => {
    useBundledFonts();
    const lines = [
      '超市购物小票',
      '商品 苹果 2.5 公斤',
      '合计 36.50 元',
      '收银员 003',
      '2022-01-10 15:40:23',
      '谢谢惠顾 欢迎再次光临',
    ];
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="750" height="900"><rect width="750" height="900" fill="#fff"/>${lines
      .map((t, i) => `<text x="60" y="${120 + i * 110}" font-family="Noto Sans SC" font-size="40">${t}</text>`)
      .join('')}</svg>`;
    const fields = await engine.recognize(await sharp(Buffer.from(svg)).png().toBuffer());
    expect(Object.values(fields)).toHaveLength(10);
    expect(Object.values(fields).every((v) => v === '')).toBe(true);
    // A green QR code on it makes it a health code's page: its colour is read.
    const code = QRCode.create('https://example.com/code', { errorCorrectionLevel: 'M' });
    const n = code.modules.size;
    let d = '';
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) if (code.modules.data[r * n + c]) d += `M${440 + c * 8} ${560 + r * 8}h8v8h-8z`;
    const green = svg.replace('</svg>', `<path d="${d}" fill="#00a050"/></svg>`);
    expect((await engine.recognize(await sharp(Buffer.from(green)).png().toBuffer())).Color).toBe('绿色');
  });

  it('rejects past the queue bound with RequestLimitExceeded and a message of its own', async () => {
    const { bytes } = fixture(HENAN);
    const outcomes = await Promise.allSettled([
      engine.recognize(bytes),
      engine.recognize(bytes),
      engine.recognize(bytes),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const err = (outcomes[2] as PromiseRejectedResult).reason as ApiError;
    expect(err.code).toBe('RequestLimitExceeded');
    expect(err.message).toMatch(/queue is full/);
    expect(engine.stats()).toMatchObject({ workers: 1, running: 0, queued: 0 });
  });
});

describe('health-code engine, worker failures', () => {
  it('a crashed worker fails its request with OcrFailed, is replaced, and the next request works', async () => {
    const engine = createHealthCodeEngine({
      engine: 'tesseract',
      workers: 1,
      maxQueue: 4,
      maxPixels: 40_000_000,
      timeoutMs: 60_000,
      injectFault: ({ seq }) => (seq === 1 ? 'crash' : undefined),
    });
    try {
      await engine.ready();
      const { bytes, truth } = fixture(HENAN);
      const err = await engine.recognize(bytes).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('FailedOperation.OcrFailed');
      expect(await engine.recognize(bytes)).toEqual(truth);
      expect(engine.stats()).toMatchObject({ workers: 1, running: 0, queued: 0, completed: 2 });
    } finally {
      await engine.close();
    }
  });

  it('a hung recognition times out with OcrFailed and its worker is replaced', async () => {
    const engine = createHealthCodeEngine({
      engine: 'tesseract',
      workers: 1,
      maxQueue: 4,
      maxPixels: 40_000_000,
      timeoutMs: 1_500,
      injectFault: ({ seq }) => (seq === 1 ? 'hang' : undefined),
    });
    try {
      await engine.ready();
      const started = Date.now();
      const err = await engine.recognize(fixture(HENAN).bytes).catch((e: unknown) => e);
      expect((err as ApiError).code).toBe('FailedOperation.OcrFailed');
      expect((err as ApiError).message).toMatch(/1500 ms/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
      expect(engine.stats().workers).toBe(0);
      await until(() => engine.stats().workers === 1);
      expect(await codeOf(engine.recognize(await blankPng(300, 300)))).toBe('FailedOperation.ImageNoText');
    } finally {
      await engine.close();
    }
  });
});

describe('health-code engine, offline', () => {
  it('loads chi_sim best_int from node_modules and recognises with networking unavailable', async () => {
    const dir = languageDataPath();
    expect(dir).not.toMatch(/^[a-z]+:\/\//i);
    expect(dir.endsWith(MODEL_DIR)).toBe(true);
    expect(MODEL_DIR).toBe('4.0.0_best_int');
    expect(existsSync(join(dir, 'chi_sim.traineddata.gz'))).toBe(true);

    // Main thread: every way out to the network throws and is counted.
    const attempts: string[] = [];
    const deny = (what: string) => () => {
      attempts.push(what);
      throw new Error(`network disabled in this test (${what})`);
    };
    const saved = {
      fetch: globalThis.fetch,
      httpRequest: http.request,
      httpGet: http.get,
      httpsRequest: https.request,
      httpsGet: https.get,
      connect: net.connect,
      socketConnect: net.Socket.prototype.connect,
    };
    globalThis.fetch = deny('fetch') as typeof fetch;
    http.request = deny('http.request') as typeof http.request;
    http.get = deny('http.get') as typeof http.get;
    https.request = deny('https.request') as typeof https.request;
    https.get = deny('https.get') as typeof https.get;
    net.connect = deny('net.connect') as typeof net.connect;
    net.Socket.prototype.connect = deny('socket.connect') as typeof net.Socket.prototype.connect;

    // Worker thread: the same guard, installed before tesseract.js's worker script loads.
    const guardDir = mkdtempSync(join(tmpdir(), 'healthcode-offline-'));
    const guard = join(guardDir, 'offline-worker.cjs');
    writeFileSync(
      guard,
      [
        "const http = require('node:http'); const https = require('node:https'); const net = require('node:net');",
        "const deny = (what) => () => { throw new Error('network disabled in this test (worker ' + what + ')'); };",
        "globalThis.fetch = deny('fetch'); http.request = http.get = deny('http'); https.request = https.get = deny('https');",
        "net.connect = net.createConnection = deny('net'); net.Socket.prototype.connect = deny('socket');",
        // Proof the guard ran in the worker thread, then the real tesseract.js worker script.
        `require('node:fs').writeFileSync(${JSON.stringify(join(guardDir, 'guard-loaded'))}, 'yes');`,
        `require(${JSON.stringify(defaultWorkerScript())});`,
      ].join('\n'),
    );
    const handle = await startTesseract(() => {}, { workerPath: guard });
    try {
      const { bytes, truth } = fixture(HENAN);
      const fields = await recognizeHealthCode(bytes, (image, params) => handle.recognize(image, params), {
        maxPixels: 40_000_000,
      });
      expect(fields).toEqual(truth);
      expect(attempts).toEqual([]);
      expect(readFileSync(join(guardDir, 'guard-loaded'), 'utf8')).toBe('yes');
    } finally {
      await handle.terminate();
      Object.assign(globalThis, { fetch: saved.fetch });
      http.request = saved.httpRequest;
      http.get = saved.httpGet;
      https.request = saved.httpsRequest;
      https.get = saved.httpsGet;
      net.connect = saved.connect;
      net.Socket.prototype.connect = saved.socketConnect;
    }
  });
});
