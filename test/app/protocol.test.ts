import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, KEY, send, testApp } from '../helpers/app.js';
import { signTc3, signV1 } from '../../support/signer.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const tc3 = (input: Partial<Parameters<typeof signTc3>[0]> = {}) =>
  signTc3({ ...KEY, host: HOST, action: 'QrcodeOCR', region: 'ap-guangzhou', ...input });

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

async function code(request: ReturnType<typeof tc3>): Promise<string | undefined> {
  const reply = await send(app, request);
  expect(reply.status).toBe(200);
  expect(reply.contentType).toBe('application/json');
  expect(reply.response.RequestId).toMatch(UUID);
  return reply.response.Error?.Code;
}

describe('envelope', () => {
  it('answers errors with HTTP 200, exact application/json, Error and a UUID RequestId only', async () => {
    const reply = await send(app, tc3({ body: '{"ImageBase64":""}' }));
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('application/json');
    expect(Object.keys(reply.response).sort()).toEqual(['Error', 'RequestId']);
    expect(reply.response.Error).toEqual({
      Code: 'FailedOperation.EmptyImageError',
      Message: 'The image content is empty.',
    });
  });

  it('echoes X-TC-TraceId and gives every request its own RequestId', async () => {
    const first = await send(app, tc3({ extraHeaders: { 'X-TC-TraceId': 'trace-123' } }));
    const second = await send(app, tc3());
    expect(first.headers['x-tc-traceid']).toBe('trace-123');
    expect(first.response.RequestId).not.toBe(second.response.RequestId);
  });

  it('speaks zh-CN when asked', async () => {
    const reply = await send(app, tc3({ language: 'zh-CN', body: '{"ImageBase64":""}' }));
    expect(reply.response.Error).toEqual({ Code: 'FailedOperation.EmptyImageError', Message: '图片内容为空。' });
  });

  it('rejects an unknown language', async () => {
    expect(await code(tc3({ language: 'fr-FR' }))).toBe('InvalidParameterValue');
  });
});

describe('protocol checks in order', () => {
  it('UnsupportedProtocol for methods other than GET and POST', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
      const reply = await app.inject({ method, url: '/' });
      expect(reply.statusCode).toBe(200);
      expect(JSON.parse(reply.body).Response.Error.Code).toBe('UnsupportedProtocol');
    }
  });

  it('RequestSizeLimitExceeded for a GET over 32 KB and a TC3 POST over 10 MB', async () => {
    const query = `ImageUrl=${'a'.repeat(33 * 1024)}`;
    expect(await code(tc3({ method: 'GET', query }))).toBe('RequestSizeLimitExceeded');
    const body = JSON.stringify({ ImageBase64: 'A'.repeat(10 * 1024 * 1024 + 10) });
    expect(await code(tc3({ body }))).toBe('RequestSizeLimitExceeded');
  });

  it('v1 POST over 1 MB answers SignatureFailure with the size message', async () => {
    const request = signV1({
      ...KEY,
      host: HOST,
      params: { Action: 'QrcodeOCR', Version: '2018-11-19', ImageBase64: 'A'.repeat(1024 * 1024) },
    });
    const reply = await send(app, request);
    expect(reply.response.Error?.Code).toBe('AuthFailure.SignatureFailure');
    expect(reply.response.Error?.Message).toContain('exceeding request size limit');
  });

  it('AuthFailure codes', async () => {
    expect(await code({ ...tc3(), headers: { ...tc3().headers, Authorization: 'TC3-HMAC-SHA256 garbage' } })).toBe(
      'AuthFailure.InvalidAuthorization',
    );
    expect(await code({ ...tc3(), headers: { ...tc3().headers, Authorization: 'SKIP' } })).toBe(
      'AuthFailure.InvalidAuthorization',
    );
    expect(await code(tc3({ secretId: 'AKIDNOBODY' }))).toBe('AuthFailure.SecretIdNotFound');
    expect(await code(tc3({ timestamp: Math.floor(Date.now() / 1000) - 301 }))).toBe('AuthFailure.SignatureExpire');
    expect(await code(tc3({ secretKey: 'wrong' }))).toBe('AuthFailure.SignatureFailure');
  });

  it('MissingParameter, InvalidAction, NoSuchVersion', async () => {
    expect(await code(tc3({ action: undefined as unknown as string }))).toBe('MissingParameter');
    expect(await code(tc3({ action: 'NoSuchActionOCR' }))).toBe('InvalidAction');
    expect(await code(tc3({ action: 'GeneralBasicOCR' }))).toBe('UnsupportedOperation');
    expect(await code(tc3({ version: '' }))).toBe('MissingParameter');
    expect(await code(tc3({ version: '2019-01-01' }))).toBe('NoSuchVersion');
  });

  it('region: a missing one is accepted, a bogus one is InvalidParameterValue, an unoffered one UnsupportedRegion', async () => {
    expect(await code(tc3({ region: undefined as unknown as string, body: '{"ImageBase64":""}' }))).toBe(
      'FailedOperation.EmptyImageError',
    );
    expect(await code(tc3({ region: 'mars-north-1' }))).toBe('InvalidParameterValue');
    expect(await code(tc3({ region: 'ap-singapore' }))).toBe('UnsupportedRegion');
  });

  it('UnknownParameter and InvalidParameter', async () => {
    expect(await code(tc3({ body: '{"$schema":"x"}' }))).toBe('UnknownParameter');
    expect(await code(tc3({ body: '{"ImageUrl":5}' }))).toBe('InvalidParameter');
  });
});

