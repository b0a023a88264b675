// Library mode with vitest: one emulator for the whole run, started by globalSetup.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./global-setup.mjs"],
  },
});
