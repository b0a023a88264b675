/**
 * The `tencentcloud-ocr-emulator` command, as built (dist/src/cli.js, package.json "bin"): help,
 * version, the problem listing for bad values, and a real start → SDK call → SIGTERM with a request
 * in flight → exit 0.
 */
import { readFileSync } from 'node:fs';
import { ocr } from 'tencentcloud-sdk-nodejs/tencentcloud/services/ocr/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_VARS } from '../../src/config.js';
import { CLI, ROOT, type Started, localFlags, pkg, runCli, startCli } from '../helpers/cli-process.js';
import { type SlowServer, serveSlowly } from '../helpers/file-server.js';
import { qrPng } from '../../support/images.js';

describe('tencentcloud-ocr-emulator --help / --version', () => {
  it('the bin is dist/src/cli.js and starts with a node shebang', () => {
    expect(pkg.bin['tencentcloud-ocr-emulator']).toBe('./dist/src/cli.js');
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('--help lists every TCOCR_* variable with its flag and default', () => {
    const { status, stdout } = runCli(['--help']);
    expect(status).toBe(0);
    for (const variable of CONFIG_VARS) {
      const flag = `--${variable.name.slice('TCOCR_'.length).toLowerCase().replace(/_/g, '-')}`;
      if ('envOnly' in variable && variable.envOnly) {
        // A secret has no flag: a command line shows in `ps`.
        expect(stdout).not.toContain(flag);
        continue;
      }
      expect(stdout).toMatch(
        new RegExp(
          `^  ${flag} .*${variable.name}, default ${variable.default === '' ? '\\(empty\\)' : variable.default.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
          'm',
        ),
      );
    }
  });

  it('--version prints the package version', () => {
    const { status, stdout } = runCli(['--version']);
    expect(status).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it('CHANGELOG.md has an entry for this version', () => {
    expect(readFileSync(`${ROOT}/CHANGELOG.md`, 'utf8')).toContain(`\n## ${pkg.version}\n`);
  });
});

describe('bad values', () => {
  it('exit 1 with every problem listed: bad flags, unknown flags, bad variables', () => {
    const { status, stderr, stdout } = runCli(
      ['--signature', 'bogus', '--port=70000', '--frobnicate', '--no-admin', '--decoder-workers'],
      {
        TCOCR_QUEUE_LIMIT: 'many',
        TCOCR_TYPO: '1',
      },
    );
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('  - --signature (TCOCR_SIGNATURE)="bogus": must be one of strict, lenient, off');
    expect(stderr).toContain('  - --port (TCOCR_PORT)="70000": must be a whole number from 0 to 65535');
    expect(stderr).toContain('  - --frobnicate: unknown option');
    expect(stderr).toContain('  - --decoder-workers: needs a value (TCOCR_DECODER_WORKERS)');
    expect(stderr).toContain('  - TCOCR_QUEUE_LIMIT="many": must be a whole number');
    expect(stderr).toContain('  - TCOCR_TYPO: unknown setting');
    expect(stderr).not.toContain('TCOCR_ADMIN');
  });

  it('a bad variable alone stops the start the same way', () => {
    const { status, stderr } = runCli(['--port', '0'], { TCOCR_SIGNATURE: 'loose' });
    expect(status).toBe(1);
    expect(stderr).toContain('  - TCOCR_SIGNATURE="loose": must be one of strict, lenient, off');
  });
});

function client(endpoint: string, secretId: string, secretKey: string) {
  return new ocr.v20181119.Client({
    credential: { secretId, secretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { protocol: 'http://', endpoint, reqTimeout: 30 } },
  });
}

describe('a running emulator', () => {
  let started: Started | undefined;
  let slowServer: SlowServer | undefined;
  afterAll(async () => {
    started?.child.kill('SIGKILL');
    await slowServer?.close();
  });

  it('prints a banner, answers the official SDK, and on SIGTERM answers the request in flight, then exits 0', async () => {
    const secretId = 'AKIDCLITEST0000000000000000000000000';
    const secretKey = 'CliTestSecretKey000000000000000000';
    started = await startCli(
      [
        ...localFlags(secretId, secretKey),
        '--ocr-workers',
        '1',
        '--signature',
        'lenient',
        '--allow-private-urls',
        '--healthcode-offline',
      ],
      // The flag wins over the variable: this bad value is never read.
      { TCOCR_SIGNATURE: 'bogus' },
    );
    const { banner, endpoint } = started;
    expect(endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(banner).toContain(`tencentcloud-ocr-emulator ${pkg.version}`);
    expect(banner).toContain(`URL:          http://${endpoint}`);
    expect(banner).toContain(`SecretId:     ${secretId}`);
    expect(banner).toContain(`SecretKey:    ${secretKey}`);
    expect(banner).toContain('Signature:    lenient');
    expect(banner).toContain(
      'Actions:      QrcodeOCR (ap-beijing, ap-guangzhou); RecognizeHealthCodeOCR (offline: answers ActionOffline)',
    );
    expect(banner).toContain(
      'Engines:      barcode zxing-cpp, 1 worker(s), formats documented; health code: not started (offline)',
    );
    expect(banner).toContain(`Health:       http://${endpoint}/_emulator/health`);

    const health = (await (await fetch(`http://${endpoint}/_emulator/health`)).json()) as unknown;
    expect(health).toEqual({ status: 'ok', version: pkg.version });

    const qr = await qrPng('cli test');
    const sdk = client(endpoint, secretId, secretKey);
    const direct = await sdk.QrcodeOCR({ ImageBase64: qr.png.toString('base64') });
    expect(direct.CodeResults?.[0]?.Url).toBe('cli test');

    // A request in flight: its ImageUrl answers only after 1.5 s, and SIGTERM comes once it is asked for.
    slowServer = await serveSlowly(qr.png, 1500);
    // The SDK rejects a 1.5 s download under the documented 3 s deadline only if the emulator dies.
    const inFlight = sdk.QrcodeOCR({ ImageUrl: slowServer.url });
    await slowServer.requested;
    const signalled = Date.now();
    started.child.kill('SIGTERM');
    const answered = await inFlight;
    expect(answered.CodeResults?.[0]?.Url).toBe('cli test');
    const { code, signal } = await started.exit;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(started.stderr()).toContain('SIGTERM, closed');
  });
});
