import type { Credential } from './protocol/credentials.js';
import type { SignatureMode } from './protocol/auth.js';
import type { BarcodeEngineName, SymbolFormat } from './engines/barcode/types.js';
import type { HealthCodeEngineName } from './engines/health-code/types.js';
import type { AccountSettings } from './service/accounts.js';
import type { RateLimits } from './service/rate-limit.js';
import type { FaultRule } from './faults/rule.js';
import type { Recording } from './replay/recordings.js';

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
  ocrThreads: number;
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
  journalImageMb: number;
  mode: 'serve' | 'record' | 'replay';
  upstreamUrl: string;
  upstreamCredentials: { secretId: string; secretKey: string } | undefined;
  recordingsDir: string;
  replayMiss: 'engine' | 'error';
  recordImages: boolean;
  /** Replay mode: the recordings of TCOCR_RECORDINGS_DIR by key, read at start (not a variable). */
  recordings?: ReadonlyMap<string, Recording>;
}

export type Parser<T> = (raw: string) => T;

export interface ConfigVar<K extends keyof Config> {
  name: string;
  key: K;
  default: string;
  description: string;
  parse: Parser<Config[K]>;
  /** A secret read from the environment only: no command-line flag (a flag would show in `ps`). */
  envOnly?: boolean;
}
