/**
 * TCOCR_MODE=replay through the official Node SDK: recorded answers come back as recorded (bar the
 * RequestId), for an action without an engine too; a miss is answered by the engine or refused, as
 * configured; a folder holding a file that is not a recording refuses to start, naming it.
 * TCOCR_MODE=record, with a second emulator (its own key pair) standing in for the real service:
 * answers are forwarded and written without the upstream key, replayed later with the upstream
 * gone, and an unreachable upstream is answered and never recorded.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { makeRecording } from '../../src/replay/recordings.js';
import { qrPng } from '../../support/images.js';
import { runCli, startCli } from '../helpers/cli-process.js';
import { sdkClient, startTestEmulator } from '../helpers/emulator.js';

const REGION = 'ap-guangzhou';
const TEXT = {
  TextDetections: [{ DetectedText: '录制的答案', Confidence: 97, ItemPolygon: { X: 1, Y: 2, Width: 3, Height: 4 } }],
  Language: 'zh',
  Angel: 0.5,
};

let dir: string;
let recorded: string;
let blurred: string;
let fresh: string;
const emulators: RunningEmulator[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'replay-'));
  recorded = (await qrPng('recorded text image')).png.toString('base64');
  blurred = (await qrPng('recorded as blurred')).png.toString('base64');
  fresh = (await qrPng('never recorded')).png.toString('base64');
  const files = [
    makeRecording('GeneralBasicOCR', REGION, { ImageBase64: recorded }, { ...TEXT, RequestId: 'real-request-id' }),
    makeRecording(
      'QrcodeOCR',
      REGION,
      { ImageBase64: blurred },
      {
        Error: { Code: 'FailedOperation.ImageBlur', Message: 'the real message' },
        RequestId: 'real-request-id-2',
      },
    ),
  ];
  for (const [i, recording] of files.entries()) writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(recording));
});
afterAll(async () => {
  for (const emulator of emulators) await emulator.close();
});

async function start(env: Record<string, string>): Promise<RunningEmulator> {
  const emulator = await startTestEmulator({ TCOCR_MODE: 'replay', TCOCR_RECORDINGS_DIR: dir, ...env });
  emulators.push(emulator);
  return emulator;
}

async function failure(call: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  return call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: { code?: string; message?: string }) => error,
  );
}

describe('replay', () => {
  it('answers recorded calls as recorded, an action without an engine too; a miss goes to the engine', async () => {
    const emulator = await start({});
    const client = sdkClient(emulator, { region: REGION });
    const { RequestId, ...fields } = await client.GeneralBasicOCR({ ImageBase64: recorded });
    expect(JSON.stringify(fields)).toBe(JSON.stringify(TEXT));
    expect(RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await failure(client.QrcodeOCR({ ImageBase64: blurred }))).toMatchObject({
      code: 'FailedOperation.ImageBlur',
      message: 'the real message',
    });
    const miss = await client.QrcodeOCR({ ImageBase64: fresh });
    expect(miss.CodeResults![0]!.Url).toBe('never recorded');
    expect((await failure(client.GeneralBasicOCR({ ImageBase64: fresh }))).code).toBe('UnsupportedOperation');
    const journal = (await (await fetch(`${emulator.url}/_emulator/requests?action=GeneralBasicOCR`)).json()) as {
      requests: { code: string; replayed?: string }[];
    };
    expect(journal.requests.map((r) => [r.code, typeof r.replayed])).toEqual([
      ['OK', 'string'],
      ['UnsupportedOperation', 'undefined'],
    ]);
  });

  it('TCOCR_REPLAY_MISS=error: a call with no recording is refused, naming what is missing', async () => {
    const emulator = await start({ TCOCR_REPLAY_MISS: 'error' });
    const error = await failure(sdkClient(emulator, { region: REGION }).QrcodeOCR({ ImageBase64: fresh }));
    expect(error.code).toBe('UnsupportedOperation');
    expect(error.message).toMatch(/^No recording of this QrcodeOCR call \(region ap-guangzhou, key [0-9a-f]{64}\)/);
  });

  it('refuses to start on a folder with a file that is not a recording, naming the file', async () => {
    const bad = mkdtempSync(path.join(tmpdir(), 'replay-bad-'));
    writeFileSync(path.join(bad, 'broken.json'), '{"version": 1, "action": "QrcodeOCR"');
    await expect(startTestEmulator({ TCOCR_MODE: 'replay', TCOCR_RECORDINGS_DIR: bad })).rejects.toThrow(
      /TCOCR_RECORDINGS_DIR: .*broken\.json: not JSON/,
    );
  });
});

const UPSTREAM_ID = 'AKIDUPSTREAM00000000000000000000000';
const UPSTREAM_KEY = 'UpstreamSecretKeyNeverWritten000';

describe('record', () => {
  it('forwards calls re-signed with the upstream key, writes their answers without it, and replays them with the upstream gone', async () => {
    const upstream = await startTestEmulator({ TCOCR_CREDENTIALS: `${UPSTREAM_ID}:${UPSTREAM_KEY}` });
    const folder = mkdtempSync(path.join(tmpdir(), 'record-'));
    const recorder = await startTestEmulator({
      TCOCR_MODE: 'record',
      TCOCR_UPSTREAM_URL: upstream.url,
      TCOCR_UPSTREAM_CREDENTIALS: `${UPSTREAM_ID}:${UPSTREAM_KEY}`,
      TCOCR_RECORDINGS_DIR: folder,
    });
    emulators.push(recorder);
    const client = sdkClient(recorder, { region: REGION });
    const { RequestId: first, ...answer } = await client.QrcodeOCR({ ImageBase64: fresh });
    expect(answer.CodeResults![0]!.Url).toBe('never recorded');
    const blank = (await failure(client.QrcodeOCR({ ImageBase64: 'iVBORw0KGgo=' }))).code;
    expect(blank).toBeDefined();
    // An action without an engine, answered upstream by a canned result, is recorded like any other.
    await fetch(`${upstream.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ match: { action: 'GeneralBasicOCR' }, effect: { type: 'success', result: TEXT } }),
    });
    const { RequestId: _text, ...text } = await client.GeneralBasicOCR({ ImageBase64: recorded });
    expect(text).toEqual(TEXT);
    const upstreamSaw = (await (await fetch(`${upstream.url}/_emulator/requests`)).json()) as {
      requests: { secretId: string; code: string }[];
    };
    expect(upstreamSaw.requests.map((r) => r.secretId)).toEqual([UPSTREAM_ID, UPSTREAM_ID, UPSTREAM_ID]);
    const files = readdirSync(folder);
    expect(files).toHaveLength(3);
    for (const file of files) expect(readFileSync(path.join(folder, file), 'utf8')).not.toContain(UPSTREAM_KEY);
    const journal = await (await fetch(`${recorder.url}/_emulator/requests`)).text();
    expect(journal).not.toContain(UPSTREAM_KEY);
    expect(journal).toContain('"recorded"');
    await upstream.close();

    // The upstream is gone: a call is answered, as ServiceUnavailable, and not recorded.
    expect((await failure(client.QrcodeOCR({ ImageBase64: recorded }))).code).toBe('ServiceUnavailable');
    expect(readdirSync(folder)).toHaveLength(3);

    const replayer = await startTestEmulator({
      TCOCR_MODE: 'replay',
      TCOCR_RECORDINGS_DIR: folder,
      TCOCR_REPLAY_MISS: 'error',
    });
    emulators.push(replayer);
    const again = sdkClient(replayer, { region: REGION });
    const { RequestId: second, ...replayed } = await again.QrcodeOCR({ ImageBase64: fresh });
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(answer));
    expect(second).not.toBe(first);
    expect((await failure(again.QrcodeOCR({ ImageBase64: 'iVBORw0KGgo=' }))).code).toBe(blank);
    const { RequestId: _again, ...textAgain } = await again.GeneralBasicOCR({ ImageBase64: recorded });
    expect(JSON.stringify(textAgain)).toBe(JSON.stringify(text));
  });
});

describe('record: a failing upstream', () => {
  it('5xx, not JSON and no answer in time are answered with Tencent errors and never recorded', async () => {
    const hanging: http.ServerResponse[] = [];
    const server = http.createServer((request, response) => {
      request.resume();
      const behaviour = request.headers['x-tc-region'];
      request.on('end', () => {
        if (behaviour === 'ap-shanghai')
          response.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
        else if (behaviour === 'ap-beijing')
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"Response": {"Code');
        else hanging.push(response); // never answers
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const folder = mkdtempSync(path.join(tmpdir(), 'record-fail-'));
    const recorder = await startTestEmulator({
      TCOCR_MODE: 'record',
      TCOCR_UPSTREAM_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      TCOCR_UPSTREAM_CREDENTIALS: `${UPSTREAM_ID}:${UPSTREAM_KEY}`,
      TCOCR_RECORDINGS_DIR: folder,
      TCOCR_URL_TIMEOUT_MS: '1000',
      TCOCR_QRCODE_REGIONS: '*',
    });
    emulators.push(recorder);
    const call = (region: string) => failure(sdkClient(recorder, { region }).QrcodeOCR({ ImageBase64: fresh }));
    expect((await call('ap-shanghai')).code).toBe('ServiceUnavailable');
    expect((await call('ap-beijing')).code).toBe('InternalError');
    expect((await call('ap-guangzhou')).code).toBe('ServiceUnavailable');
    expect(readdirSync(folder)).toEqual([]);
    for (const response of hanging) response.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a malformed TCOCR_UPSTREAM_CREDENTIALS is refused without repeating it', async () => {
    await expect(
      startTestEmulator({
        TCOCR_MODE: 'record',
        TCOCR_RECORDINGS_DIR: tmpdir(),
        TCOCR_UPSTREAM_CREDENTIALS: UPSTREAM_KEY,
      }),
    ).rejects.toThrow(/TCOCR_UPSTREAM_CREDENTIALS=\(hidden\): expected SecretId:SecretKey/);
    await expect(
      startTestEmulator({
        TCOCR_MODE: 'record',
        TCOCR_RECORDINGS_DIR: tmpdir(),
        TCOCR_UPSTREAM_CREDENTIALS: UPSTREAM_KEY,
      }),
    ).rejects.not.toThrow(new RegExp(UPSTREAM_KEY));
  });
});

describe('compare', () => {
  it('prints where the local engines answer recorded calls differently, and exits 1 when any does', async () => {
    const emulator = await start({});
    const truth = await sdkClient(emulator, { region: REGION }).QrcodeOCR({ ImageBase64: fresh });
    const folder = mkdtempSync(path.join(tmpdir(), 'compare-'));
    const write = (name: string, recording: object) =>
      writeFileSync(path.join(folder, name), JSON.stringify(recording));
    write('same.json', makeRecording('QrcodeOCR', REGION, { ImageBase64: fresh }, { ...truth }, true));
    const drifted = structuredClone(truth);
    drifted.CodeResults![0]!.Url = 'what the real service read';
    write('drift.json', makeRecording('QrcodeOCR', 'ap-beijing', { ImageBase64: fresh }, { ...drifted }, true));
    write('text.json', makeRecording('GeneralBasicOCR', REGION, { ImageBase64: recorded }, TEXT, true));
    const run = runCli(['compare', folder]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^same {2}QrcodeOCR [0-9a-f]{16}$/m);
    expect(run.stdout).toMatch(
      /^DIFF {2}QrcodeOCR [0-9a-f]{16}\n {6}CodeResults\[0\]\.Url: recorded "what the real service read", emulator "never recorded"$/m,
    );
    expect(run.stdout).toContain('2 compared in');
    expect(run.stdout).toContain('1 the same, 1 different; 1 skipped');
  });
});

describe('record: the upstream key stays secret', () => {
  it('is in no log line of a recording server at trace level, nor in its journal', async () => {
    const upstream = await startTestEmulator({ TCOCR_CREDENTIALS: `${UPSTREAM_ID}:${UPSTREAM_KEY}` });
    emulators.push(upstream);
    const folder = mkdtempSync(path.join(tmpdir(), 'record-logs-'));
    const server = await startCli(['--port', '0', '--decoder-workers', '1', '--healthcode-offline'], {
      TCOCR_MODE: 'record',
      TCOCR_UPSTREAM_URL: upstream.url,
      TCOCR_UPSTREAM_CREDENTIALS: `${UPSTREAM_ID}:${UPSTREAM_KEY}`,
      TCOCR_RECORDINGS_DIR: folder,
      TCOCR_LOG_LEVEL: 'trace',
    });
    try {
      const [host, port] = server.endpoint.split(':');
      const client = sdkClient(
        { endpoint: server.endpoint, url: `http://${server.endpoint}` } as unknown as RunningEmulator,
        {
          region: REGION,
          endpoint: `${host}:${port}`,
          secretId: 'AKIDEMULATOR000000000000000000000000',
          secretKey: 'EmulatorSecretKey0000000000000000',
        },
      );
      await client.QrcodeOCR({ ImageBase64: fresh });
      expect(readdirSync(folder)).toHaveLength(1);
      const journal = await (await fetch(`http://${server.endpoint}/_emulator/requests`)).text();
      expect(journal).toContain('"recorded"');
      expect(journal).not.toContain(UPSTREAM_KEY);
    } finally {
      server.child.kill('SIGTERM');
      await server.exit;
    }
    expect(server.stdout().length).toBeGreaterThan(0); // trace logging did write
    expect(server.stdout() + server.stderr()).not.toContain(UPSTREAM_KEY);
  });
});
