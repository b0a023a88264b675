/**
 * `tencentcloud-ocr-emulator exec [options] -- COMMAND [ARGS…]`: start an emulator, wait until its
 * engines are warm (what /_emulator/ready reports), run COMMAND with the emulator's address and key
 * in its environment, then stop the emulator and exit with COMMAND's status (128 + signal number
 * when it was killed by a signal). SIGINT, SIGTERM and SIGHUP sent to this process are passed on to
 * COMMAND; the emulator stops once COMMAND has exited. The emulator runs inside this process, so it
 * never outlives it, whatever ends it; COMMAND runs under a guard (guard.ts) that stops it when this
 * process is killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { stopWithNpm } from './parent-watch.js';
import { banner, clientHost } from './serve.js';
import { warmWithProgress } from './warm.js';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** The guard beside this file: compiled JavaScript in a package, TypeScript when run from source. */
const GUARD = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './guard.ts' : './guard.js', import.meta.url));

/** The variables COMMAND receives, on top of this process's environment. */
export function execEnv(config: Readonly<Config>, port: number): Record<string, string> {
  const endpoint = `${clientHost(config.host)}:${port}`;
  const first = config.credentials[0]!;
  return {
    TCOCR_ENDPOINT: endpoint,
    TCOCR_URL: `http://${endpoint}`,
    TENCENTCLOUD_SECRET_ID: first.secretId,
    TENCENTCLOUD_SECRET_KEY: first.secretKey,
    ...(first.token ? { TENCENTCLOUD_SESSION_TOKEN: first.token } : {}),
  };
}

const statusOf = (code: number | null, signal: NodeJS.Signals | null) =>
  code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);

export async function execCommand(config: Readonly<Config>, command: readonly string[]): Promise<never> {
  const say = (line: string) => process.stderr.write(line);
  let received: NodeJS.Signals | undefined;
  let forward: (signal: NodeJS.Signals) => void = (signal) => (received ??= signal);
  for (const signal of FORWARDED) process.on(signal, () => forward(signal));

  stopWithNpm();
  const app = await buildApp(config);
  const finish = async (status: number): Promise<never> => {
    await app.close().catch((err: unknown) => say(`tencentcloud-ocr-emulator exec: closing failed: ${String(err)}\n`));
    process.exit(status);
  };
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    say(
      `tencentcloud-ocr-emulator exec: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`,
    );
    return finish(1);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  say(banner(config, port));
  try {
    await warmWithProgress(app, config, say);
  } catch (error) {
    say(`tencentcloud-ocr-emulator exec: the engines did not start: ${(error as Error).message}\n`);
    return finish(1);
  }
  if (received) return finish(128 + (constants.signals[received] ?? 0));
  say(`  Ready:        engines warm; running ${command.join(' ')}\n`);

  // COMMAND runs under a guard process that stops it if this process is killed outright (guard.ts).
  const child = spawn(process.execPath, [...process.execArgv, GUARD, '--', ...command], {
    stdio: 'inherit',
    env: { ...process.env, ...execEnv(config, port) },
  });
  forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const status = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      say(`tencentcloud-ocr-emulator exec: cannot run ${command[0]}: ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (code, signal) => resolve(statusOf(code, signal)));
  });
  return finish(status);
}
