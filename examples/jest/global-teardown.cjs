module.exports = async function globalTeardown() {
  await globalThis.__OCR_EMULATOR__?.close();
};
