/**
 * The built `tencentcloud-ocr-emulator` command (dist/src/cli.js, package.json "bin") as a child
 * process: run it to completion, or start it and wait for its banner to report the engines warm.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
export const CLI = `${ROOT}/${pkg.bin['tencentcloud-ocr-emulator']}`;

/** The environment of a user's shell, minus anything that would steer the emulator or the SDK. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TCOCR_') && !/^(http|https)_proxy$/i.test(name) && name !== 'NODE_OPTIONS') env[name] = value;
  }
  return { ...env, ...extra };
}

export const runCli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { env: cleanEnv(env), encoding: 'utf8', timeout: 30_000 });

export interface Started {
  child: ChildProcess;
  banner: string;
  endpoint: string;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The flags the started emulators share: an ephemeral loopback port, one account, one worker per engine, quiet logs. */
export const localFlags = (secretId: string, secretKey: string): string[] => [
  '--port',
  '0',
  '--host',
  '127.0.0.1',
  '--credentials',
  `${secretId}:${secretKey}`,
  '--decoder-workers',
  '1',
  '--log-level',
  'warn',
];

/** Starts the command and resolves once the banner reports the engines warm. */
export function startCli(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after 90 s:\n${stderr}\n${stdout}`)), 90_000);
    void exit.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready:\n${stderr}\n${stdout}`));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const endpoint = /SDK endpoint: (\S+)/.exec(stderr)?.[1];
      if (endpoint && stderr.includes('Ready:')) {
        clearTimeout(timer);
        resolve({ child, banner: stderr, endpoint, stderr: () => stderr, stdout: () => stdout, exit });
      }
    });
  });
}
