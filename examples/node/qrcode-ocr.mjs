// tencentcloud-sdk-nodejs (4.x) against the emulator: the typed client, the generic `request`,
// and one error.
//
//   TCOCR_ENDPOINT=127.0.0.1:9000 node qrcode-ocr.mjs [image.png]
//
// TCOCR_ENDPOINT is host:port, no scheme. TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY default
// to the emulator's built-in key pair.
import { readFileSync } from "node:fs";
import tencentcloud from "tencentcloud-sdk-nodejs";

const endpoint = process.env.TCOCR_ENDPOINT ?? "127.0.0.1:9000";
const secretId = process.env.TENCENTCLOUD_SECRET_ID ?? "AKIDEMULATOR000000000000000000000000";
const secretKey = process.env.TENCENTCLOUD_SECRET_KEY ?? "EmulatorSecretKey0000000000000000";
const image = readFileSync(process.argv[2] ?? new URL("../images/qr.png", import.meta.url));

// With a lower-case http_proxy set, the SDK sends every request through that proxy (NO_PROXY is
// ignored): the emulator is reached directly.
delete process.env.http_proxy;

function ocrClient(key) {
  return new tencentcloud.ocr.v20181119.Client({
    credential: { secretId, secretKey: key },
    region: "ap-guangzhou",
    profile: {
      signMethod: "TC3-HMAC-SHA256",
      httpProfile: {
        protocol: "http://", // the default is "https://"; the emulator speaks plain HTTP
        endpoint, // host:port of the emulator instead of ocr.tencentcloudapi.com
        reqMethod: "POST",
        reqTimeout: 30,
      },
    },
  });
}

const client = ocrClient(secretKey);

// 1. The typed method.
const typed = await client.QrcodeOCR({ ImageBase64: image.toString("base64") });
for (const code of typed.CodeResults ?? []) console.log(`QrcodeOCR: ${code.TypeName} ${code.Url}`);

// 2. The generic request: any action by name. RecognizeHealthCodeOCR, which the newest SDKs no
//    longer generate, is called this way: client.request("RecognizeHealthCodeOCR", { ImageBase64 }).
const generic = await client.request("QrcodeOCR", { ImageBase64: image.toString("base64") });
console.log(`request("QrcodeOCR"): ImgSize ${generic.ImgSize.Wide}x${generic.ImgSize.High}, RequestId ${generic.RequestId}`);

// 3. An error: the SDK rejects with TencentCloudSDKHttpException; match on err.code.
try {
  await ocrClient("not-the-secret-key").QrcodeOCR({ ImageBase64: image.toString("base64") });
  console.error("expected AuthFailure.SignatureFailure, the call succeeded");
  process.exit(1);
} catch (err) {
  if (err.code !== "AuthFailure.SignatureFailure") throw err;
  console.log(`error: ${err.code} (RequestId ${err.requestId})`);
}