describe('malformed bodies never escape the envelope', () => {
  const cases: Array<[string, Buffer, string, string]> = [
    ['invalid JSON', Buffer.from('{"ImageUrl":'), 'application/json', 'InvalidParameter'],
    ['a JSON array', Buffer.from('[1,2]'), 'application/json', 'InvalidParameter'],
    ['a JSON string', Buffer.from('"x"'), 'application/json', 'InvalidParameter'],
    [
      'bad UTF-8',
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      'application/json',
      'InvalidParameter',
    ],
    ['deep nesting', Buffer.from('['.repeat(200_000)), 'application/json', 'InvalidParameter'],
    ['text/plain', Buffer.from('hello'), 'text/plain', 'InvalidParameter'],
    ['broken multipart', Buffer.from('--b\r\nno headers end'), 'multipart/form-data; boundary=b', 'InvalidRequest'],
  ];
  it.each(cases)('%s', async (_name, body, contentType) => {
    const expected = cases.find(([name]) => name === _name)![3];
    expect(await code(tc3({ body, contentType }))).toBe(expected);
  });

  it('an unknown path answers in the envelope', async () => {
    const reply = await app.inject({ method: 'POST', url: '/v1/ocr' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body).Response.Error.Code).toBe('InvalidAction');
  });
});

describe('image intake', () => {
  const image = (params: Record<string, unknown>) => tc3({ body: JSON.stringify(params) });
  it('maps each bad image to its documented code', async () => {
    expect(await code(image({}))).toBe('InvalidParameterValue.InvalidParameterValueLimit');
    expect(await code(image({ ImageBase64: '' }))).toBe('FailedOperation.EmptyImageError');
    expect(await code(image({ ImageBase64: 'not base64!!' }))).toBe('InvalidParameter.EngineImageDecodeFailed');
    expect(await code(image({ ImageBase64: Buffer.from('just some text').toString('base64') }))).toBe(
      'FailedOperation.ImageDecodeFailed',
    );
    expect(await code(image({ ImageBase64: Buffer.from('GIF89a....').toString('base64') }))).toBe(
      'FailedOperation.ImageDecodeFailed',
    );
    expect(await code(image({ ImageBase64: 'A'.repeat(3 * 1024 * 1024 + 4) }))).toBe('LimitExceeded.TooLargeFileError');
  });

  it('a PNG header declaring 100k × 100k pixels is ImageSizeTooLarge before any decoding', async () => {
    const png = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
    png.writeUInt32BE(13, 8);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    expect(await code(image({ ImageBase64: png.toString('base64') }))).toBe('FailedOperation.ImageSizeTooLarge');
  });
});
