/**
 * Library mode through the BUILT package entry: `import('tencentcloud-ocr-emulator')` resolves via
 * package.json "exports" (self-reference) to dist/src/index.js. The emulator it starts is called
 * by the examples a user would copy: the Node SDK program, the curl + openssl script, the jest
 * globalSetup/globalTeardown pair and the vitest globalSetup project.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Package from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE = 'tencentcloud-ocr-emulator';
const EXPECTED_TEXT = 'QrcodeOCR: QR_CODE https://example.com/tencentcloud-ocr-emulator';

/** The SDK sends everything through a lower-case http_proxy when one is set (PROTOCOL.md §7.1). */
function clientEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.http_proxy;
  delete env.HTTP_PROXY;
  return env;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** spawn, not spawnSync: the emulator answering the child runs on this process's event loop. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeout: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * What `npm install` does in examples/jest and examples/vitest with their
 * `"tencentcloud-ocr-emulator": "file:../.."`: a link to this checkout in their node_modules.
 */
function linkPackage(example: string): void {
  const link = `${ROOT}examples/${example}/node_modules/${PACKAGE}`;
  if (existsSync(link)) return;
  mkdirSync(`${ROOT}examples/${example}/node_modules`, { recursive: true });
  symlinkSync(ROOT, link);
}

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

describe('the package entry', () => {
  it('resolves to the built dist/src/index.js', () => {
    expect(createRequire(import.meta.url).resolve(PACKAGE)).toBe(`${ROOT}dist/src/index.js`);
  });
});

describe('startEmulator from the built package', () => {
  let emulator: Package.RunningEmulator;
  beforeAll(async () => {
    // A variable specifier: the type checker must not need dist/ (it runs before the build).
    const name: string = PACKAGE;
    const { startEmulator } = (await import(name)) as typeof Package;
    emulator = await startEmulator({
      env: { TCOCR_LOG_LEVEL: 'silent', TCOCR_DECODER_WORKERS: '1', TCOCR_OCR_WORKERS: '1' },
    });
  });
  afterAll(async () => emulator?.close());

  it('returns url, endpoint, credentials and close()', async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.endpoint).toBe(emulator.url.slice('http://'.length));
    expect(emulator.credentials).toEqual({
      secretId: 'AKIDEMULATOR000000000000000000000000',
      secretKey: 'EmulatorSecretKey0000000000000000',
    });
    expect(typeof emulator.close).toBe('function');
    const health = (await (await fetch(`${emulator.url}/_emulator/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  });

  it('answers examples/node/qrcode-ocr.mjs: typed method, generic request, AuthFailure.SignatureFailure', async () => {
    const example = await run(process.execPath, ['examples/node/qrcode-ocr.mjs'], {
      cwd: ROOT,
      timeout: 60_000,
      env: clientEnv({
        TCOCR_ENDPOINT: emulator.endpoint,
        TENCENTCLOUD_SECRET_ID: emulator.credentials.secretId,
        TENCENTCLOUD_SECRET_KEY: emulator.credentials.secretKey,
      }),
    });
    expect(example.stderr).toBe('');
    expect(example.status).toBe(0);
    const lines = example.stdout.trim().split('\n');
    expect(lines[0]).toBe(EXPECTED_TEXT);
    expect(lines[1]).toMatch(/^request\("QrcodeOCR"\): ImgSize 246x246, RequestId [0-9a-f-]{36}$/);
    expect(lines[2]).toMatch(/^error: AuthFailure\.SignatureFailure \(RequestId [0-9a-f-]{36}\)$/);
  });

  it.skipIf(!has('curl') || !has('openssl') || !has('bash'))(
    'answers examples/curl/qrcode-ocr.sh, signed with openssl',
    async () => {
      const script = await run('bash', ['examples/curl/qrcode-ocr.sh'], {
        cwd: ROOT,
        timeout: 60_000,
        env: clientEnv({ TCOCR_ENDPOINT: emulator.endpoint }),
      });
      expect(script.stderr).toBe('');
      expect(script.status).toBe(0);
      expect(script.stdout).toContain('"Url":"https://example.com/tencentcloud-ocr-emulator"');
      expect(script.stdout).toMatch(/^error: .*"Code":"AuthFailure\.SignatureFailure"/m);
    },
  );
});

describe('test-runner recipes (examples/jest, examples/vitest)', () => {
  it('jest: global-setup.cjs starts the emulator and exports its endpoint; global-teardown.cjs stops it', async () => {
    linkPackage('jest');
    const require = createRequire(import.meta.url);
    const setup = require(`${ROOT}examples/jest/global-setup.cjs`) as () => Promise<void>;
    const teardown = require(`${ROOT}examples/jest/global-teardown.cjs`) as () => Promise<void>;
    const saved = { ...process.env };
    try {
      await setup();
      const endpoint = process.env.TCOCR_ENDPOINT!;
      expect(endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
      // What a jest worker would do with the inherited environment.
      const example = await run(process.execPath, ['examples/node/qrcode-ocr.mjs'], {
        cwd: ROOT,
        timeout: 60_000,
        env: clientEnv({}),
      });
      expect(example.stdout).toContain(EXPECTED_TEXT);
      await teardown();
      await expect(fetch(`http://${endpoint}/_emulator/health`)).rejects.toThrow();
    } finally {
      for (const name of ['TCOCR_ENDPOINT', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it('vitest: the globalSetup project runs green', async () => {
    linkPackage('vitest');
    const vitest = `${ROOT}node_modules/vitest/vitest.mjs`;
    // A fresh vitest, not a worker of this one.
    const env = clientEnv({ CI: '1', NO_COLOR: '1' });
    for (const name of Object.keys(env))
      if (name.startsWith('VITEST') || name === 'TEST' || name === 'NODE_ENV') delete env[name];
    const nested = await run(process.execPath, [vitest, 'run'], {
      cwd: `${ROOT}examples/vitest`,
      timeout: 120_000,
      env,
    });
    expect(nested.stdout + nested.stderr).toMatch(/Tests\s+2 passed/);
    expect(nested.status).toBe(0);
  });
});
