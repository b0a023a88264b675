/**
 * A file made from a package's file (a model rewritten for this engine), kept in the system temp
 * directory (never the working directory) under a name carrying the source's hash and the
 * rewrite's version: made by the first process or worker thread that needs it, read from there
 * by the others and by later processes while the source is unchanged. Written whole or not at
 * all (a temporary file renamed), so a file that is there is complete. The temp directory is
 * shared and the name predictable, so a directory is used only when it is this user's own, not a
 * link and writable by no one else (made with mode 0700); otherwise the call fails and the
 * caller makes what it needs in memory.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Throws unless `dir` is a real directory owned by this user and writable by no one else. */
async function checkOwnDirectory(dir: string): Promise<void> {
  const st = await lstat(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0)
    throw new Error(`${dir} is not a private directory of this user`);
}

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
  const found = await lstat(file).catch(() => undefined);
  if (found) {
    await checkOwnDirectory(dir);
    if (!found.isFile()) throw new Error(`${file} is not a file`);
    return file;
  }
  const made = await make(await readFile(sourceFile));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await checkOwnDirectory(dir);
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, made);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return file;
}
