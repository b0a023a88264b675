/**
 * RecognizeHealthCodeOCR through the official Node SDK. Newer SDKs dropped the typed method, so
 * the generic `client.request` is what users call (PROTOCOL.md §6.2).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { type FileServer, serveFiles } from '../helpers/file-server.js';
import { blankPng } from '../../support/images.js';
import { repoRoot } from '../helpers/shared.js';

interface Fixture {
  file: string;
  variant: string;
  truth: Record<string, string>;
}

const fixtureDir = path.join(repoRoot, 'fixtures', 'healthcode');
const manifest = JSON.parse(readFileSync(path.join(fixtureDir, 'manifest.json'), 'utf8')) as Fixture[];
const clean = manifest.find((f) => f.variant === 'clean' && f.file.startsWith('guangdong'))!;
const cleanBytes = readFileSync(path.join(fixtureDir, clean.file));

let emulator: RunningEmulator;
let files: FileServer;

beforeAll(async () => {
  files = await serveFiles({ '/code.png': cleanBytes, '/empty.png': Buffer.alloc(0) });
  emulator = await startTestEmulator({ TCOCR_ALLOW_PRIVATE_URLS: 'true' }, ['healthCode']);
});
afterAll(async () => {
  await emulator?.close();
  await files?.close();
});

const recognize = (params: Record<string, unknown>, region = 'ap-guangzhou') =>
  sdkClient(emulator, { region }).request('RecognizeHealthCodeOCR', params) as Promise<Record<string, string>>;

describe('RecognizeHealthCodeOCR', () => {
  it('returns the ten fields of a generated screenshot, all strings', async () => {
    const response = await recognize({ ImageBase64: cleanBytes.toString('base64'), Type: 0 });
    const { RequestId, ...fields } = response;
    expect(RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fields).toEqual(clean.truth);
  });

  it('reads a photo stored sideways with an EXIF orientation as a phone shows it', async () => {
    const sideways = await sharp(cleanBytes)
      .rotate(270)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 90 })
      .toBuffer();
    const { RequestId, ...fields } = await recognize({ ImageBase64: sideways.toString('base64') });
    expect(RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fields).toEqual(clean.truth);
  });

  it('reads the same screenshot from an ImageUrl (GET with TC3 as well)', async () => {
    const response = (await sdkClient(emulator, { reqMethod: 'GET' }).request('RecognizeHealthCodeOCR', {
      ImageUrl: files.url('/code.png'),
    })) as Record<string, string>;
    expect(response.Color).toBe(clean.truth.Color);
    expect(response.Name).toBe(clean.truth.Name);
  });

  it('answers every naturally reachable error of the action with its exact code', async () => {
    expect(await errorCode(recognize({}))).toBe('InvalidParameterValue.InvalidParameterValueLimit');
    expect(await errorCode(recognize({ ImageBase64: cleanBytes.toString('base64'), Type: 3 }))).toBe(
      'InvalidParameterValue.InvalidParameterValueLimit',
    );
    expect(await errorCode(recognize({ Type: 'zero' }))).toBe('InvalidParameter');
    expect(await errorCode(recognize({ ImageBase64: '' }))).toBe('FailedOperation.EmptyImageError');
    expect(await errorCode(recognize({ ImageBase64: Buffer.from('plain text').toString('base64') }))).toBe(
      'FailedOperation.ImageDecodeFailed',
    );
    expect(await errorCode(recognize({ ImageBase64: 'A'.repeat(7 * 1024 * 1024 + 4) }))).toBe(
      'LimitExceeded.TooLargeFileError',
    );
    expect(await errorCode(recognize({ ImageBase64: (await blankPng(600, 800)).toString('base64') }))).toBe(
      'FailedOperation.ImageNoText',
    );
    expect(await errorCode(recognize({ ImageUrl: files.url('/missing.png') }))).toBe('FailedOperation.DownLoadError');
    expect(await errorCode(recognize({ ImageUrl: files.url('/empty.png') }))).toBe('FailedOperation.EmptyImageError');
    expect(await errorCode(recognize({ ImageBase64: cleanBytes.toString('base64') }, 'ap-singapore'))).toBe(
      'UnsupportedRegion',
    );
  });

  it('answers ActionOffline when configured to mimic the retired service', async () => {
    const offline = await startTestEmulator({ TCOCR_HEALTHCODE_OFFLINE: 'true' }, false);
    try {
      expect(
        await errorCode(
          sdkClient(offline).request('RecognizeHealthCodeOCR', { ImageBase64: cleanBytes.toString('base64') }),
        ),
      ).toBe('ActionOffline');
    } finally {
      await offline.close();
    }
  });
});
