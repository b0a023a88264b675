/**
 * The control plane under /_emulator/ through inject(): token, OpenAPI document, fault rules,
 * journal, accounts, rate limits, metrics, reset.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, KEY, send, testApp } from '../helpers/app.js';
import { signTc3 } from '../../support/signer.js';
import { requestParams } from '../../src/journal/request-view.js';

const TOKEN = 'admin-secret';
const auth = { authorization: `Bearer ${TOKEN}` };
const api = (input: Partial<Parameters<typeof signTc3>[0]> = {}) =>
  signTc3({ ...KEY, host: HOST, action: 'QrcodeOCR', region: 'ap-guangzhou', body: '{"ImageBase64":""}', ...input });
const withHeaders = (headers: Record<string, string>, input: Partial<Parameters<typeof signTc3>[0]> = {}) =>
  api({ ...input, extraHeaders: headers });

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp({ TCOCR_ADMIN_TOKEN: TOKEN, TCOCR_ACCOUNTS: 'AKIDARREARS=in-arrears' });
});
afterAll(async () => app.close());

const admin = async (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) => {
  const reply = await app.inject({
    method,
    url: `/_emulator${url}`,
    headers: {
      ...auth,
      ...(payload !== undefined && typeof payload !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
  });
  return {
    status: reply.statusCode,
    body: reply.body
      ? String(reply.headers['content-type']).includes('json')
        ? JSON.parse(reply.body)
        : reply.body
      : undefined,
    headers: reply.headers,
  };
};

describe('access', () => {
  it('health and ready are open; everything else needs the bearer token', async () => {
    expect((await app.inject({ url: '/_emulator/health' })).statusCode).toBe(200);
    expect([200, 503]).toContain((await app.inject({ url: '/_emulator/ready' })).statusCode);
    for (const url of ['/_emulator/faults', '/_emulator/requests', '/_emulator/metrics', '/_emulator/openapi.json']) {
      const reply = await app.inject({ url });
      expect(reply.statusCode).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Bearer');
      expect((await app.inject({ url, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
      expect((await app.inject({ url, headers: auth })).statusCode).toBe(200);
    }
  });

  it('unknown control-plane paths are a JSON 404; TCOCR_ADMIN=false serves none of it', async () => {
    expect(await admin('GET', '/nothing-here')).toMatchObject({
      status: 404,
      body: { error: expect.stringMatching(/no route/) },
    });
    const off = await testApp({ TCOCR_ADMIN: 'false' });
    try {
      const reply = await off.inject({ url: '/_emulator/health' });
      expect(JSON.parse(reply.body).Response.Error.Code).toBe('InvalidAction');
    } finally {
      await off.close();
    }
  });
});

describe('OpenAPI document', () => {
  it('describes every control-plane route, marks health and ready open', async () => {
    const { body: doc } = await admin('GET', '/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /_emulator/health',
        'GET /_emulator/ready',
        'GET /_emulator/metrics',
        'POST /_emulator/reset',
        'GET /_emulator/faults',
        'POST /_emulator/faults',
        'DELETE /_emulator/faults',
        'GET /_emulator/faults/{id}',
        'DELETE /_emulator/faults/{id}',
        'GET /_emulator/requests',
        'DELETE /_emulator/requests',
        'GET /_emulator/requests/count',
        'GET /_emulator/requests/wait',
        'GET /_emulator/requests/{requestId}',
        'POST /_emulator/requests/{requestId}/signature-check',
        'GET /_emulator/requests/{requestId}/image',
        'GET /_emulator/ui',
        'GET /_emulator/ui/console.js',
        'GET /_emulator/accounts',
        'PUT /_emulator/accounts/{secretId}',
        'DELETE /_emulator/accounts/{secretId}',
        'GET /_emulator/rate-limits',
        'PUT /_emulator/rate-limits',
        'GET /_emulator/openapi.json',
      ].sort(),
    );
    expect(doc.paths['/_emulator/health'].get.security).toEqual([]);
    expect(doc.paths['/_emulator/faults'].post.requestBody.content['application/yaml']).toBeDefined();
    expect(doc.paths['/_emulator/faults/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
    expect(JSON.stringify(doc)).not.toMatch(/Symbol/);
  });

  it('is generated from the route schemas: query limits, path parameters, content types, the token', async () => {
    const { body: doc } = await admin('GET', '/openapi.json');
    expect(doc.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/_emulator/reset'].post.parameters).toEqual([
      {
        name: 'seed',
        in: 'query',
        required: false,
        description: 'Re-seed with this instead of TCOCR_FAULT_SEED.',
        schema: { type: 'integer', minimum: 0, maximum: 4294967295 },
      },
    ]);
    expect(doc.paths['/_emulator/reset'].post.responses).toEqual({
      204: { description: 'Reset.' },
      401: { description: 'Missing or wrong admin token.' },
    });
    expect(doc.paths['/_emulator/faults'].get.parameters[0]).toMatchObject({
      name: 'pending',
      schema: { type: 'string', enum: ['true', 'false', '1', '0'] },
    });
    expect(doc.paths['/_emulator/requests/{requestId}'].get.parameters).toEqual([
      { name: 'requestId', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(doc.paths['/_emulator/metrics'].get.responses[200].content).toEqual({
      'text/plain': { schema: { type: 'string' } },
    });
    expect(doc.paths['/_emulator/rate-limits'].put.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { type: 'object', additionalProperties: false } } },
    });
    expect(doc.paths['/_emulator/health'].get.responses[401]).toBeUndefined();
  });
});

describe('query strings, checked by the route schemas', () => {
  it('a bad value is a 400 naming the parameter and what it must be; an empty one is left out', async () => {
    const cases: [method: 'GET' | 'POST', url: string, error: string][] = [
      ['POST', '/reset?seed=-1', 'seed must be a whole number from 0 to 4294967295'],
      ['POST', '/reset?seed=abc', 'seed must be a whole number from 0 to 4294967295'],
      ['GET', '/faults?pending=maybe', 'pending must be true or false'],
      ['GET', '/requests?limit=0', 'limit must be a whole number from 1 to 1000000'],
      ['GET', '/requests?after=1.5', 'after must be a whole number from 0 to 9007199254740991'],
      ['GET', '/requests/count?faulted=yes', 'faulted must be true or false'],
      ['GET', '/requests/wait?timeoutMs=30001', 'timeoutMs must be a whole number from 0 to 30000'],
      ['GET', '/requests?since=yesterday', 'since must be an ISO 8601 time or epoch milliseconds'],
      ['GET', '/requests/count?until=soon', 'until must be an ISO 8601 time or epoch milliseconds'],
    ];
    for (const [method, url, error] of cases)
      expect(await admin(method, url), url).toMatchObject({ status: 400, body: { error } });
    await admin('POST', '/reset');
    await send(app, withHeaders({ 'X-TC-Emulator-Test-Id': 'q', 'X-TC-Emulator-Fault': 'InternalError' }));
    expect((await admin('GET', '/requests/count?testId=q&faulted=1&limit=&action=')).body).toEqual({ count: 1 });
    expect((await admin('GET', '/requests/count?testId=q&faulted=0')).body).toEqual({ count: 0 });
    expect((await admin('GET', '/faults?pending=0')).body).toEqual({ rules: [] });
  });
});

describe('fault rules', () => {
  it('create (JSON, YAML), list, read, delete; counts and request ids follow the calls', async () => {
    await admin('POST', '/reset');
    const created = await admin('POST', '/faults', {
      id: 'blur',
      effect: 'FailedOperation.ImageBlur',
      times: 1,
      match: { testId: 'crud' },
    });
    expect(created.status).toBe(201);
    expect(created.body.rules[0]).toMatchObject({
      id: 'blur',
      fired: 0,
      remaining: 1,
      pending: true,
      effectLabel: 'error:FailedOperation.ImageBlur',
    });
    const yaml = await admin('POST', '/faults', '- effect: delay/1\n  match: { testId: other }\n', {
      'content-type': 'application/yaml',
    });
    expect(yaml.status).toBe(201);
    const generatedId = yaml.body.rules[0].id as string;
    expect(generatedId).toMatch(/^rule-\d+$/);

    const first = await send(app, withHeaders({ 'X-TC-Emulator-Test-Id': 'crud' }));
    const second = await send(app, withHeaders({ 'X-TC-Emulator-Test-Id': 'crud' }));
    expect(first.response.Error?.Code).toBe('FailedOperation.ImageBlur');
    expect(second.response.Error?.Code).toBe('FailedOperation.EmptyImageError');
    expect((await admin('GET', '/faults/blur')).body).toMatchObject({
      matched: 2,
      fired: 1,
      remaining: 0,
      pending: false,
      requestIds: [first.response.RequestId],
    });
    expect((await admin('GET', '/faults?pending=true')).body.rules.map((r: { id: string }) => r.id)).toEqual([
      generatedId,
    ]);

    expect((await admin('DELETE', `/faults/${generatedId}`)).status).toBe(204);
    expect((await admin('DELETE', `/faults/${generatedId}`)).status).toBe(404);
    expect((await admin('GET', '/faults/nope')).status).toBe(404);
    expect((await admin('DELETE', '/faults')).status).toBe(204);
    expect((await admin('GET', '/faults')).body.rules).toEqual([]);
  });

  it('400 lists what is wrong (nothing is added); 409 for an id in use', async () => {
    await admin('POST', '/reset');
    const bad = await admin('POST', '/faults', [
      { effect: 'reset' },
      { effect: 'NoSuchCode' },
      { effect: 'reset', times: 0 },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/rules\[1\].*NoSuchCode.*rules\[2\]\.times/);
    expect((await admin('GET', '/faults')).body.rules).toEqual([]);
    expect((await admin('POST', '/faults', 'not json {', { 'content-type': 'application/json' })).status).toBe(400);
    await admin('POST', '/faults', { id: 'same', effect: 'reset' });
    expect((await admin('POST', '/faults', { id: 'same', effect: 'empty' })).status).toBe(409);
  });

  it('header faults, a canned success and a raw HTTP status through inject()', async () => {
    await admin('POST', '/reset');
    const header = await send(app, withHeaders({ 'X-TC-Emulator-Fault': 'ServiceUnavailable' }));
    expect(header.response.Error).toEqual({
      Code: 'ServiceUnavailable',
      Message: 'The service is temporarily unavailable. Please try again later.',
    });
    const badHeader = await send(app, withHeaders({ 'X-TC-Emulator-Fault': 'Nonsense' }));
    expect(badHeader.response.Error?.Code).toBe('InvalidParameterValue');

    await admin('POST', '/faults', {
      effect: { type: 'success', result: { CodeResults: [], ImgSize: { Wide: 1, High: 2 } } },
      match: { testId: 'canned' },
    });
    const canned = await send(app, withHeaders({ 'X-TC-Emulator-Test-Id': 'canned' }));
    expect(canned.response).toMatchObject({ CodeResults: [], ImgSize: { Wide: 1, High: 2 } });
    expect(canned.contentType).toBe('application/json');

    await admin('POST', '/faults', {
      effect: { type: 'http', status: 503, body: 'busy', contentType: 'text/plain' },
      match: { testId: 'raw' },
      times: 1,
    });
    const raw = await app.inject({ ...api({ extraHeaders: { 'X-TC-Emulator-Test-Id': 'raw' } }), payload: api().body });
    expect(raw.statusCode).toBe(503);
    expect(raw.body).toBe('busy');

    const forced = await send(app, withHeaders({ 'X-TC-Emulator-Fault': 'RequestLimitExceeded' }));
    expect(forced.response.Error?.Message).toMatch(
      /equals to `\d+` in a second, which exceeds the frequency limit `\d+`/,
    );
  });
});

describe('TCOCR_FAULT_INPUTS=false', () => {
  it('ignores the fault header and the magic ImageUrl host; rules still apply', async () => {
    const strict = await testApp({ TCOCR_FAULT_INPUTS: 'false' });
    try {
      const header = await send(strict, withHeaders({ 'X-TC-Emulator-Fault': 'reset' }));
      expect(header.response.Error?.Code).toBe('FailedOperation.EmptyImageError');
      await strict.inject({
        method: 'POST',
        url: '/_emulator/faults',
        headers: { 'content-type': 'application/json' },
        payload: '{"effect":"ServiceUnavailable"}',
      });
      expect((await send(strict, api())).response.Error?.Code).toBe('ServiceUnavailable');
    } finally {
      await strict.close();
    }
  });

  it('a dropped connection under inject() does not crash the app', async () => {
    const reply = await app
      .inject({ ...api({ extraHeaders: { 'X-TC-Emulator-Fault': 'empty' } }), payload: api().body })
      .catch((error: Error) => error);
    expect(reply).toBeDefined();
    expect((await app.inject({ url: '/_emulator/health' })).statusCode).toBe(200);
  });
});

describe('journal', () => {
  it('records each API request with outcome, SecretId, test id and faults; filters, counts, looks up', async () => {
    await admin('POST', '/reset');
    const ok = await send(app, withHeaders({ 'X-TC-Emulator-Test-Id': 'j1', 'X-TC-TraceId': 'trace-1' }));
    await send(app, withHeaders({ 'X-TC-Emulator-Test-Id': 'j1', 'X-TC-Emulator-Fault': 'delay/1,InternalError' }));
    await send(app, withHeaders({ 'X-TC-Emulator-Test-Id': 'j2' }, { action: 'NoSuchAction' }));

    const all = await admin('GET', '/requests?testId=j1');
    expect(all.body.count).toBe(2);
    const [plain, faulted] = all.body.requests;
    expect(plain).toMatchObject({
      requestId: ok.response.RequestId,
      action: 'QrcodeOCR',
      code: 'FailedOperation.EmptyImageError',
      message: 'The image content is empty.',
      httpStatus: 200,
      secretId: KEY.secretId,
      region: 'ap-guangzhou',
      traceId: 'trace-1',
      signatureMethod: 'TC3-HMAC-SHA256',
      faults: [],
    });
    expect(faulted).toMatchObject({
      code: 'InternalError',
      faults: [
        { id: 'header:1', source: 'header', effect: 'delay:1' },
        { id: 'header:2', source: 'header', effect: 'error:InternalError' },
      ],
    });
    expect((await admin('GET', '/requests?testId=j2')).body.requests[0]).toMatchObject({
      action: 'NoSuchAction',
      code: 'InvalidAction',
    });
    expect((await admin('GET', '/requests/count?faulted=true')).body.count).toBe(1);
    expect((await admin('GET', '/requests/count?code=InternalError&action=QrcodeOCR')).body.count).toBe(1);
    expect(
      (await admin('GET', `/requests/count?since=${new Date(Date.now() + 60_000).toISOString()}`)).body.count,
    ).toBe(0);
    expect((await admin('GET', '/requests?limit=1')).body.requests[0].testId).toBe('j2');
    expect((await admin('GET', `/requests/${ok.response.RequestId}`)).body.seq).toBe(plain.seq);
    expect((await admin('GET', '/requests/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await admin('GET', '/requests?since=yesterday')).status).toBe(400);
    // The control plane itself is not journaled.
    expect((await admin('GET', '/requests')).body.requests.every((r: { action: string }) => r.action !== null)).toBe(
      true,
    );
  });

  it('AuthFailure.SignatureFailure entries show the canonical request and string to sign, never a key', async () => {
    await admin('POST', '/reset');
    const request = api({ secretKey: 'the-wrong-key', extraHeaders: { 'X-TC-Emulator-Test-Id': 'sig' } });
    const reply = await send(app, request);
    expect(reply.response.Error?.Code).toBe('AuthFailure.SignatureFailure');
    const { body: entry } = await admin('GET', `/requests/${reply.response.RequestId}`);
    expect(entry.secretId).toBe(KEY.secretId);
    expect(entry.signature.canonicalRequest).toMatch(/^POST\n\/\n\ncontent-type:application\/json\nhost:/);
    expect(entry.signature.stringToSign).toMatch(
      /^TC3-HMAC-SHA256\n\d+\n\d{4}-\d\d-\d\d\/ocr\/tc3_request\n[0-9a-f]{64}$/,
    );
    expect(JSON.stringify(entry)).not.toContain(KEY.secretKey);
    expect(JSON.stringify(entry)).not.toContain('the-wrong-key');
    // Nor the client's signature (it could be replayed): a hash of it.
    expect(JSON.stringify(entry)).not.toContain(/Signature=(\w+)/.exec(request.headers.Authorization!)![1]);

    const path = `/requests/${reply.response.RequestId}/signature-check`;
    const unknown = await admin('POST', path, {});
    expect(unknown.status).toBe(200);
    expect(unknown.body.client).toBeNull();
    const given = await admin('POST', path, { secretKey: 'the-wrong-key' });
    expect(given.body.client.key).toBe('given');
    expect(given.body.client.canonicalRequest).toBe(entry.signature.canonicalRequest);
    expect(given.body.verdict).toContain('only the key differs');
    expect(JSON.stringify(given.body)).not.toContain('the-wrong-key');
    expect((await admin('POST', path, { secretKey: 7 })).status).toBe(400);
    expect((await admin('POST', path, { secretKey: 'k'.repeat(257) })).status).toBe(400);
    expect((await admin('POST', '/requests/no-such-request/signature-check', {})).status).toBe(404);
    const ok = await send(app, withHeaders({}));
    expect((await admin('POST', `/requests/${ok.response.RequestId}/signature-check`, {})).status).toBe(404);
  });

  it("entries show the request's headers and parameters: signature and token redacted, the image by its length", async () => {
    await admin('POST', '/reset');
    const image = 'A'.repeat(5000);
    const reply = await send(
      app,
      signTc3({
        ...KEY,
        host: HOST,
        action: 'QrcodeOCR',
        token: 'a-session-token',
        body: JSON.stringify({ ImageBase64: image, ImageUrl: `http://example.com/${'x'.repeat(400)}` }),
      }),
    );
    const { body: entry } = await admin('GET', `/requests/${reply.response.RequestId}`);
    expect(entry.headers['x-tc-action']).toBe('QrcodeOCR');
    expect(entry.headers['x-tc-token']).toBe('[redacted]');
    expect(entry.headers.authorization).toMatch(/Credential=.*Signature=\[redacted\]$/);
    expect(entry.params.ImageBase64).toBe('[base64, 5000 characters]');
    expect(entry.params.ImageUrl).toMatch(/…\[\d+ more characters\]$/);
    expect(JSON.stringify(entry)).not.toContain('a-session-token');
  });

  it('keeps parameter names and nested values short, however large the body', () => {
    const entry = requestParams({
      ['n'.repeat(100_000)]: 1,
      Items: Array.from({ length: 100_000 }, (_, i) => ({ Name: `item ${i}` })),
    });
    expect(JSON.stringify(entry).length).toBeLessThan(1000);
    expect(entry.Items).toMatch(/^\[\{"Name":"item 0"\},.*…$/);
  });

  it('wait long-polls for the next matching request; 408 when none comes', async () => {
    const waiting = admin('GET', '/requests/wait?testId=later&timeoutMs=5000');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = await send(app, withHeaders({ 'X-TC-Emulator-Test-Id': 'later' }));
    const { status, body } = await waiting;
    expect(status).toBe(200);
    expect(body.requestId).toBe(sent.response.RequestId);
    expect((await admin('GET', '/requests/wait?testId=never&timeoutMs=50')).status).toBe(408);
    expect((await admin('GET', '/requests/wait?timeoutMs=999999')).status).toBe(400);
  });
});

describe('accounts, rate limits, metrics, reset', () => {
  it('account states from config and at run time', async () => {
    await admin('POST', '/reset');
    expect((await admin('GET', '/accounts')).body.accounts).toEqual([
      { secretId: 'AKIDARREARS', state: 'in-arrears', camDenied: [], usedToday: 0 },
    ]);
    expect((await admin('PUT', `/accounts/${KEY.secretId}`, { camDenied: ['QrcodeOCR'] })).status).toBe(200);
    expect((await send(app, api())).response.Error?.Code).toBe('AuthFailure.UnauthorizedOperation');
    expect((await admin('PUT', `/accounts/${KEY.secretId}`, { state: 'package-run-out' })).body).toMatchObject({
      state: 'package-run-out',
      camDenied: [],
    });
    expect((await send(app, api())).response.Error?.Code).toBe('ResourceUnavailable.ResourcePackageRunOut');
    expect((await admin('PUT', `/accounts/${KEY.secretId}`, { state: 'broke' })).status).toBe(400);
    expect((await admin('DELETE', `/accounts/${KEY.secretId}`)).status).toBe(204);
    expect((await send(app, api())).response.Error?.Code).toBe('FailedOperation.EmptyImageError');
  });

  it('rate limits can be read, set and switched off at run time; reset restores the configuration', async () => {
    expect((await admin('GET', '/rate-limits')).body).toEqual({ enabled: false, actions: {}, keys: {} });
    expect((await admin('PUT', '/rate-limits', { actions: { QrcodeOCR: 2 } })).body).toEqual({
      enabled: true,
      actions: { QrcodeOCR: 2 },
      keys: {},
    });
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await send(app, api())).response.Error?.Code);
    expect(codes).toEqual([
      'FailedOperation.EmptyImageError',
      'FailedOperation.EmptyImageError',
      'RequestLimitExceeded',
    ]);
    expect((await admin('PUT', '/rate-limits', { actions: { QrcodeOCR: 'two' } })).status).toBe(400);
    await admin('POST', '/reset');
    expect((await admin('GET', '/rate-limits')).body.enabled).toBe(false);
  });

  it('metrics count requests by action and code and the faults applied', async () => {
    await send(app, withHeaders({ 'X-TC-Emulator-Fault': 'FailedOperation.UnKnowError' }));
    const { status, body, headers } = await admin('GET', '/metrics');
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toMatch(/tcocr_requests_total\{action="QrcodeOCR",code="FailedOperation.UnKnowError"\} [1-9]/);
    expect(body).toMatch(/tcocr_faults_applied_total\{source="header",effect="error"\} [1-9]/);
    expect(body).toMatch(/tcocr_request_duration_seconds_count\{action="QrcodeOCR"\} [1-9]/);
    expect(body).toContain('tcocr_requests_in_flight 0');
    for (const family of [
      'process_cpu_seconds_total counter',
      'nodejs_heap_size_used_bytes gauge',
      'nodejs_gc_duration_seconds histogram',
      'nodejs_eventloop_lag_seconds gauge',
    ]) {
      expect(body).toContain(`# TYPE ${family}\n`);
    }
  });

  it('reset empties the journal and drops API rules', async () => {
    await admin('POST', '/faults', { effect: 'reset' });
    expect((await admin('POST', '/reset?seed=5')).status).toBe(204);
    expect((await admin('GET', '/faults')).body.rules).toEqual([]);
    expect((await admin('GET', '/requests/count')).body.count).toBe(0);
    expect((await admin('POST', '/reset?seed=-1')).status).toBe(400);
  });
});
