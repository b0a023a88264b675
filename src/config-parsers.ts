/** Parsers of configuration values: each turns a variable's text into its value or throws the problem. */
import os from 'node:os';
import type { Credential } from './protocol/credentials.js';
import { DOCUMENTED_FORMATS, EXTRA_FORMATS, type SymbolFormat } from './engines/barcode/types.js';
import { defaultModelThreads } from './engines/health-code/types.js';
import type { Config, Parser } from './config-types.js';

export const fail = (message: string): never => {
  throw new Error(message);
};

export const integer =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const value = Number(raw);
    return /^\d+$/.test(raw.trim()) && value >= min && value <= max
      ? value
      : fail(`must be a whole number from ${min} to ${max}`);
  };

export const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw) =>
    (values as string[]).includes(raw) ? (raw as T) : fail(`must be one of ${values.join(', ')}`);

export const boolean: Parser<boolean> = (raw) =>
  ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())
    ? true
    : ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())
      ? false
      : fail('must be true or false');

export const list = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export const regions: Parser<readonly string[] | '*'> = (raw) => {
  if (raw.trim() === '*') return '*';
  const items = list(raw);
  for (const item of items) if (!/^[a-z]{2}-[a-z]+(-[a-z0-9]+)*$/.test(item)) fail(`\`${item}\` is not a region name`);
  return items.length > 0 ? items : fail('must list at least one region, or be *');
};

export const credentials: Parser<readonly Credential[]> = (raw) => {
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

export const ALL_FORMATS: readonly SymbolFormat[] = [...DOCUMENTED_FORMATS, ...EXTRA_FORMATS];

export const formats: Parser<readonly SymbolFormat[]> = (raw) => {
  if (raw === 'documented') return DOCUMENTED_FORMATS;
  if (raw === 'all') return ALL_FORMATS;
  const items = list(raw).map((item) => item.toUpperCase().replace(/-/g, '_'));
  for (const item of items)
    if (!(ALL_FORMATS as readonly string[]).includes(item))
      fail(`\`${item}\` is not a known format (${ALL_FORMATS.join(', ')})`);
  return items.length > 0 ? (items as SymbolFormat[]) : fail('must name at least one format');
};

export const urlMap: Parser<Config['urlMap']> = (raw) =>
  list(raw).map((entry) => {
    const at = entry.lastIndexOf('=');
    const prefix = entry.slice(0, at);
    const dir = entry.slice(at + 1);
    if (at <= 0 || !dir || !/^https?:\/\//.test(prefix)) fail(`\`${entry}\` is not URL-prefix=folder`);
    return { prefix, dir };
  });

export const cores = Math.max(1, os.availableParallelism());

/** A worker count, or `auto` for one per core. */
export const workerCount: Parser<number> = (raw) => (raw === 'auto' ? cores : integer(1, 64)(raw));
/** onnxruntime threads per PP-OCR model call, or `auto` for the engine's default (two, one on one core). */
export const modelThreads: Parser<number> = (raw) =>
  raw === 'auto' ? defaultModelThreads(cores) : integer(1, 16)(raw);

// prettier-ignore
