// Library mode with jest: one emulator for the whole run, started by globalSetup.
module.exports = {
  globalSetup: "./global-setup.cjs",
  globalTeardown: "./global-teardown.cjs",
  testMatch: ["**/*.test.cjs"],
};
