#!/usr/bin/env node
/**
 * The `tencentcloud-ocr-emulator` command (package.json "bin"; `npx tencentcloud-ocr-emulator`).
 * Flags mirror the TCOCR_* variables (src/cli/flags.ts) and win over them; then the same
 * loadConfig → listen → graceful close as `npm start` (src/cli/serve.ts).
 */
import { ConfigError, loadConfig } from './config.js';
import { helpText, nameFlag, parseArgs } from './cli/flags.js';
import { VERSION } from './version.js';

const args = parseArgs(process.argv.slice(2));
if (args.help) {
  process.stdout.write(helpText(VERSION));
  process.exit(0);
}
if (args.version) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}

const env = { ...process.env, ...args.env };
const rename = (problem: string) => nameFlag(problem, args.setBy);
if (args.problems.length > 0) {
  // Report the flag problems together with every bad value, as one listing.
  let configProblems: readonly string[] = [];
  try {
    loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configProblems = error.problems.map(rename);
  }
  process.stderr.write(`${new ConfigError([...args.problems, ...configProblems]).message}\n`);
  process.exit(1);
}

// Loaded only now: --help and --version stay quick.
const { loadConfigOrExit, serve } = await import('./cli/serve.js');
await serve(loadConfigOrExit(env, rename));
