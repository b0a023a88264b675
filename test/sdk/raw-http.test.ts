/**
 * Requests no SDK would send, written byte by byte to a listening emulator: they still get the
 * Tencent envelope, and the server keeps serving.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({}, false);
});
afterAll(async () => emulator?.close());

function exchange(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(emulator.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.end(bytes);
  });
}

function envelopeOf(response: string): { status: string; contentType: string | undefined; code: string } {
  const [head, body] = response.split('\r\n\r\n', 2) as [string, string];
  return {
    status: head.split('\r\n')[0]!,
    contentType: /content-type: ([^\r\n]+)/i.exec(head)?.[1],
    code: (JSON.parse(body) as { Response: { Error: { Code: string } } }).Response.Error.Code,
  };
}

describe('transport-level garbage', () => {
  it('headers over 64 KB answer RequestSizeLimitExceeded in the envelope', async () => {
    const response = await exchange(`POST / HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
    expect(envelopeOf(response)).toEqual({
      status: 'HTTP/1.1 200 OK',
      contentType: 'application/json',
      code: 'RequestSizeLimitExceeded',
    });
  });

  it('bytes that are not HTTP answer InvalidRequest in the envelope', async () => {
    const response = await exchange('\x16\x03\x01 this is not http\r\n\r\n');
    expect(envelopeOf(response)).toEqual({
      status: 'HTTP/1.1 200 OK',
      contentType: 'application/json',
      code: 'InvalidRequest',
    });
  });

  it('a body cut short of its Content-Length answers InvalidRequest, and the server keeps serving', async () => {
    const response = await exchange(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{"a":',
    );
    expect(envelopeOf(response)).toEqual({
      status: 'HTTP/1.1 200 OK',
      contentType: 'application/json',
      code: 'InvalidRequest',
    });
    expect(await errorCode(sdkClient(emulator).QrcodeOCR({ ImageBase64: '' }))).toBe('FailedOperation.EmptyImageError');
  });
});
