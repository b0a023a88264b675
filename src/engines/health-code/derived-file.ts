/**
 * A file made from a package's file (a model rewritten for this engine), kept in the system temp
 * directory (never the working directory) under a name carrying the source's hash and the
 * rewrite's version: made by the first process or worker thread that needs it, read from there
 * by the others and by later processes while the source is unchanged. Written whole or not at
 * all (a temporary file renamed), so a file that is there is complete.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** `<tmp>/tencentcloud-ocr-emulator-<kind>-<hash of source>/<name>`, made with `make` when missing. */
export async function derivedFile(
  sourceFile: string,
  kind: string,
  name: string,
  make: (source: Buffer) => Uint8Array | Promise<Uint8Array>,
): Promise<string> {
  // Hashed as a stream: a worker that finds the file made keeps no copy of the source in memory.
  const hash = createHash('sha256');
  await pipeline(createReadStream(sourceFile), hash);
  const dir = join(tmpdir(), `tencentcloud-ocr-emulator-${kind}-${hash.digest('hex').slice(0, 16)}`);
  const file = join(dir, name);
  if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  const made = await make(await readFile(sourceFile));
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, made);
  await rename(temp, file);
  return file;
}
