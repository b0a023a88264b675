// Starts the emulator before any test file and stops it after the last one (vitest 3 or newer).
// Tests read the endpoint and key with inject("ocrEndpoint") / inject("ocrCredentials").
import { startEmulator } from "tencentcloud-ocr-emulator";

export default async function setup(project) {
  const emulator = await startEmulator({ env: { TCOCR_LOG_LEVEL: "warn" } }); // 127.0.0.1, a free port
  project.provide("ocrEndpoint", emulator.endpoint); // "127.0.0.1:PORT": httpProfile.endpoint
  project.provide("ocrCredentials", emulator.credentials); // { secretId, secretKey }
  return () => emulator.close();
}
