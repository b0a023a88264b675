/**
 * The bad-input suite: hundreds of malformed requests against a listening emulator. Each gets a
 * Tencent envelope with the right code (or, for transport-level abuse, a clean close), and the
 * server still answers a valid request afterwards. Its hostile part (clients that leave, slow
 * answers, catastrophic patterns, oversized journal entries, shutdown) is test/sdk/hostile-*.test.ts.
 */
import net from 'node:net';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { qrPng } from '../../support/images.js';
import { type SignedRequest, signTc3, signV1 } from '../../support/signer.js';

let emulator: RunningEmulator;
let host: string;
let png: Buffer;
let jpeg: Buffer;
let sent = 0;

beforeAll(async () => {
  emulator = await startTestEmulator({ TCOCR_REQUEST_TIMEOUT_MS: '1500' });
  host = emulator.endpoint;
  png = (await qrPng('robustness', 4)).png;
  jpeg = await sharp(png).jpeg({ quality: 80 }).toBuffer();
});
afterAll(async () => {
  // The run must really have covered the ground it claims.
  expect(sent).toBeGreaterThanOrEqual(200);
  await emulator?.close();
});

interface Reply {
  status: number;
  contentType: string | null;
  code: string | undefined;
}

async function send(request: SignedRequest): Promise<Reply> {
  sent += 1;
  const response = await fetch(`${emulator.url}${request.url}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body ? { body: request.body } : {}),
  });
  const body = (await response.json()) as { Response: { Error?: { Code: string }; RequestId: string } };
  expect(body.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    code: body.Response.Error?.Code,
  };
}

async function codeOf(request: SignedRequest): Promise<string | undefined> {
  const reply = await send(request);
  expect(reply.status).toBe(200);
  expect(reply.contentType).toBe('application/json');
  return reply.code;
}

const json = (body: string | Buffer, extra: Partial<Parameters<typeof signTc3>[0]> = {}) =>
  signTc3({ ...emulator.credentials, host, action: 'QrcodeOCR', body, ...extra });
const image = (bytes: Buffer) => json(JSON.stringify({ ImageBase64: bytes.toString('base64') }));

async function stillServing(): Promise<void> {
  expect(await codeOf(image(png))).toBeUndefined();
}

// A corrupted image may still decode (to garbage, or even to its symbol), or declare huge dimensions.
const DECODE_OUTCOMES = [
  'FailedOperation.ImageDecodeFailed',
  'FailedOperation.ImageSizeTooLarge',
  'FailedOperation.ImageNoText',
  'FailedOperation.ImageBlur',
  undefined,
];

describe('broken images', () => {
  it('truncated PNG and JPEG at every tenth of their length: ImageDecodeFailed', async () => {
    for (const original of [png, jpeg]) {
      for (let tenth = 1; tenth < 10; tenth += 1) {
        const cut = original.subarray(0, Math.floor((original.length * tenth) / 10));
        expect(await codeOf(image(cut))).toBe('FailedOperation.ImageDecodeFailed');
      }
    }
    await stillServing();
  });

  it('corrupted PNG and JPEG bytes never escape the envelope (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(png, jpeg),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }),
        async (original, flips) => {
          const bytes = Buffer.from(original);
          // Keep the signature so the bytes still claim to be PNG/JPEG; corrupt everything else.
          for (const [at, value] of flips) bytes[8 + (at % (bytes.length - 8))] = value;
          expect(DECODE_OUTCOMES).toContain(await codeOf(image(bytes)));
        },
      ),
      { numRuns: 60, seed: 20261122 },
    );
    await stillServing();
  });

  it('1×1 images, a 20000×20000 header and a decompression bomb', async () => {
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(await codeOf(image(tiny))).toBe('FailedOperation.ImageNoText');
    const tinyJpeg = await sharp(tiny).jpeg().toBuffer();
    expect(await codeOf(image(tinyJpeg))).toBe('FailedOperation.ImageNoText');
    const huge = Buffer.from(png);
    huge.writeUInt32BE(20_000, 16);
    huge.writeUInt32BE(20_000, 20);
    expect(await codeOf(image(huge))).toBe('FailedOperation.ImageSizeTooLarge');
    const bomb = await sharp({ create: { width: 8_000, height: 8_000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(await codeOf(image(bomb))).toBe('FailedOperation.ImageSizeTooLarge');
    await stillServing();
  });
});

describe('bad base64 and bad parameters', () => {
  it('strings that are not base64: EngineImageDecodeFailed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 1, maxLength: 200 })
          .filter((s) => /[^A-Za-z0-9+/=\r\n]/.test(s) && !s.startsWith('data:')),
        async (text) => {
          expect(await codeOf(json(JSON.stringify({ ImageBase64: text })))).toBe(
            'InvalidParameter.EngineImageDecodeFailed',
          );
        },
      ),
      { numRuns: 30, seed: 1 },
    );
  });

  it('base64 of random bytes: ImageDecodeFailed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2048 }), async (bytes) => {
        const looksLikeImage = (bytes[0] === 0x89 && bytes[1] === 0x50) || (bytes[0] === 0xff && bytes[1] === 0xd8);
        fc.pre(!looksLikeImage);
        expect(await codeOf(image(Buffer.from(bytes)))).toBe('FailedOperation.ImageDecodeFailed');
      }),
      { numRuns: 30, seed: 2 },
    );
  });

  it('unknown parameter names: UnknownParameter; wrong value types: InvalidParameter (property)', async () => {
    const anyJson = fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.double({ noNaN: true }),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((k) => !['ImageBase64', 'ImageUrl', '__proto__', 'constructor'].includes(k)),
        anyJson,
        async (key, value) => {
          expect(await codeOf(json(JSON.stringify({ [key]: value })))).toBe('UnknownParameter');
          expect(await codeOf(json(JSON.stringify({ ImageUrl: value })))).toBe('InvalidParameter');
        },
      ),
      { numRuns: 25, seed: 3 },
    );
    await stillServing();
  });
});

describe('bad bodies and framing', () => {
  it('invalid JSON, non-objects, deep nesting and non-UTF-8 bytes: InvalidParameter', async () => {
    const bodies: Array<string | Buffer> = [
      '{',
      '{"ImageBase64":',
      '{"ImageBase64":"x",}',
      "{'ImageBase64':'x'}",
      'null',
      '[]',
      '[{"ImageBase64":"x"}]',
      '42',
      '"text"',
      'true',
      '{"a":'.repeat(5000),
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
      Buffer.from([0xfe, 0xff, 0x00, 0x7b]),
      Buffer.concat([Buffer.from('{"ImageUrl":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    ];
    for (const body of bodies) expect(await codeOf(json(body))).toBe('InvalidParameter');
  });

  it('duplicate keys: the last one counts, as in JSON.parse', async () => {
    const body = `{"ImageBase64":"not base64!","ImageBase64":"${png.toString('base64')}"}`;
    expect(await codeOf(json(body))).toBeUndefined();
  });

  it('wrong content types: InvalidParameter; a broken multipart body: InvalidRequest', async () => {
    for (const contentType of [
      'text/plain',
      'application/xml',
      'image/png',
      'application/octet-stream',
      'text/html; charset=utf-8',
    ]) {
      expect(await codeOf(json('{}', { contentType }))).toBe('InvalidParameter');
    }
    for (const body of [
      '--b\r\n',
      'no boundary at all',
      '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n',
    ]) {
      expect(await codeOf(json(body, { contentType: 'multipart/form-data; boundary=b' }))).toBe('InvalidRequest');
    }
    expect(await codeOf(json('--b--', { contentType: 'multipart/form-data' }))).toBe('InvalidRequest');
  });

  it('unknown HTTP methods: UnsupportedProtocol', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const request = json('{}');
      expect(await codeOf({ ...request, method: method as 'POST' })).toBe('UnsupportedProtocol');
    }
  });

  it('oversize bodies: RequestSizeLimitExceeded (TC3), SignatureFailure with the size message (v1)', async () => {
    expect(await codeOf(json(`{"ImageBase64":"${'A'.repeat(10 * 1024 * 1024)}"}`))).toBe('RequestSizeLimitExceeded');
    const v1 = signV1({
      ...emulator.credentials,
      host,
      params: { Action: 'QrcodeOCR', Version: '2018-11-19', ImageBase64: 'A'.repeat(1_100_000) },
    });
    expect(await codeOf(v1)).toBe('AuthFailure.SignatureFailure');
    await stillServing();
  });

  it('mangled signatures and headers: the right AuthFailure code (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120 }), async (authorization) => {
        const request = json('{}');
        const code = await codeOf({
          ...request,
          headers: { ...request.headers, Authorization: `TC3-HMAC-SHA256 ${authorization}` },
        });
        expect(code).toBe('AuthFailure.InvalidAuthorization');
      }),
      { numRuns: 20, seed: 4 },
    );
  });
});

describe('slow and oversized clients', () => {
  function rawExchange(write: (socket: net.Socket) => void): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(emulator.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', () => undefined);
      write(socket);
    });
  }

  it('a body that trickles past the request timeout is cut off with InvalidRequest', async () => {
    sent += 1;
    const started = Date.now();
    const response = await rawExchange((socket) => {
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
      const timer = setInterval(() => socket.writable && socket.write(' '), 200);
      socket.on('close', () => clearInterval(timer));
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('"Code":"InvalidRequest"');
    await stillServing();
  });

  it('headers that never finish are cut off too', async () => {
    sent += 1;
    const response = await rawExchange((socket) => {
      socket.write('POST / HTTP/1.1\r\nHost: x\r\n');
      const timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
      socket.on('close', () => clearInterval(timer));
    });
    expect(response === '' || response.includes('"Code":"InvalidRequest"')).toBe(true);
    await stillServing();
  });

  it('huge headers: RequestSizeLimitExceeded in the envelope', async () => {
    sent += 1;
    const response = await rawExchange((socket) =>
      socket.end(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(100_000)}\r\n\r\n`),
    );
    expect(response).toContain('"Code":"RequestSizeLimitExceeded"');
    await stillServing();
  });
});
