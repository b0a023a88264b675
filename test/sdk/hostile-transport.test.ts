/**
 * Hostile input, part of the bad-input suite: abuse at the HTTP level. Over-size bodies answer
 * RequestSizeLimitExceeded through the SDK (the body is read and discarded first, no EPIPE);
 * a request without Host, or with its Host past 2,000 other headers, gets an envelope; a body of
 * millions of `[` is refused before JSON.parse; the admin token's scheme is case-insensitive;
 * IPv4-translated IPv6 addresses are classed by their IPv4 address.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/engines/image-fetch/address-policy.js';
import type { RunningEmulator } from '../../src/index.js';
import { parseJsonBody } from '../../src/protocol/body.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';
import { rawExchange } from '../helpers/hostile-http.js';
import { signTc3 } from '../../support/signer.js';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ TCOCR_ADMIN_TOKEN: 'hostile-token' });
});
afterAll(async () => emulator?.close());

const envelopeCode = (response: string) => /"Code":"([^"]+)"/.exec(response)?.[1];

describe('over-size bodies through the SDK', () => {
  it('a TC3 POST over 10 MB answers RequestSizeLimitExceeded every time (9 of 9), never EPIPE', async () => {
    const client = sdkClient(emulator);
    const tooLarge = 'A'.repeat(10 * 1024 * 1024 + 4096);
    for (let i = 0; i < 9; i += 1)
      expect(await errorCode(client.QrcodeOCR({ ImageBase64: tooLarge }))).toBe('RequestSizeLimitExceeded');
  });
});

/**
 * A client on a slow uplink: sends a TC3 POST of `size` bytes in 256 KB pieces, reading all the
 * while. Resolves with whether every piece was written and what was read.
 */
function slowUpload(size: number): Promise<{ sentAll: boolean; response: string }> {
  const request = signTc3({ ...emulator.credentials, host: emulator.endpoint, action: 'QrcodeOCR', body: '' });
  const head = Object.entries({ ...request.headers, 'Content-Length': String(size) })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return new Promise((resolve) => {
    const socket = net.connect(emulator.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let sent = 0;
    let failed = false;
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => (failed = true));
    socket.on('close', () =>
      resolve({ sentAll: !failed && sent >= size, response: Buffer.concat(chunks).toString('utf8') }),
    );
    socket.write(`POST / HTTP/1.1\r\n${head}\r\n\r\n`);
    const piece = Buffer.alloc(256 * 1024, 0x41);
    const next = () => {
      if (failed || socket.destroyed) return;
      if (sent >= size) return void socket.end();
      const part = piece.subarray(0, Math.min(piece.length, size - sent));
      sent += part.length;
      socket.write(part, (error) => {
        if (error) failed = true;
        else setTimeout(next, 5);
      });
    };
    next();
  });
}

describe('over-size bodies from a slow client', () => {
  it('the whole body is read and discarded, then RequestSizeLimitExceeded: no EPIPE, no reset', async () => {
    const { sentAll, response } = await slowUpload(12 * 1024 * 1024);
    expect(sentAll).toBe(true);
    expect(envelopeCode(response)).toBe('RequestSizeLimitExceeded');
  });
});

describe('headers', () => {
  it('an HTTP/1.1 request without Host: InvalidRequest in the envelope, not a bare 400', async () => {
    const response = await rawExchange(
      emulator.port,
      'POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
    );
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(envelopeCode(response)).toBe('InvalidRequest');
    expect(response).toContain('no Host header');
  });

  it('Host after 2,100 other headers: an envelope', async () => {
    const many = Array.from({ length: 2_100 }, (_, i) => `X-H${i}: 1\r\n`).join('');
    const response = await rawExchange(
      emulator.port,
      `POST / HTTP/1.1\r\n${many}Host: ${emulator.endpoint}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(envelopeCode(response)).toBeDefined();
  });
});

describe('deeply nested JSON', () => {
  it('10 MB of [ is refused by the depth check, before JSON.parse', () => {
    const body = Buffer.from('['.repeat(10 * 1024 * 1024 - 64));
    expect(() => parseJsonBody(body)).toThrow(/nests deeper than 64 levels/);
    expect(parseJsonBody(Buffer.from(`{"a":"${'['.repeat(1000)}\\"["}`))).toEqual({ a: `${'['.repeat(1000)}"[` });
  });

  it('through the server: InvalidParameter', async () => {
    const body = '['.repeat(5 * 1024 * 1024);
    const request = signTc3({ ...emulator.credentials, host: emulator.endpoint, action: 'QrcodeOCR', body });
    const response = await fetch(`${emulator.url}/`, { method: 'POST', headers: request.headers, body: request.body! });
    const json = (await response.json()) as { Response: { Error: { Code: string; Message: string } } };
    expect(json.Response.Error).toEqual({
      Code: 'InvalidParameter',
      Message: 'The request body nests deeper than 64 levels.',
    });
  });
});

describe('the admin token', () => {
  it('the Bearer scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await fetch(`${emulator.url}/_emulator/faults`, {
        headers: { authorization: `${scheme} hostile-token` },
      });
      expect(response.status).toBe(200);
    }
    expect(
      (await fetch(`${emulator.url}/_emulator/faults`, { headers: { authorization: 'bearer wrong' } })).status,
    ).toBe(401);
    expect(
      (await fetch(`${emulator.url}/_emulator/faults`, { headers: { authorization: 'Basic hostile-token' } })).status,
    ).toBe(401);
  });
});

describe('IPv6 forms of IPv4 addresses', () => {
  it('::ffff:0:127.0.0.1 (IPv4-translated) is loopback, 64:ff9b:1::a00:1 private', () => {
    expect(classifyAddress('::ffff:0:127.0.0.1')).toBe('loopback');
    expect(classifyAddress('::ffff:0:7f00:1')).toBe('loopback');
    expect(classifyAddress('64:ff9b:1::a00:1')).toBe('private');
    expect(classifyAddress('::ffff:0:8.8.8.8')).toBe('public');
  });

  it('an ImageUrl on [::ffff:0:127.0.0.1] is not fetched: DownLoadError', async () => {
    expect(await errorCode(sdkClient(emulator).QrcodeOCR({ ImageUrl: 'http://[::ffff:0:127.0.0.1]:9/x.png' }))).toBe(
      'FailedOperation.DownLoadError',
    );
  });
});
