/**
 * Command-line flags, generated from CONFIG_VARS: every TCOCR_* variable has a flag named after it
 * (`TCOCR_SIGNATURE` ↔ `--signature`, `TCOCR_CLOCK_SKEW_SECONDS` ↔ `--clock-skew-seconds`).
 * A flag only sets its variable, so flags and the environment go through the same `loadConfig`
 * checks; a flag wins over the variable.
 */
import { type ParseArgsConfig, parseArgs as nodeParseArgs } from 'node:util';
import { CONFIG_VARS } from '../config.js';

export const PROGRAM = 'tencentcloud-ocr-emulator';

export interface Flag {
  /** `--signature` */
  flag: string;
  /** `TCOCR_SIGNATURE` */
  variable: string;
  default: string;
  description: string;
  /** True for on/off settings: `--admin`, `--no-admin`, `--admin=false` all work. */
  boolean: boolean;
}

const BOOLEAN_WORDS = /^(1|0|true|false|yes|no|on|off)$/i;

/** A variable is an on/off setting when its parser maps `true` and `false` to booleans. */
function isBoolean(parse: (raw: string) => unknown): boolean {
  try {
    return parse('true') === true && parse('false') === false;
  } catch {
    return false;
  }
}

export const FLAGS: readonly Flag[] = CONFIG_VARS.filter((v) => !('envOnly' in v && v.envOnly)).map((v) => ({
  flag: `--${v.name
    .replace(/^TCOCR_/, '')
    .toLowerCase()
    .replace(/_/g, '-')}`,
  variable: v.name,
  default: v.default,
  description: v.description,
  boolean: isBoolean(v.parse as (raw: string) => unknown),
}));

export interface ParsedArgs {
  /** TCOCR_* values set by flags, to lay over the environment. */
  env: Record<string, string>;
  /** Which flag set each variable, for error messages. */
  setBy: Record<string, string>;
  help: boolean;
  version: boolean;
  /** Unknown flags, missing values: reported with the configuration problems. */
  problems: string[];
}

type Token = ReturnType<typeof nodeParseArgs<{ tokens: true; strict: false }>>['tokens'][number];

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  ...Object.fromEntries(FLAGS.map((f) => [f.flag.slice(2), { type: f.boolean ? 'boolean' : 'string' }])),
} as const satisfies ParseArgsConfig['options'];

/** A value taken by a string option that is itself a long option (`--port --host x`) is no value. */
const looksLikeFlag = (value: string) => value.startsWith('--') && value.length > 2;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const result: ParsedArgs = { env: {}, setBy: {}, help: false, version: false, problems: [] };
  readTokens(argv, 0, result);
  return result;
}

/** Reads argv from `start` with node:util parseArgs in its lenient mode, so every problem is listed. */
function readTokens(argv: readonly string[], start: number, result: ParsedArgs): void {
  const byName = new Map(FLAGS.map((f) => [f.flag.slice(2), f]));
  const { tokens } = nodeParseArgs({
    args: argv.slice(start),
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  });
  let previous: Token | undefined;
  let taken = -1;
  for (const token of tokens) {
    const index = start + token.index;
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      // `--admin false`: an on/off option written bare takes a following true/false word as its value.
      const bare = previous?.kind === 'option' && previous.value === undefined ? byName.get(previous.name) : undefined;
      if (
        bare?.boolean &&
        previous?.kind === 'option' &&
        previous.rawName === bare.flag &&
        index === taken + 1 &&
        BOOLEAN_WORDS.test(token.value)
      ) {
        result.env[bare.variable] = token.value;
      } else result.problems.push(`${token.value}: unexpected argument (see --help)`);
      previous = token;
      continue;
    }
    previous = token;
    taken = index;
    if ((token.name === 'help' || token.name === 'version') && token.value === undefined) {
      if (token.rawName === '--help' || token.rawName === '-h') result.help = true;
      else if (token.rawName === '--version' || token.rawName === '-v') result.version = true;
      else result.problems.push(`${token.rawName}: unknown option (see --help)`);
      continue;
    }
    const flag = byName.get(token.name);
    const negated = token.rawName !== `--${token.name}`;
    if (!flag || (negated && (!flag.boolean || token.rawName !== `--no-${token.name}` || token.value !== undefined))) {
      result.problems.push(`${token.rawName}: unknown option (see --help)`);
      continue;
    }
    let value = negated ? 'false' : token.value;
    if (!flag.boolean && (value === undefined || (!token.inlineValue && looksLikeFlag(value)))) {
      result.problems.push(`${flag.flag}: needs a value (${flag.variable})`);
      // The option-like word was taken as this option's value: read it as the option it is.
      if (value !== undefined) {
        readTokens(argv, index + 1, result);
        return;
      }
      continue;
    }
    value ??= 'true';
    result.env[flag.variable] = value;
    result.setBy[flag.variable] = flag.flag;
  }
}

/** `exec [options] -- COMMAND…`: the options before `--` and the command after it. */
export function splitExec(argv: readonly string[]): { options: string[]; command: string[] } {
  const dash = argv.indexOf('--');
  return dash < 0
    ? { options: [...argv], command: [] }
    : { options: argv.slice(0, dash), command: argv.slice(dash + 1) };
}

/** Rewrites a loadConfig problem about a variable set by a flag so that it names the flag. */
export function nameFlag(problem: string, setBy: Readonly<Record<string, string>>): string {
  const match = /^(TCOCR_[A-Z0-9_]+)=/.exec(problem);
  const flag = match ? setBy[match[1]!] : undefined;
  return flag ? `${flag} (${match![1]})${problem.slice(match![1]!.length)}` : problem;
}

/** Greedy word wrap for the help text. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function helpText(version: string): string {
  const usage = (f: Flag) => (f.boolean ? `${f.flag} [true|false]` : `${f.flag} <value>`);
  const width = Math.max(...FLAGS.map((f) => usage(f).length));
  const indent = ' '.repeat(width + 4);
  const lines = FLAGS.flatMap((f) => [
    `  ${usage(f).padEnd(width)}  ${f.variable}, default ${f.default === '' ? '(empty)' : f.default}`,
    ...wrap(f.description.replace(/`/g, ''), 96 - indent.length).map((line) => `${indent}${line}`),
  ]);
  return [
    `${PROGRAM} ${version}: an emulator of the Tencent Cloud OCR API (2018-11-19).`,
    '',
    `Usage: ${PROGRAM} [options]`,
    `       npx ${PROGRAM} --port 9000 --credentials SecretId:SecretKey`,
    `       ${PROGRAM} exec [options] -- COMMAND [ARGS...]`,
    '',
    'exec starts the emulator, waits until its engines are warm, runs COMMAND with TCOCR_ENDPOINT',
    '(host:port), TCOCR_URL, TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY set, stops the',
    "emulator and exits with COMMAND's status. SIGINT, SIGTERM and SIGHUP are passed on to COMMAND.",
    '',
    'Every option sets the environment variable named beside it, and wins over it. On/off options',
    'also take the forms --name (true) and --no-name (false). Values are checked at start: every bad',
    'value is listed and the process exits 1.',
    '',
    'Options:',
    ...lines,
    `  ${'--help, -h'.padEnd(width)}  Print this help and exit.`,
    `  ${'--version, -v'.padEnd(width)}  Print the version and exit.`,
    '',
    'Stop with Ctrl-C or SIGTERM: requests in flight are answered first, then the process exits 0.',
    '',
  ].join('\n');
}
