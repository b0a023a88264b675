// Runs once in jest's main process, before the test workers start: they inherit process.env.
module.exports = async function globalSetup() {
  const { startEmulator } = await import("tencentcloud-ocr-emulator"); // an ES module
  const emulator = await startEmulator({ env: { TCOCR_LOG_LEVEL: "warn" } }); // 127.0.0.1, a free port
  globalThis.__OCR_EMULATOR__ = emulator; // for global-teardown.cjs, which runs in this same process
  process.env.TCOCR_ENDPOINT = emulator.endpoint; // "127.0.0.1:PORT": httpProfile.endpoint
  process.env.TENCENTCLOUD_SECRET_ID = emulator.credentials.secretId;
  process.env.TENCENTCLOUD_SECRET_KEY = emulator.credentials.secretKey;
};
