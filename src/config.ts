/**
 * Configuration: a pure, validated, frozen function of the environment. Every variable is one row
 * of CONFIG_VARS (name, default, meaning, parser); the README's configuration table is checked
 * against these rows by a test. `loadConfig` reports every bad value at once.
 */
import os from 'node:os';
import type { Credential } from './protocol/credentials.js';
import type { SignatureMode } from './protocol/auth.js';
import {
  type BarcodeEngineName,
  DOCUMENTED_FORMATS,
  EXTRA_FORMATS,
  type SymbolFormat,
} from './engines/barcode/types.js';
import type { HealthCodeEngineName } from './engines/health-code/types.js';
import { type AccountSettings, parseAccounts } from './service/accounts.js';
import { DEFAULT_RATE_LIMITS, type RateLimits, parseRateLimits } from './service/rate-limit.js';
import type { FaultRule } from './faults/rule.js';
import { loadRuleFile } from './faults/rule-file.js';

/** The well-known default key pair, printed in the README and the start-up log. */
export const DEFAULT_SECRET_ID = 'AKIDEMULATOR000000000000000000000000';
export const DEFAULT_SECRET_KEY = 'EmulatorSecretKey0000000000000000';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  host: string;
  port: number;
  credentials: readonly Credential[];
  logLevel: LogLevel;
  signature: SignatureMode;
  clockSkewSeconds: number;
  clockOffsetSeconds: number;
  qrcodeRegions: readonly string[] | '*';
  healthCodeRegions: readonly string[] | '*';
  healthCodeOffline: boolean;
  barcodeEngine: BarcodeEngineName;
  barcodeFormats: readonly SymbolFormat[];
  typeNameStyle: 'hyphen' | 'underscore';
  linearPosition: 'minus-one' | 'corners';
  decoderWorkers: number;
  ocrEngine: HealthCodeEngineName;
  ocrWorkers: number;
  queueLimit: number;
  maxImagePixels: number;
  decodeTimeoutMs: number;
  urlTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  allowPrivateUrls: boolean;
  urlMap: readonly { prefix: string; dir: string }[];
  blurThreshold: number | undefined;
  admin: boolean;
  adminToken: string | undefined;
  faultRules: readonly FaultRule[];
  faultSeed: number;
  faultInputs: boolean;
  rateLimits: RateLimits;
  accounts: Readonly<Record<string, AccountSettings>>;
  journalSize: number;
  journalMaxMb: number;
}

type Parser<T> = (raw: string) => T;

interface ConfigVar<K extends keyof Config> {
  name: string;
  key: K;
  default: string;
  description: string;
  parse: Parser<Config[K]>;
}

const fail = (message: string): never => {
  throw new Error(message);
};

const integer =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const value = Number(raw);
    return /^\d+$/.test(raw.trim()) && value >= min && value <= max
      ? value
      : fail(`must be a whole number from ${min} to ${max}`);
  };

const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw) =>
    (values as string[]).includes(raw) ? (raw as T) : fail(`must be one of ${values.join(', ')}`);

const boolean: Parser<boolean> = (raw) =>
  ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())
    ? true
    : ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())
      ? false
      : fail('must be true or false');

const list = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const regions: Parser<readonly string[] | '*'> = (raw) => {
  if (raw.trim() === '*') return '*';
  const items = list(raw);
  for (const item of items) if (!/^[a-z]{2}-[a-z]+(-[a-z0-9]+)*$/.test(item)) fail(`\`${item}\` is not a region name`);
  return items.length > 0 ? items : fail('must list at least one region, or be *');
};

const credentials: Parser<readonly Credential[]> = (raw) => {
  const pairs = list(raw);
  if (pairs.length === 0) fail('must hold at least one SecretId:SecretKey pair');
  return pairs.map((pair) => {
    const [secretId, secretKey, token, ...rest] = pair.split(':');
    if (!secretId || !secretKey || rest.length > 0)
      fail(`\`${pair}\` is not SecretId:SecretKey or SecretId:SecretKey:Token`);
    return token
      ? { secretId: secretId!, secretKey: secretKey!, token }
      : { secretId: secretId!, secretKey: secretKey! };
  });
};

const ALL_FORMATS: readonly SymbolFormat[] = [...DOCUMENTED_FORMATS, ...EXTRA_FORMATS];

