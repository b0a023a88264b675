import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
