import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { derivedFile } from '../../src/engines/health-code/derived-file.js';

const work = mkdtempSync(join(tmpdir(), 'derived-file-test-'));
const made: string[] = [];
afterAll(() => {
  for (const dir of [work, ...made.map((f) => dirname(f))]) rmSync(dir, { recursive: true, force: true });
});

function source(content: string): string {
  const file = join(work, `${randomUUID()}.bin`);
  writeFileSync(file, content);
  return file;
}

describe('derivedFile', () => {
  it('makes the file once and reads it from the temp directory after that', async () => {
    const src = source(`model ${randomUUID()}`);
    let calls = 0;
    const make = (b: Buffer) => {
      calls++;
      return new TextEncoder().encode(b.toString().toUpperCase());
    };
    const first = await derivedFile(src, 'test-upper-v1', 'model.bin', make);
    made.push(first);
    expect(first.startsWith(tmpdir())).toBe(true);
    expect(readFileSync(first, 'utf8')).toMatch(/^MODEL /);
    expect(await derivedFile(src, 'test-upper-v1', 'model.bin', make)).toBe(first);
    expect(calls).toBe(1);
    // Written whole: no temporary file is left beside it.
    expect(readdirSync(dirname(first))).toEqual(['model.bin']);
  });

  it('makes a new file when the source changes', async () => {
    const a = await derivedFile(source(`a ${randomUUID()}`), 'test-upper-v1', 'model.bin', (b) => b);
    const b = await derivedFile(source(`b ${randomUUID()}`), 'test-upper-v1', 'model.bin', (b) => b);
    made.push(a, b);
    expect(a).not.toBe(b);
  });

  it('refuses a directory someone else could have written (a shared temp directory)', async () => {
    const content = `planted ${randomUUID()}`;
    const src = source(content);
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
    const dir = join(tmpdir(), `tencentcloud-ocr-emulator-test-upper-v1-${hash}`);
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, 'model.bin'), 'not what make would write');
    made.push(join(dir, 'model.bin'));
    await expect(derivedFile(src, 'test-upper-v1', 'model.bin', (b) => b)).rejects.toThrow(/not a private directory/);
    // Made by this user: mode 0700.
    const own = await derivedFile(source(`own ${randomUUID()}`), 'test-upper-v1', 'model.bin', (b) => b);
    made.push(own);
    expect(statSync(dirname(own)).mode & 0o077).toBe(0);
  });

  it('concurrent callers get one complete file', async () => {
    const src = source(`c ${randomUUID()}`.repeat(10_000));
    const files = await Promise.all(
      Array.from({ length: 4 }, () => derivedFile(src, 'test-upper-v1', 'model.bin', async (b) => b)),
    );
    made.push(files[0]!);
    expect(new Set(files).size).toBe(1);
    expect(readFileSync(files[0]!)).toEqual(readFileSync(src));
    expect(readdirSync(dirname(files[0]!))).toEqual(['model.bin']);
  });
});
