/**
 * The screenshots of docs/console.md (`npm run docs:console`): starts an emulator, sends a few
 * requests with the official Node SDK (a QR code and an EAN-13 whose reply hides its corners, a
 * health-code screenshot, a request signed with a wrong key), adds a fault rule, and photographs
 * the console's three main views in Debian's chromium (CHROMIUM_PATH to use another).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ocr } from 'tencentcloud-sdk-nodejs/tencentcloud/services/ocr/index.js';
import { startEmulator } from '../src/index.js';

delete process.env.http_proxy;
delete process.env.HTTP_PROXY;

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'docs', 'images');
const image = (file: string) => readFileSync(path.join(ROOT, file)).toString('base64');

const emulator = await startEmulator({ env: { TCOCR_LOG_LEVEL: 'silent', TCOCR_RATE_LIMITS: 'off' }, warm: true });
const client = (secretKey = emulator.credentials.secretKey, testId = 'docs') =>
  new ocr.v20181119.Client({
    credential: { secretId: emulator.credentials.secretId, secretKey },
    region: 'ap-guangzhou',
    profile: {
      httpProfile: { protocol: 'http://', endpoint: emulator.endpoint, headers: { 'X-TC-Emulator-Test-Id': testId } },
    },
  });
await client().QrcodeOCR({ ImageBase64: image('fixtures/barcodes/images/ean13.png') });
await client().request('RecognizeHealthCodeOCR', {
  ImageBase64: image('fixtures/healthcode/beijing-1080x2340-20220110-clean.png'),
});
await client(emulator.credentials.secretKey, 'signature')
  .QrcodeOCR({ ImageBase64: image('fixtures/barcodes/images/ean13.png') })
  .catch(() => undefined);
await client('a-wrong-key', 'signature')
  .QrcodeOCR({ ImageBase64: image('fixtures/barcodes/images/ean13.png') })
  .catch(() => undefined);
const qr = await client().QrcodeOCR({ ImageBase64: image('fixtures/barcodes/images/qr-large.png') });
await fetch(`${emulator.url}/_emulator/faults`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    id: 'blur-once',
    match: { action: 'QrcodeOCR', testId: 'flaky' },
    effect: 'FailedOperation.ImageBlur',
    times: 1,
  }),
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${emulator.url}/_emulator/ui`);
await page.locator(`tr.row[data-request-id="${qr.RequestId}"]`).click();
await page.locator('.stage[data-ready="true"]').waitFor();
await page.screenshot({ path: path.join(OUT, 'console-requests.png') });
await page.locator('tr.row', { hasText: 'RecognizeHealthCodeOCR' }).click();
await page.locator('.stage[data-ready="true"]').waitFor();
await page.screenshot({ path: path.join(OUT, 'console-health-code.png') });
await page.locator('tr.row', { hasText: 'SignatureFailure' }).click();
await page.locator('#sig-verdict').waitFor();
await page.fill('#sig-key', 'a-wrong-key');
await page.click('#sig-form button[type="submit"]');
await page.locator('#sig-verdict', { hasText: 'only the key differs' }).waitFor();
await page.evaluate(
  "const d = document.getElementById('detail'); d.scrollTop = document.getElementById('sig-check').getBoundingClientRect().top - d.getBoundingClientRect().top - 40",
);
await page.screenshot({ path: path.join(OUT, 'console-signature.png') });
await page.click('#show-faults');
await page.locator('#rules tr').first().waitFor();
await page.screenshot({ path: path.join(OUT, 'console-faults.png') });
await browser.close();
await emulator.close();
console.log(`wrote docs/images/console-{requests,health-code,signature,faults}.png`);
