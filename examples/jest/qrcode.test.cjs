const { readFileSync } = require("node:fs");
const path = require("node:path");
const tencentcloud = require("tencentcloud-sdk-nodejs");

const client = new tencentcloud.ocr.v20181119.Client({
  credential: { secretId: process.env.TENCENTCLOUD_SECRET_ID, secretKey: process.env.TENCENTCLOUD_SECRET_KEY },
  region: "ap-guangzhou",
  profile: { httpProfile: { protocol: "http://", endpoint: process.env.TCOCR_ENDPOINT } },
});

test("QrcodeOCR decodes the sample QR code", async () => {
  const image = readFileSync(path.join(__dirname, "../images/qr.png"));
  const { CodeResults } = await client.QrcodeOCR({ ImageBase64: image.toString("base64") });
  expect(CodeResults[0].Url).toBe("https://example.com/tencentcloud-ocr-emulator");
});

test("an empty ImageBase64 is FailedOperation.EmptyImageError", async () => {
  await expect(client.QrcodeOCR({ ImageBase64: "" })).rejects.toMatchObject({ code: "FailedOperation.EmptyImageError" });
});
