/**
 * Process entry for `npm start`: loadConfig(env) → buildApp → listen → warm engines; graceful close
 * on SIGINT/SIGTERM. The listening process itself lives in src/cli/serve.ts, shared with the
 * `tencentcloud-ocr-emulator` command (src/cli.ts), which adds flags over the environment.
 */
import { loadConfigOrExit, serve } from './cli/serve.js';

await serve(loadConfigOrExit(process.env));
