/**
 * The README's and docs/ci-recipes.md's snippets as written: every fenced block either runs here
 * (JavaScript, as an ES module file in a checkout, against a live emulator) or is marked on the line
 * before with `<!-- snippet not run by the tests: REASON -->`; the README's inline `curl` commands
 * run too. The snippets say 127.0.0.1:9000; the emulator here listens on a free port, put in place
 * of that address.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { ROOT, cleanEnv } from '../helpers/cli-process.js';
import { QR_TEXT } from '../helpers/sdk-call.js';

interface Block {
  file: string;
  line: number;
  lang: string;
  body: string;
  marked: boolean;
}

function blocks(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    found.push({
      file,
      line: i + 1,
      lang: open[1]!,
      body: lines.slice(i + 1, end).join('\n'),
      marked: /^<!-- snippet not run by the tests: .+ -->$/.test(lines[i - 1] ?? ''),
    });
    i = end;
  }
  return found;
}

const ALL = [...blocks('README.md'), ...blocks('docs/ci-recipes.md')];
const RUNNABLE = ALL.filter((b) => !b.marked);

function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The SDK sends everything through a lower-case http_proxy (cleanEnv drops it).
    const child = spawn(command, args, { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('documentation snippets', () => {
  let emulator: RunningEmulator;
  // Inside the checkout (so "tencentcloud-ocr-emulator" resolves to this package) and ignored by git.
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.tmp', 'snippets-'));
  beforeAll(async () => {
    emulator = await startEmulator({
      env: { TCOCR_LOG_LEVEL: 'silent', TCOCR_DECODER_WORKERS: '1', TCOCR_HEALTHCODE_OFFLINE: 'true' },
    });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every block runs here or says why not', () => {
    expect(RUNNABLE.filter((b) => b.lang !== 'js').map((b) => `${b.file}:${b.line} (${b.lang})`)).toEqual([]);
    expect(RUNNABLE.length).toBeGreaterThanOrEqual(3);
  });

  it.each(RUNNABLE.filter((b) => b.lang === 'js').map((b) => [`${b.file}:${b.line}`, b] as const))(
    '%s runs',
    async (_name, block) => {
      const file = join(dir, `${block.file.replace(/\W/g, '-')}-${block.line}.mjs`);
      writeFileSync(file, block.body.replaceAll('127.0.0.1:9000', emulator.endpoint));
      const result = await run(process.execPath, [file]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      if (block.body.includes('QrcodeOCR')) expect(result.stdout).toBe(`QR_CODE ${QR_TEXT} 246x246\n`);
    },
  );

  it("the README's curl commands run", async () => {
    const commands = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/`(curl [^`]+)`/g)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(1);
    for (const command of commands) {
      const result = await run('sh', ['-c', command.replaceAll('127.0.0.1:9000', emulator.endpoint)]);
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
      expect(result.stdout.length).toBeGreaterThan(0);
    }
  });
});
