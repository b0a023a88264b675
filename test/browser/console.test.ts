/**
 * The web console in real headless Chromium (Debian's `chromium`, driven by playwright-core; npm test
 * installs it when missing, scripts/ensure-browser.sh; CHROMIUM_PATH points elsewhere): the list
 * follows SDK requests as they arrive, a QR request's detail draws the symbol where the reply says
 * it is, a signature failure shows the client's canonical request (rebuilt) beside the server's
 * with the first differing line marked, and the token gate keeps the page and its data closed.
 */
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { qrPng } from '../../support/images.js';
import { errorCode, sdkClient, startTestEmulator } from '../helpers/emulator.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'console-test-token';

let browser: Browser;
let emulator: RunningEmulator;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: run npm test (scripts/ensure-browser.sh installs Debian's chromium) or set CHROMIUM_PATH`,
    );
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  emulator = await startTestEmulator({ TCOCR_ADMIN_TOKEN: TOKEN });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

describe('web console', () => {
  it('refuses the page and its data without the token', async () => {
    const response = await page.goto(`${emulator.url}/_emulator/ui`);
    expect(response!.status()).toBe(401);
    expect(await page.textContent('body')).toContain('/_emulator/ui?token=');
    expect((await fetch(`${emulator.url}/_emulator/requests`)).status).toBe(401);
    consoleErrors.length = 0; // the refused page load itself is logged as one
  });

  it('opens with the token once, then lists SDK requests as they arrive', async () => {
    const response = await page.goto(`${emulator.url}/_emulator/ui?token=${TOKEN}`);
    expect(response!.status()).toBe(200);
    expect(page.url()).toBe(`${emulator.url}/_emulator/ui`);
    const qr = await qrPng('console test');
    const reply = await sdkClient(emulator, { headers: { 'X-TC-Emulator-Test-Id': 'console-qr' } }).QrcodeOCR({
      ImageBase64: qr.png.toString('base64'),
    });
    const row = page.locator(`tr.row[data-request-id="${reply.RequestId}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('QrcodeOCR');
    expect(await row.textContent()).toContain('OK');

    await row.click();
    const stage = page.locator('.stage[data-ready="true"]');
    await stage.waitFor({ timeout: 10_000 });
    const points = await stage.locator('polygon').first().getAttribute('points');
    const drawn = points!.split(' ').map((p) => p.split(',').map(Number));
    const position = reply.CodeResults![0]!.Position!;
    const replied = [position.LeftTop, position.RightTop, position.RightBottom, position.LeftBottom].map((p) => [
      p!.X!,
      p!.Y!,
    ]);
    expect(drawn).toHaveLength(4);
    drawn.forEach(([x, y], i) => {
      expect(Math.abs(x! - replied[i]![0]!)).toBeLessThanOrEqual(2);
      expect(Math.abs(y! - replied[i]![1]!)).toBeLessThanOrEqual(2);
    });
    expect(await page.textContent('#reply')).toContain('console test');
    expect(await page.textContent('#params')).toMatch(/ImageBase64\[base64, \d+ characters\]/);
    expect(await page.textContent('#headers')).toContain('Signature=[redacted]');
  });

  it('a wrong-key request: the canonical requests side by side, and the key given shows only the key differs', async () => {
    const code = await errorCode(
      sdkClient(emulator, {
        secretKey: 'not-the-key',
        headers: { 'X-TC-Emulator-Test-Id': 'console-bad-key' },
      }).QrcodeOCR({
        ImageBase64: 'aGVsbG8=',
      }),
    );
    expect(code).toBe('AuthFailure.SignatureFailure');
    await page.fill('#f-test', 'console-bad-key');
    const row = page.locator('tr.row').first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('AuthFailure.SignatureFailure');
    await row.press('Enter');
    const verdict = page.locator('#sig-verdict');
    await verdict.waitFor({ timeout: 10_000 });
    expect(await verdict.textContent()).toContain('No reconstruction matched');
    expect(await page.textContent('#sig-result')).toContain('POST');
    await page.fill('#sig-key', 'not-the-key');
    await page.click('#sig-form button[type="submit"]');
    await page.locator('#sig-verdict', { hasText: 'only the key differs' }).waitFor({ timeout: 10_000 });
    const sides = page.locator('#sig-result .canon-pair').first().locator('ol.canon');
    expect(await sides.count()).toBe(2);
    expect(await sides.nth(0).textContent()).toBe(await sides.nth(1).textContent());
    expect(await page.locator('#sig-result li.differs').count()).toBe(0);
  });

  it('a request whose Content-Type a proxy rewrote: the differing line is marked on both sides', async () => {
    const target = new URL(emulator.url);
    const proxy = createServer((incoming, outgoing) => {
      const headers = { ...incoming.headers, 'content-type': 'application/json; charset=utf-8' };
      const forward = httpRequest(
        { host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const code = await errorCode(
        sdkClient(emulator, {
          endpoint: `127.0.0.1:${port}`,
          headers: { 'X-TC-Emulator-Test-Id': 'console-proxy' },
        }).QrcodeOCR({
          ImageBase64: 'aGVsbG8=',
        }),
      );
      expect(code).toBe('AuthFailure.SignatureFailure');
    } finally {
      proxy.close();
    }
    await page.fill('#f-test', 'console-proxy');
    const row = page.locator('tr.row').first();
    await row.waitFor({ timeout: 30_000 });
    await row.press('Enter');
    await page.locator('#sig-verdict', { hasText: 'Content-Type signed as' }).waitFor({ timeout: 10_000 });
    const marked = page.locator('#sig-result .canon-pair').first().locator('li.differs');
    expect(await marked.count()).toBe(2);
    expect(await marked.nth(0).textContent()).toBe('content-type:application/json');
    expect(await marked.nth(1).textContent()).toBe('content-type:application/json; charset=utf-8');
  });

  it('fits a phone screen: no sideways scrolling, the list and the detail stacked', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${emulator.url}/_emulator/ui?token=${TOKEN}`);
    await phone.locator('tr.row').first().waitFor({ timeout: 30_000 });
    await phone.locator('tr.row').first().click();
    await phone.locator('#detail h2').waitFor();
    // A string, evaluated in the page (this file is typed for Node, without the DOM's globals).
    const widths = (await phone.evaluate(
      '({ page: document.documentElement.scrollWidth, view: window.innerWidth })',
    )) as { page: number; view: number };
    expect(widths.page).toBeLessThanOrEqual(widths.view);
    const list = await phone.locator('#list').boundingBox();
    const detail = await phone.locator('#detail').boundingBox();
    expect(detail!.y).toBeGreaterThanOrEqual(list!.y + list!.height - 1);
    await phone.close();
  });

  it('"make this request fail next time" builds a rule from a journal entry; it fires on the next SDK call', async () => {
    const qr = await qrPng('fail next time');
    const client = sdkClient(emulator, { headers: { 'X-TC-Emulator-Test-Id': 'console-next' } });
    const first = await client.QrcodeOCR({ ImageBase64: qr.png.toString('base64') });
    await page.fill('#f-test', 'console-next');
    const row = page.locator(`tr.row[data-request-id="${first.RequestId}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.click('#fail-next');
    expect(await page.inputValue('#rule-form input[name="testId"]')).toBe('console-next');
    await page.fill('#rule-form input[name="effect"]', 'FailedOperation.OcrFailed');
    await page.locator('#rule-form input[name="effect"]').dispatchEvent('input');
    expect(JSON.parse((await page.textContent('#rule-json'))!)).toEqual({
      match: { action: 'QrcodeOCR', testId: 'console-next' },
      effect: 'FailedOperation.OcrFailed',
      times: 1,
    });
    await page.click('#rule-form button[type="submit"]');
    const rule = page.locator('#rules tr').filter({ hasText: 'console-next' });
    await rule.waitFor({ timeout: 10_000 });
    expect(await rule.locator('td.fired').textContent()).toBe('0');
    expect(await errorCode(client.QrcodeOCR({ ImageBase64: qr.png.toString('base64') }))).toBe(
      'FailedOperation.OcrFailed',
    );
    await page.click('#show-requests');
    await page.click('#show-faults');
    await page
      .locator('#rules tr')
      .filter({ hasText: 'console-next' })
      .locator('td.fired', { hasText: '1' })
      .waitFor({ timeout: 10_000 });
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  });
});
