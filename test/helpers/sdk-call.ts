/**
 * A one-request program for `node -e`, as a user would pass to `tencentcloud-ocr-emulator exec`:
 * QrcodeOCR on examples/images/qr.png through the official Node SDK, configured only from the
 * variables exec sets. Prints `<TCOCR_URL> <decoded text>`; on an SDK error prints its code and
 * exits 2. `require` resolves from the working directory, or NODE_PATH.
 */
import { fileURLToPath } from 'node:url';

export const QR_PNG = fileURLToPath(new URL('../../examples/images/qr.png', import.meta.url));
export const QR_TEXT = 'https://example.com/tencentcloud-ocr-emulator';

export const SDK_CALL = [
  "const { ocr } = require('tencentcloud-sdk-nodejs/tencentcloud/services/ocr/index.js');",
  'const client = new ocr.v20181119.Client({',
  '  credential: { secretId: process.env.TENCENTCLOUD_SECRET_ID, secretKey: process.env.TENCENTCLOUD_SECRET_KEY },',
  "  region: 'ap-guangzhou',",
  "  profile: { httpProfile: { protocol: 'http://', endpoint: process.env.TCOCR_ENDPOINT } },",
  '});',
  `const png = require('node:fs').readFileSync(${JSON.stringify(QR_PNG)});`,
  "client.QrcodeOCR({ ImageBase64: png.toString('base64') }).then(",
  "  (r) => console.log(process.env.TCOCR_URL + ' ' + r.CodeResults[0].Url),",
  '  (e) => { console.error(e.code); process.exit(2); });',
].join('\n');
