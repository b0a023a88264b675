/**
 * `tencentcloud-ocr-emulator exec [options] -- COMMAND…` as built: the command gets the endpoint and
 * key, its status becomes the wrapper's, SIGTERM to the wrapper reaches the command, and nothing
 * listens or runs afterwards, also when the wrapper is killed with SIGKILL. Also `npm start` killed by PID (SIGKILL) leaves no server behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_OPTIONS } from '../../src/cli/node-options.js';
import { CLI, ROOT, cleanEnv, runCli } from '../helpers/cli-process.js';
import { alive, childrenOf, closed, until } from '../helpers/process-watch.js';
import { QR_TEXT, SDK_CALL } from '../helpers/sdk-call.js';

const FAST = ['--port', '0', '--decoder-workers', '1', '--healthcode-offline'];

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(command, args, { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

describe('exec', () => {
  it('runs the command against a warm emulator with TCOCR_ENDPOINT, TCOCR_URL and the key, then stops it: exit 0', async () => {
    const run = start(process.execPath, [CLI, 'exec', ...FAST, '--', process.execPath, '-e', SDK_CALL]);
    expect(await run.exit).toEqual({ code: 0, signal: null });
    const [url, text] = run.stdout().trim().split(' ');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(text).toBe(QR_TEXT);
    expect(run.stderr()).toContain('  Warm:         barcode (QrcodeOCR)\n');
    expect(run.stderr()).toContain('  Ready:        engines warm; running ');
    expect(await closed(url!.slice('http://'.length))).toBe(true);
  });

  it("exits with the command's status, and 127 when the command cannot be started", async () => {
    const failing = start(process.execPath, [CLI, 'exec', ...FAST, '--', process.execPath, '-e', 'process.exit(7)']);
    expect(await failing.exit).toEqual({ code: 7, signal: null });
    const missing = start(process.execPath, [CLI, 'exec', ...FAST, '--', 'no-such-command-tcocr']);
    expect(await missing.exit).toEqual({ code: 127, signal: null });
    expect(missing.stderr()).toContain('exec: cannot run no-such-command-tcocr');
  });

  it('without a command: exit 1 with the usage problem', () => {
    const { status, stderr } = runCli(['exec', '--port', '0']);
    expect(status).toBe(1);
    expect(stderr).toContain('exec: needs a command after --');
  });

  it("SIGTERM to the wrapper reaches the command; the wrapper exits with the command's status and nothing is left", async () => {
    const script = [
      "process.on('SIGTERM', () => { console.log('command got SIGTERM'); process.exit(42); });",
      "console.log('started ' + process.pid + ' ' + process.env.TCOCR_ENDPOINT);",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const run = start(process.execPath, [CLI, 'exec', ...FAST, '--', process.execPath, '-e', script]);
    await until(() => run.stdout().includes('started '), 'the command to start');
    const [, pid, endpoint] = /started (\d+) (\S+)/.exec(run.stdout())!;
    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual({ code: 42, signal: null });
    expect(run.stdout()).toContain('command got SIGTERM');
    await until(() => !alive(Number(pid)), 'the command to exit', 10_000);
    expect(await closed(endpoint!)).toBe(true);
  });
});

describe('exec killed outright', () => {
  it('SIGKILL to the wrapper: the command is stopped by its guard and nothing is left', async () => {
    const script =
      "console.log('started ' + process.pid + ' ' + process.env.TCOCR_ENDPOINT); setInterval(() => {}, 1000);";
    const run = start(process.execPath, [CLI, 'exec', ...FAST, '--', process.execPath, '-e', script]);
    await until(() => run.stdout().includes('started '), 'the command to start');
    const [, pid, endpoint] = /started (\d+) (\S+)/.exec(run.stdout())!;
    const guards = childrenOf(run.child.pid!);
    expect(guards).toHaveLength(1);
    run.child.kill('SIGKILL');
    expect(await run.exit).toEqual({ code: null, signal: 'SIGKILL' });
    await until(() => !alive(Number(pid)), 'the command to be stopped', 15_000);
    await until(() => !alive(guards[0]!), 'the guard to exit', 15_000);
    expect(await closed(endpoint!)).toBe(true);
  });
});

describe('npm start', () => {
  it('runs the server with its node options; killed by PID with SIGKILL, leaves no server running', async () => {
    // --ignore-scripts skips prestart (the build): the suite has built dist/ already.
    const npm = start('npm', ['start', '--ignore-scripts', '--silent'], {
      TCOCR_PORT: '0',
      TCOCR_LOG_LEVEL: 'warn',
      TCOCR_DECODER_WORKERS: '1',
      TCOCR_HEALTHCODE_OFFLINE: 'true',
    });
    await until(() => npm.stderr().includes('Ready:'), `the server to be ready:\n${npm.stderr()}`, 90_000);
    const endpoint = /SDK endpoint: (\S+)/.exec(npm.stderr())![1]!;
    // "start": "exec node …": the server is npm's own child, no shell in between.
    const servers = childrenOf(npm.child.pid!);
    expect(servers).toHaveLength(1);
    // …started with the server's node options (src/cli/node-options.ts).
    const argv = readFileSync(`/proc/${servers[0]}/cmdline`, 'utf8').split('\0');
    expect(argv.slice(1, 1 + SERVER_NODE_OPTIONS.length)).toEqual([...SERVER_NODE_OPTIONS]);
    expect(await closed(endpoint)).toBe(false);
    npm.child.kill('SIGKILL');
    await npm.exit;
    await until(() => !alive(servers[0]!), 'the server to exit after npm was killed');
    expect(await closed(endpoint)).toBe(true);
  });
});
