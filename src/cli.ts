#!/usr/bin/env node
/**
 * The `tencentcloud-ocr-emulator` command (package.json "bin"; `npx tencentcloud-ocr-emulator`).
 * Flags mirror the TCOCR_* variables (src/cli/flags.ts) and win over them; then the same
 * loadConfig → listen → graceful close as `npm start` (src/cli/serve.ts).
 * `exec [options] -- COMMAND…` runs COMMAND against an emulator started for it (src/cli/exec.ts).
 * `compare RECORDINGS_DIR` prints where the local engines answer recorded calls differently (src/cli/compare.ts).
 */
import { ConfigError, loadConfig } from './config.js';
import { helpText, nameFlag, parseArgs, splitExec } from './cli/flags.js';
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv[0] === 'compare') {
  // The drift report: recordings against the local engines (src/cli/compare.ts).
  if (!argv[1]) {
    process.stderr.write('compare: needs a folder (compare RECORDINGS_DIR)\n');
    process.exit(2);
  }
  const { compareRecordings } = await import('./cli/compare.js');
  process.exit(await compareRecordings(argv[1], process.env));
}
const exec = argv[0] === 'exec' ? splitExec(argv.slice(1)) : undefined;
const args = parseArgs(exec ? exec.options : argv);
if (exec && !exec.command.length && !args.help && !args.version)
  args.problems.push('exec: needs a command after -- (exec [options] -- COMMAND [ARGS...])');
if (args.help) {
  process.stdout.write(helpText(VERSION));
  process.exit(0);
}
if (args.version) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}

// exec: the command's own output comes first, so the emulator logs only warnings unless told otherwise.
const env = { ...(exec ? { TCOCR_LOG_LEVEL: 'warn' } : {}), ...process.env, ...args.env };
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
if (exec) {
  const { execCommand } = await import('./cli/exec.js');
  await execCommand(loadConfigOrExit(env, rename), exec.command);
} else {
  await serve(loadConfigOrExit(env, rename));
}
