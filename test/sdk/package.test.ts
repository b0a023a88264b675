/**
 * The package as a user gets it: this tree copied as a clone would have it (tracked and new files,
 * no dist/), `npm pack` there (prepack builds dist/), the tarball installed into an empty project
 * with no network (test/helpers/offline-install.ts), then from that project: the bin's --version,
 * `npx tencentcloud-ocr-emulator exec -- node -e <an SDK call>` leaving nothing listening, and
 * library mode answering the SDK. The official SDK is not a dependency of the package: the
 * programs find it through NODE_PATH / createRequire in this repository's node_modules.
 */
import { type SpawnOptions, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cleanEnv, pkg } from '../helpers/cli-process.js';
import { writeOfflineProject } from '../helpers/offline-install.js';
import { closed } from '../helpers/process-watch.js';
import { QR_TEXT, SDK_CALL } from '../helpers/sdk-call.js';

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

function run(
  command: string,
  args: string[],
  options: SpawnOptions & { env?: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** npm's own variables from the `npm test` around us would steer the inner npm. */
function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
  return env;
}

const ALLOWED = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|docker\/healthcheck\.mjs|dist\/src\/.+\.(js|d\.ts))$/;

describe('npm pack → offline install → run', () => {
  const work = mkdtempSync(join(tmpdir(), 'tcocr-package-'));
  const clone = join(work, 'clone');
  const project = join(work, 'project');
  let packed: Packed;
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(async () => {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter(Boolean);
    for (const file of files) {
      if (file.startsWith('dist/')) continue;
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      try {
        copyFileSync(join(ROOT, file), join(clone, file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted in the tree
      }
    }
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const pack = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: clone, env: npmEnv() });
    expect(pack.status, pack.stderr).toBe(0);
    // prepack's build output comes first on stdout; the JSON report is the last thing printed.
    packed = (JSON.parse(pack.stdout.slice(pack.stdout.lastIndexOf('\n[\n') + 1)) as Packed[])[0]!;

    mkdirSync(project);
    copyFileSync(join(work, packed.filename), join(project, packed.filename));
    writeOfflineProject(ROOT, project, packed.filename);
    const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund', `./${packed.filename}`], {
      cwd: project,
      env: npmEnv(),
    });
    expect(install.status, install.stderr).toBe(0);
  }, 600_000);

  it('ships only what runs: dist/src JavaScript and types, the HEALTHCHECK script, README, LICENSE, CHANGELOG', () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/src/cli.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/engines/barcode/worker.js',
      'dist/src/engines/health-code/worker.js',
    ]) {
      expect(paths).toContain(needed);
    }
    expect(paths.filter((p) => !ALLOWED.test(p))).toEqual([]);
    expect(packed.size).toBeLessThan(1_000_000);
  });

  it('the bin prints the version', async () => {
    const version = await run(join(project, 'node_modules/.bin/tencentcloud-ocr-emulator'), ['--version'], {
      cwd: project,
      env: cleanEnv(),
    });
    expect(version).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('npx tencentcloud-ocr-emulator exec -- node -e <an SDK call>: answered, then nothing listens', async () => {
    const exec = await run(
      'npx',
      [
        '--offline',
        '--no-install',
        'tencentcloud-ocr-emulator',
        'exec',
        '--port',
        '0',
        '--decoder-workers',
        '1',
        '--healthcode-offline',
        '--',
        process.execPath,
        '-e',
        SDK_CALL,
      ],
      { cwd: project, env: npmEnv({ NODE_PATH: join(ROOT, 'node_modules') }) },
    );
    expect(exec.status, exec.stderr).toBe(0);
    const [url, text] = exec.stdout.trim().split(' ');
    expect(text).toBe(QR_TEXT);
    expect(await closed(url!.slice('http://'.length))).toBe(true);
  });

  it('library mode: startEmulator from the installed package, ready, answering the SDK', async () => {
    const program = [
      "import { createRequire } from 'node:module';",
      "import { startEmulator } from 'tencentcloud-ocr-emulator';",
      "const emulator = await startEmulator({ env: { TCOCR_LOG_LEVEL: 'silent', TCOCR_DECODER_WORKERS: '1', TCOCR_HEALTHCODE_OFFLINE: 'true' } });",
      "const ready = await fetch(emulator.url + '/_emulator/ready');",
      `const { ocr } = createRequire(${JSON.stringify(`${ROOT}/`)})('tencentcloud-sdk-nodejs/tencentcloud/services/ocr/index.js');`,
      "const client = new ocr.v20181119.Client({ credential: emulator.credentials, region: 'ap-guangzhou', profile: { httpProfile: { protocol: 'http://', endpoint: emulator.endpoint } } });",
      `const png = (await import('node:fs')).readFileSync(${JSON.stringify(join(ROOT, 'examples/images/qr.png'))});`,
      "const answer = await client.QrcodeOCR({ ImageBase64: png.toString('base64') });",
      'await emulator.close();',
      "console.log(ready.status + ' ' + answer.CodeResults[0].Url);",
    ].join('\n');
    writeFileSync(join(project, 'library.mjs'), program);
    const library = await run(process.execPath, ['library.mjs'], { cwd: project, env: cleanEnv() });
    expect(library).toEqual({ status: 0, stdout: `200 ${QR_TEXT}\n`, stderr: '' });
  });
});
