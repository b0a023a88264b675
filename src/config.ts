/**
 * Configuration: a pure, validated, frozen function of the environment. Every variable is one row
 * of CONFIG_VARS (config-vars.ts: name, default, meaning, parser); the README's configuration table
 * is checked against these rows by a test. `loadConfig` reports every bad value at once.
 */
import type { Config, Parser } from './config-types.js';
import { CONFIG_VARS } from './config-vars.js';
import { loadRecordings } from './replay/recordings.js';

export { CONFIG_VARS } from './config-vars.js';
export { type Config, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, type LogLevel } from './config-types.js';

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
      // A secret's value is never repeated in a message.
      const shown = 'envOnly' in variable && variable.envOnly ? '(hidden)' : JSON.stringify(raw);
      problems.push(`${variable.name}=${shown}: ${(error as Error).message}`);
    }
  }
  const known = new Set<string>(CONFIG_VARS.map((v) => v.name));
  for (const name of Object.keys(env)) {
    if (name.startsWith('TCOCR_') && !known.has(name)) problems.push(`${name}: unknown setting`);
  }
  if (problems.length === 0 && config.mode === 'record') {
    if (!config.recordingsDir) problems.push('TCOCR_MODE=record: TCOCR_RECORDINGS_DIR names no folder');
    if (!config.upstreamCredentials) problems.push('TCOCR_MODE=record: TCOCR_UPSTREAM_CREDENTIALS is not set');
  }
  if (problems.length === 0 && config.mode === 'replay') {
    if (!config.recordingsDir) problems.push('TCOCR_MODE=replay: TCOCR_RECORDINGS_DIR names no folder');
    else {
      try {
        config.recordings = loadRecordings(config.recordingsDir as string);
      } catch (error) {
        problems.push(`TCOCR_RECORDINGS_DIR: ${(error as Error).message}`);
      }
    }
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