const formats: Parser<readonly SymbolFormat[]> = (raw) => {
  if (raw === 'documented') return DOCUMENTED_FORMATS;
  if (raw === 'all') return ALL_FORMATS;
  const items = list(raw).map((item) => item.toUpperCase().replace(/-/g, '_'));
  for (const item of items)
    if (!(ALL_FORMATS as readonly string[]).includes(item))
      fail(`\`${item}\` is not a known format (${ALL_FORMATS.join(', ')})`);
  return items.length > 0 ? (items as SymbolFormat[]) : fail('must name at least one format');
};

const urlMap: Parser<Config['urlMap']> = (raw) =>
  list(raw).map((entry) => {
    const at = entry.lastIndexOf('=');
    const prefix = entry.slice(0, at);
    const dir = entry.slice(at + 1);
    if (at <= 0 || !dir || !/^https?:\/\//.test(prefix)) fail(`\`${entry}\` is not URL-prefix=folder`);
    return { prefix, dir };
  });

const cores = Math.max(1, os.availableParallelism());

/** A worker count, or `auto` for one per core. */
const workerCount: Parser<number> = (raw) => (raw === 'auto' ? cores : integer(1, 64)(raw));

// prettier-ignore
export const CONFIG_VARS = [
  {
    name: 'TCOCR_HOST',
    key: 'host',
    default: '127.0.0.1',
    description:
      'Address to listen on: this machine only by default; `0.0.0.0` for every interface (the Docker image sets it).',
    parse: (raw) => raw.trim() || fail('must not be empty'),
  },
  {
    name: 'TCOCR_PORT',
    key: 'port',
    default: '9000',
    description: 'Port to listen on (0 = any free port).',
    parse: integer(0, 65535),
  },
  {
    name: 'TCOCR_CREDENTIALS',
    key: 'credentials',
    default: `${DEFAULT_SECRET_ID}:${DEFAULT_SECRET_KEY}`,
    description:
      'Accepted keys: comma-separated `SecretId:SecretKey` pairs; a third part `:Token` makes it a temporary key that requires that X-TC-Token.',
    parse: credentials,
  },
  {
    name: 'TCOCR_LOG_LEVEL',
    key: 'logLevel',
    default: 'info',
    description: 'pino log level: fatal, error, warn, info, debug, trace or silent.',
    parse: oneOf<LogLevel>('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  {
    name: 'TCOCR_SIGNATURE',
    key: 'signature',
    default: 'lenient',
    description:
      "`strict`: the real service's rules (scope service must be `ocr`); `lenient`: also the real SDKs' quirks (Node SDK service label from an IP or localhost endpoint, verbatim header values); `off`: no signature check (debugging only).",
    parse: oneOf<SignatureMode>('strict', 'lenient', 'off'),
  },
  {
    name: 'TCOCR_CLOCK_SKEW_SECONDS',
    key: 'clockSkewSeconds',
    default: '300',
    description: "Largest accepted distance between a request's timestamp and the server clock.",
    parse: integer(0, 10 ** 9),
  },
  {
    name: 'TCOCR_CLOCK_OFFSET_SECONDS',
    key: 'clockOffsetSeconds',
    default: '0',
    description:
      'Shift the server clock the signature window is checked against (e.g. 600: every request answers AuthFailure.SignatureExpire).',
    parse: (raw) => (/^-?\d{1,10}$/.test(raw.trim()) ? Number(raw) : fail('must be a whole number of seconds')),
  },
  {
    name: 'TCOCR_QRCODE_REGIONS',
    key: 'qrcodeRegions',
    default: 'ap-beijing,ap-guangzhou',
    description:
      'Regions QrcodeOCR answers in (others: UnsupportedRegion); `*` = every region. A request without a region is always accepted.',
    parse: regions,
  },
  {
    name: 'TCOCR_HEALTHCODE_REGIONS',
    key: 'healthCodeRegions',
    default: 'ap-beijing,ap-guangzhou,ap-hongkong,ap-shanghai,na-toronto',
    description: 'Regions RecognizeHealthCodeOCR answers in; `*` = every region.',
    parse: regions,
  },
  {
    name: 'TCOCR_HEALTHCODE_OFFLINE',
    key: 'healthCodeOffline',
    default: 'false',
    description: 'Answer RecognizeHealthCodeOCR with ActionOffline, as the retired real service would.',
    parse: boolean,
  },
  {
    name: 'TCOCR_BARCODE_ENGINE',
    key: 'barcodeEngine',
    default: 'zxing-cpp',
    description:
      '`zxing-cpp` (zxing-wasm), `zxing-js` (@zxing/library) or `zxing-cpp+zxing-js` (the second only when the first finds nothing).',
    parse: oneOf<BarcodeEngineName>('zxing-cpp', 'zxing-js', 'zxing-cpp+zxing-js'),
  },
  {
    name: 'TCOCR_BARCODE_FORMATS',
    key: 'barcodeFormats',
    default: 'documented',
    description:
      '`documented` (the formats the real service documents), `all`, or a comma-separated list such as `QR_CODE,AZTEC,ITF`.',
    parse: formats,
  },
  {
    name: 'TCOCR_TYPENAME_STYLE',
    key: 'typeNameStyle',
    default: 'hyphen',
    description:
      'Spelling of 1-D TypeName values: `hyphen` as documented (`EAN-13`, `CODE-128`) or `underscore` (`EAN_13`).',
    parse: oneOf<'hyphen' | 'underscore'>('hyphen', 'underscore'),
  },
  {
    name: 'TCOCR_LINEAR_POSITION',
    key: 'linearPosition',
    default: 'minus-one',
    description: 'Position of 1-D barcodes: `minus-one` as documented (all corners -1) or `corners` (real corners).',
    parse: oneOf<'minus-one' | 'corners'>('minus-one', 'corners'),
  },
  {
    name: 'TCOCR_DECODER_WORKERS',
    key: 'decoderWorkers',
    default: 'auto',
    description: 'Barcode decoder worker threads; `auto` = one per core.',
    parse: workerCount,
  },
  {
    name: 'TCOCR_OCR_ENGINE',
    key: 'ocrEngine',
    default: 'paddle',
    description:
      'Recognition engine of RecognizeHealthCodeOCR: `paddle` (PP-OCRv4 through onnxruntime-node; reads real app fonts, photos and dark mode) or `tesseract` (tesseract.js, chi_sim; the earlier engine, kept for comparison). See docs/health-code.md.',
    parse: oneOf<HealthCodeEngineName>('paddle', 'tesseract'),
  },
  {
    name: 'TCOCR_OCR_WORKERS',
    key: 'ocrWorkers',
    default: 'auto',
    description:
      'OCR worker threads for RecognizeHealthCodeOCR, one recognition each (with `paddle` each holds the two PP-OCR models and the onnxruntime buffers, about 200 MB; with `tesseract` two tesseract.js threads, about 150–200 MB); `auto` = one per core.',
    parse: workerCount,
  },
  {
    name: 'TCOCR_QUEUE_LIMIT',
    key: 'queueLimit',
    default: '64',
    description: 'Images waiting per engine beyond those being processed; past it: RequestLimitExceeded.',
    parse: integer(0, 100_000),
  },
  {
    name: 'TCOCR_MAX_IMAGE_PIXELS',
    key: 'maxImagePixels',
    default: String(50_000_000),
    description: 'Largest image (width × height) decoded; larger: FailedOperation.ImageSizeTooLarge.',
    parse: integer(1, 2 ** 31),
  },
  {
    name: 'TCOCR_DECODE_TIMEOUT_MS',
    key: 'decodeTimeoutMs',
    default: '20000',
    description: 'A decode or recognition taking longer is abandoned and its worker replaced.',
    parse: integer(100, 600_000),
  },
  {
    name: 'TCOCR_REQUEST_TIMEOUT_MS',
    key: 'requestTimeoutMs',
    default: '30000',
    description:
      'Time a client has to send its whole request (headers and body); slower clients get InvalidRequest and are disconnected. Receiving only: an answer may take longer (fault delays, queued images).',
    parse: integer(100, 600_000),
  },
  {
    name: 'TCOCR_KEEP_ALIVE_TIMEOUT_MS',
    key: 'keepAliveTimeoutMs',
    default: '5000',
    description: 'Idle time after which a keep-alive connection is closed.',
    parse: integer(100, 600_000),
  },
  {
    name: 'TCOCR_URL_TIMEOUT_MS',
    key: 'urlTimeoutMs',
    default: '3000',
    description: 'Total time allowed to download an ImageUrl (the documented 3 s).',
    parse: integer(100, 600_000),
  },
  {
    name: 'TCOCR_ALLOW_PRIVATE_URLS',
    key: 'allowPrivateUrls',
    default: 'false',
    description:
      'Let ImageUrl reach loopback, private and link-local addresses (off: the emulator is no proxy into your network).',
    parse: boolean,
  },
  {
    name: 'TCOCR_URL_MAP',
    key: 'urlMap',
    default: '',
    description:
      'Serve ImageUrl prefixes from local folders, no network: comma-separated `https://prefix/=./folder` entries.',
    parse: urlMap,
  },
  {
    name: 'TCOCR_BLUR_THRESHOLD',
    key: 'blurThreshold',
    default: '',
    description:
      'Sharpness under which an image with no symbol answers FailedOperation.ImageBlur instead of ImageNoText (empty: the calibrated default, 100; see docs/image-quality.md).',
    parse: (raw) =>
      raw === ''
        ? undefined
        : Number.isFinite(Number(raw)) && Number(raw) >= 0
          ? Number(raw)
          : fail('must be a non-negative number'),
  },
  {
    name: 'TCOCR_ADMIN',
    key: 'admin',
    default: 'true',
    description: 'Serve the control plane under /_emulator/.',
    parse: boolean,
  },
  {
    name: 'TCOCR_ADMIN_TOKEN',
    key: 'adminToken',
    default: '',
    description:
      'When set, control-plane calls must send `Authorization: Bearer <token>` (health and ready stay open).',
    parse: (raw) => raw || undefined,
  },
  {
    name: 'TCOCR_FAULTS_FILE',
    key: 'faultRules',
    default: '',
    description: 'Fault rules to load at start: a JSON or YAML file (see docs/fault-injection.md); checked at start.',
    parse: (raw) => (raw.trim() === '' ? [] : loadRuleFile(raw.trim())),
  },
  {
    name: 'TCOCR_FAULT_SEED',
    key: 'faultSeed',
    default: '1',
    description:
      'Seed of the generator behind fault probabilities and delay ranges: the same seed fires the same calls.',
    parse: integer(0, 2 ** 32 - 1),
  },
  {
    name: 'TCOCR_FAULT_INPUTS',
    key: 'faultInputs',
    default: 'true',
    description:
      'Honour faults a request asks for itself: the `X-TC-Emulator-Fault` header and `ImageUrl`s on `error.emulator.invalid`.',
    parse: boolean,
  },
  {
    name: 'TCOCR_RATE_LIMITS',
    key: 'rateLimits',
    default: DEFAULT_RATE_LIMITS,
    description:
      "Requests per second per SecretId and action, past which the call answers RequestLimitExceeded: comma-separated `Action=N` or `SecretId/Action=N` (0 = unlimited); `off` = no limits. QrcodeOCR's API page says 5/s.",
    parse: parseRateLimits,
  },
  {
    name: 'TCOCR_ACCOUNTS',
    key: 'accounts',
    default: '',
    description:
      'Account states: comma-separated `SecretId=setting`, setting one of `unopened`, `billing-abnormal`, `in-arrears`, `package-run-out`, `cam-denied`, `cam-denied:<Action>`, `daily-quota:<N>`.',
    parse: parseAccounts,
  },
  {
    name: 'TCOCR_JOURNAL_SIZE',
    key: 'journalSize',
    default: '1000',
    description: 'API requests kept in the request journal (/_emulator/requests); 0 = none.',
    parse: integer(0, 1_000_000),
  },
  {
    name: 'TCOCR_JOURNAL_MAX_MB',
    key: 'journalMaxMb',
    default: '32',
    description:
      "Most memory the journal's entries take, measured as JSON: past it the oldest go first (each ImageUrl and message is kept to its first 2048 characters).",
    parse: integer(1, 4096),
  },
] as const satisfies readonly ConfigVar<keyof Config>[];

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads every TCOCR_* variable; throws ConfigError listing every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Readonly<Config> {
  const problems: string[] = [];
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const variable of CONFIG_VARS) {
    const raw = env[variable.name] ?? variable.default;
    try {
      config[variable.key] = (variable.parse as Parser<unknown>)(raw);
    } catch (error) {
      problems.push(`${variable.name}=${JSON.stringify(raw)}: ${(error as Error).message}`);
    }
  }
  const known = new Set<string>(CONFIG_VARS.map((v) => v.name));
  for (const name of Object.keys(env)) {
    if (name.startsWith('TCOCR_') && !known.has(name)) problems.push(`${name}: unknown setting`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config as Config);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
