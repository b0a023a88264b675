import { readFileSync } from "node:fs";
import tencentcloud from "tencentcloud-sdk-nodejs";
import { expect, inject, test } from "vitest";

const client = new tencentcloud.ocr.v20181119.Client({
  credential: inject("ocrCredentials"),
  region: "ap-guangzhou",
  profile: { httpProfile: { protocol: "http://", endpoint: inject("ocrEndpoint") } },
});

test("QrcodeOCR decodes the sample QR code", async () => {
  const image = readFileSync(new URL("../images/qr.png", import.meta.url));
  const { CodeResults } = await client.QrcodeOCR({ ImageBase64: image.toString("base64") });
  expect(CodeResults?.[0]?.Url).toBe("https://example.com/tencentcloud-ocr-emulator");
});

test("an empty ImageBase64 is FailedOperation.EmptyImageError", async () => {
  await expect(client.QrcodeOCR({ ImageBase64: "" })).rejects.toMatchObject({ code: "FailedOperation.EmptyImageError" });
});
