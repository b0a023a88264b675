/**
 * action.yml, the composite GitHub Action: starts the image or the npm package, waits for
 * /_emulator/ready, exports the endpoint and the built-in key as outputs and environment. Its
 * bash steps are also run here against a stand-in for the emulator (no Docker, no npx needed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVER_NODE_OPTIONS } from '../../src/cli/node-options.js';
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
interface Step {
  id?: string;
  shell: string;
  run: string;
  env: Record<string, string>;
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

describe('action.yml', () => {
  it('is a composite action with version/image/port/args inputs and endpoint/url/key outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['args', 'image', 'port', 'timeout-seconds', 'version']);
    expect(action.inputs.port!.default).toBe('9000');
    expect(Object.keys(action.outputs).sort()).toEqual(['endpoint', 'secret-id', 'secret-key', 'url']);
    const start = action.runs.steps[0]!.run;
    expect(start).toContain('docker run -d --name tencentcloud-ocr-emulator -p "127.0.0.1:$PORT:9000" "$IMAGE" $ARGS');
    expect(start).toContain('npx --yes "tencentcloud-ocr-emulator@$VERSION" --port "$PORT"');
    // …with the server's node options, as npm start and the image.
    expect(start).toContain(`NODE_OPTIONS="${SERVER_NODE_OPTIONS.join(' ')} \${NODE_OPTIONS:-}"`);
  });

  it.skipIf(spawnSync('sh', ['-c', 'command -v curl && command -v bash']).status !== 0)(
    'waits for /_emulator/ready (503 first), then writes the outputs and the environment',
    async () => {
      let calls = 0;
      const server = http.createServer((request, reply) => {
        calls += 1;
        const ready = request.url === '/_emulator/ready' && calls > 2;
        reply.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const dir = mkdtempSync(join(tmpdir(), 'tcocr-action-'));
      try {
        const wait = action.runs.steps.find((s) => s.id === 'ready')!;
        const port = String((server.address() as AddressInfo).port);
        const env = {
          PATH: process.env.PATH!,
          PORT: port,
          TIMEOUT: '30',
          GITHUB_OUTPUT: join(dir, 'output'),
          GITHUB_ENV: join(dir, 'env'),
          RUNNER_TEMP: dir,
        };
        const result = await new Promise<number | null>((resolve) => {
          const child = spawn('bash', ['-e', '-c', wait.run], { env, stdio: 'ignore' });
          child.once('exit', (code) => resolve(code));
        });
        expect(result).toBe(0);
        expect(calls).toBe(3);
        expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe(
          `endpoint=127.0.0.1:${port}\nurl=http://127.0.0.1:${port}\nsecret-id=${DEFAULT_SECRET_ID}\nsecret-key=${DEFAULT_SECRET_KEY}\n`,
        );
        expect(readFileSync(env.GITHUB_ENV, 'utf8')).toBe(
          `TCOCR_ENDPOINT=127.0.0.1:${port}\nTCOCR_URL=http://127.0.0.1:${port}\nTENCENTCLOUD_SECRET_ID=${DEFAULT_SECRET_ID}\nTENCENTCLOUD_SECRET_KEY=${DEFAULT_SECRET_KEY}\n`,
        );
      } finally {
        server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
