import type { SignatureMode } from './protocol/auth.js';
import type { BarcodeEngineName } from './engines/barcode/types.js';
import type { HealthCodeEngineName } from './engines/health-code/types.js';
import { parseAccounts } from './service/accounts.js';
import { DEFAULT_RATE_LIMITS, parseRateLimits } from './service/rate-limit.js';
import { loadRuleFile } from './faults/rule-file.js';
import { type Config, type ConfigVar, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, type LogLevel } from './config-types.js';
import {
  fail,
  integer,
  oneOf,
  boolean,
  regions,
  credentials,
  formats,
  urlMap,
  workerCount,
  modelThreads,
} from './config-parsers.js';

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
    name: 'TCOCR_OCR_THREADS',
    key: 'ocrThreads',
    default: 'auto',
    description:
      'onnxruntime threads per PP-OCR model call in each OCR worker (`paddle` only); `auto` = two, or one on a one-core machine: a screenshot read alone then uses a second core, and with every worker busy the threads share the cores (measured in docs/health-code.md). `1` where many workers share few cores.',
    parse: modelThreads,
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
  {
    name: 'TCOCR_MODE',
    key: 'mode',
    default: 'serve',
    description:
      '`serve`: every answer from the local engines. `record`: forward each call (after the local checks) to TCOCR_UPSTREAM_URL and write its answer to TCOCR_RECORDINGS_DIR. `replay`: answer recorded calls from their recording, any OCR action (docs/record-replay.md).',
    parse: oneOf<'serve' | 'record' | 'replay'>('serve', 'record', 'replay'),
  },
  {
    name: 'TCOCR_UPSTREAM_URL',
    key: 'upstreamUrl',
    default: 'https://ocr.tencentcloudapi.com',
    description: 'The real service that TCOCR_MODE=record forwards calls to.',
    parse: (raw) => {
      const url = new URL(raw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not an http(s) URL');
      return url.origin;
    },
  },
  {
    name: 'TCOCR_UPSTREAM_CREDENTIALS',
    key: 'upstreamCredentials',
    default: '',
    description:
      'TCOCR_MODE=record: `SecretId:SecretKey` of a real Tencent Cloud key the forwarded calls are signed with. Environment only (no flag); never written to recordings, logs or the journal.',
    envOnly: true,
    parse: (raw) => {
      if (raw === '') return undefined;
      const at = raw.indexOf(':');
      if (at <= 0 || at === raw.length - 1) throw new Error('expected SecretId:SecretKey');
      return { secretId: raw.slice(0, at), secretKey: raw.slice(at + 1) };
    },
  },
  {
    name: 'TCOCR_RECORDINGS_DIR',
    key: 'recordingsDir',
    default: '',
    description: 'Folder of recordings (one JSON file per call) that TCOCR_MODE=replay answers from; read at start.',
    parse: (raw) => raw,
  },
  {
    name: 'TCOCR_RECORD_IMAGES',
    key: 'recordImages',
    default: 'false',
    description:
      "TCOCR_MODE=record: also keep each call's ImageBase64 in its recording (`images`), which `compare` needs to run the local engines on it.",
    parse: boolean,
  },
  {
    name: 'TCOCR_REPLAY_MISS',
    key: 'replayMiss',
    default: 'engine',
    description:
      'A call with no recording, in replay mode: `engine` answers it locally (an OCR action without an engine answers UnsupportedOperation), `error` answers UnsupportedOperation naming the missing recording.',
    parse: oneOf<'engine' | 'error'>('engine', 'error'),
  },
  {
    name: 'TCOCR_JOURNAL_IMAGE_MB',
    key: 'journalImageMb',
    default: '16',
    description:
      'Memory kept for the uploaded images of the last requests, shown by the web console (/_emulator/ui): past it the oldest go first; 0 = none.',
    parse: integer(0, 1024),
  },
] as const satisfies readonly ConfigVar<keyof Config>[];
