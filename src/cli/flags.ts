/**
 * Command-line flags, generated from CONFIG_VARS: every TCOCR_* variable has a flag named after it
 * (`TCOCR_SIGNATURE` ↔ `--signature`, `TCOCR_CLOCK_SKEW_SECONDS` ↔ `--clock-skew-seconds`).
 * A flag only sets its variable, so flags and the environment go through the same `loadConfig`
 * checks; a flag wins over the variable.
 */
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

export const FLAGS: readonly Flag[] = CONFIG_VARS.map((v) => ({
  flag: `--${v.name.replace(/^TCOCR_/, '').toLowerCase().replace(/_/g, '-')}`,
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

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const result: ParsedArgs = { env: {}, setBy: {}, help: false, version: false, problems: [] };
  const byName = new Map(FLAGS.map((f) => [f.flag, f]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      result.help = true;
      continue;
    }
    if (arg === '--version' || arg === '-v') {
      result.version = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    let flag = byName.get(name);
    if (!flag && name.startsWith('--no-') && value === undefined) {
      const positive = byName.get(`--${name.slice('--no-'.length)}`);
      if (positive?.boolean) {
        flag = positive;
        value = 'false';
      }
    }
    if (!flag) {
      result.problems.push(arg.startsWith('-') ? `${name}: unknown option (see --help)` : `${arg}: unexpected argument (see --help)`);
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (flag.boolean) {
        if (next !== undefined && BOOLEAN_WORDS.test(next)) value = argv[++i]!;
        else value = 'true';
      } else if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        result.problems.push(`${flag.flag}: needs a value (${flag.variable})`);
        continue;
      } else {
        value = argv[++i]!;
      }
    }
    result.env[flag.variable] = value;
    result.setBy[flag.variable] = flag.flag;
  }
  return result;
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
