/**
 * Liveness is not readiness: /_emulator/health answers 200 as soon as the app is up, with
 * `warming` until the engines are warm, while /_emulator/ready answers 503 until then. And the
 * banner warns when the control plane is reachable off this machine without a token.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { banner, exposureWarning } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config.js';
import { VERSION } from '../../src/version.js';

describe('health and ready while the engines warm', () => {
  const config = loadConfig({
    TCOCR_LOG_LEVEL: 'silent',
    TCOCR_DECODER_WORKERS: '1',
    TCOCR_HEALTHCODE_OFFLINE: 'true',
  });
  const app = buildApp(config);
  afterAll(async () => (await app).close());

  it('warming / 503 first, then ok / 200', async () => {
    const a = await app;
    const health = await a.inject({ url: '/_emulator/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'warming', version: VERSION });
    const ready = await a.inject({ url: '/_emulator/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ ready: false });

    await a.engines.warm();
    expect((await a.inject({ url: '/_emulator/health' })).json()).toEqual({ status: 'ok', version: VERSION });
    const warm = await a.inject({ url: '/_emulator/ready' });
    expect(warm.statusCode).toBe(200);
    expect(warm.json()).toEqual({ ready: true });
  });
});

describe('the banner warning', () => {
  const base = { admin: true, adminToken: undefined };
  it('warns for every interface with the control plane open and no token', () => {
    expect(exposureWarning({ ...base, host: '0.0.0.0' })).toContain(
      'WARNING:      listening on 0.0.0.0 with the control plane (/_emulator/) open and no token',
    );
    expect(exposureWarning({ ...base, host: '192.168.1.20' })).toContain('Set TCOCR_ADMIN_TOKEN');
  });
  it('is quiet on loopback, with a token, or with the control plane off', () => {
    expect(exposureWarning({ ...base, host: '127.0.0.1' })).toBeUndefined();
    expect(exposureWarning({ ...base, host: '::1' })).toBeUndefined();
    expect(exposureWarning({ ...base, host: 'localhost' })).toBeUndefined();
    expect(exposureWarning({ ...base, host: '0.0.0.0', adminToken: 'secret' })).toBeUndefined();
    expect(exposureWarning({ host: '0.0.0.0', admin: false, adminToken: undefined })).toBeUndefined();
  });
});

describe('the banner', () => {
  it("names the health-code engine with its workers, and the PP-OCR models' threads", () => {
    const env = { TCOCR_OCR_WORKERS: '3', TCOCR_OCR_THREADS: '1' };
    expect(banner(loadConfig(env), 9000)).toContain('health code PP-OCR (onnxruntime), 3 worker(s) × 1 thread(s)');
    expect(banner(loadConfig({ ...env, TCOCR_OCR_ENGINE: 'tesseract' }), 9000)).toContain(
      'health code tesseract.js chi_sim, 3 worker(s)',
    );
  });
});

describe('PUT /_emulator/accounts/{secretId}: clear errors', () => {
  const config = loadConfig({ TCOCR_LOG_LEVEL: 'silent', TCOCR_CREDENTIALS: 'AKIDONE:key-one,AKIDTWO:key-two' });
  const app = buildApp(config);
  afterAll(async () => (await app).close());
  const put = async (id: string, body: unknown) =>
    (await app).inject({ method: 'PUT', url: `/_emulator/accounts/${id}`, payload: body as object });

  it('404 for a SecretId that is not configured, naming the configured ones', async () => {
    const reply = await put('AKIDTYPO', { state: 'unopened' });
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toEqual({
      error: 'SecretId AKIDTYPO is not configured (TCOCR_CREDENTIALS); configured: AKIDONE, AKIDTWO',
    });
  });

  it('400 for an unknown state, listing the valid states', async () => {
    const reply = await put('AKIDONE', { state: 'broke' });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toEqual({
      error:
        'state: "broke" is not a state; valid states: active, unopened, billing-abnormal, in-arrears, package-run-out',
    });
  });

  it('200 for a configured SecretId and a valid state', async () => {
    const reply = await put('AKIDTWO', { state: 'in-arrears' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ secretId: 'AKIDTWO', state: 'in-arrears' });
  });
});
