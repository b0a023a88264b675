/**
 * The Docker image without a Docker engine: the Dockerfile's shape, then `npm run docker:smoke`
 * (scripts/docker-smoke.ts), which carries out its build and start on this host: two `npm ci`
 * runs (from the npm cache when it holds everything, else from the registry: an unreachable
 * registry fails here, it is never skipped), `npm run build`, the start, HEALTHCHECK, the Node SDK
 * example and a clean stop. It takes a minute or two.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_OPTIONS } from '../../src/cli/node-options.js';
import {
  type Instruction,
  commandOf,
  isExcluded,
  parseDockerfile,
  parseDockerignore,
} from '../../scripts/docker-smoke.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dockerfile = parseDockerfile(readFileSync(`${ROOT}Dockerfile`, 'utf8'));
const ignore = parseDockerignore(readFileSync(`${ROOT}.dockerignore`, 'utf8'));

/** The instructions of each stage, by stage name. */
function stages(instructions: readonly Instruction[]): Map<string, Instruction[]> {
  const byName = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      current = [];
      byName.set(/\bAS\s+(\S+)/i.exec(instruction.args)![1]!, current);
    } else current?.push(instruction);
  }
  return byName;
}

describe('Dockerfile', () => {
  const byStage = stages(dockerfile);
  const runtime = byStage.get('runtime')!;
  const args = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('builds on node:22-bookworm-slim in two stages', () => {
    expect(args(dockerfile as Instruction[], 'ARG')).toContain('NODE_IMAGE=node:22-bookworm-slim');
    expect([...byStage.keys()]).toEqual(['build', 'runtime']);
    const image = '$' + '{NODE_IMAGE}'; // the Dockerfile's own build-argument reference
    expect(args(dockerfile as Instruction[], 'FROM')).toEqual([`${image} AS build`, `${image} AS runtime`]);
    expect(args(byStage.get('build')!, 'RUN')).toEqual(['npm ci --no-audit --no-fund', 'npm run build']);
  });

  it('runtime: production dependencies and dist/ only, non-root, 0.0.0.0:9000, HEALTHCHECK with node', () => {
    expect(args(runtime, 'RUN')).toEqual(['npm ci --omit=dev --no-audit --no-fund']);
    expect(runtime.find((i) => i.keyword === 'COPY' && i.args === '/app/dist ./dist')!.flags).toEqual([
      ['from', 'build'],
    ]);
    expect(args(runtime, 'USER')).toEqual(['node']);
    expect(args(runtime, 'EXPOSE')).toEqual(['9000']);
    expect(args(runtime, 'ENV').join(' ')).toMatch(/TCOCR_HOST=0\.0\.0\.0\s+TCOCR_PORT=9000/);
    const healthcheck = runtime.find((i) => i.keyword === 'HEALTHCHECK')!;
    expect(commandOf(healthcheck.args.replace(/^CMD\s+/, ''))).toEqual(['node', 'docker/healthcheck.mjs']);
    expect(commandOf(args(runtime, 'ENTRYPOINT')[0]!)).toEqual(['node', ...SERVER_NODE_OPTIONS, 'dist/src/cli.js']);
    // USER comes after every RUN and COPY: the image's files stay root-owned, read-only to node.
    const user = runtime.findIndex((i) => i.keyword === 'USER');
    expect(runtime.slice(user).some((i) => i.keyword === 'RUN' || i.keyword === 'COPY')).toBe(false);
  });

  it('.dockerignore is an allow-list that lets in exactly what the Dockerfile copies', () => {
    expect(ignore[0]).toMatchObject({ negate: false, pattern: '*' });
    const copied = dockerfile
      .filter((i) => i.keyword === 'COPY' && !i.flags.some(([name]) => name === 'from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const source of copied) expect(isExcluded(ignore, source), source).toBe(false);
    for (const other of [
      'node_modules/fastify/package.json',
      'test/sdk/cli.test.ts',
      'dist/src/cli.js',
      'fixtures/x.png',
      '.git/HEAD',
      'README.md',
      'examples/node/qrcode-ocr.mjs',
      'docker/compose.yaml',
    ]) {
      expect(isExcluded(ignore, other), other).toBe(true);
    }
    expect(isExcluded(ignore, 'src/engines/engines.ts')).toBe(false);
  });
});

describe('npm run docker:smoke', () => {
  it(
    'builds and starts the image the way the Dockerfile says, and the Node SDK example gets its answer',
    async () => {
      // The image's Node line (22) may differ from this host's: build it on the host's line, as
      // `docker build --build-arg NODE_IMAGE=node:<major>-bookworm-slim` would (the package supports 20.19+).
      const nodeImage = `NODE_IMAGE=node:${process.versions.node.split('.')[0]}-bookworm-slim`;
      const child = spawn(`${ROOT}node_modules/.bin/tsx`, ['scripts/docker-smoke.ts', '--build-arg', nodeImage], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      const tail = output.slice(-6000);
      expect(code, tail).toBe(0);
      expect(output).toMatch(/final stage: \d+ production dependencies, no package only the dev dependencies need/);
      expect(output).toMatch(/HEALTHCHECK node docker\/healthcheck\.mjs: healthy after/);
      expect(output).toContain('QrcodeOCR: QR_CODE https://example.com/tencentcloud-ocr-emulator');
      expect(output).toContain('SIGTERM: exit code 0');
      expect(output).toContain('docker-smoke: OK');
    },
    15 * 60_000,
  );
});
