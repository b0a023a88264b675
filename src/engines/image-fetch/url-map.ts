import { realpath, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../errors/api-error.js';

/** `ImageUrl`s that start with `prefix` are read from the folder `dir` instead of the network. */
export interface UrlMapEntry {
  readonly prefix: string;
  readonly dir: string;
}

function downloadError(detail: string, cause?: unknown): ApiError {
  return new ApiError('FailedOperation.DownLoadError', [], { message: `File download failed: ${detail}`, cause });
}

/** The first entry whose prefix the (normalised) URL starts with. */
export function findMapping(href: string, urlMap: readonly UrlMapEntry[]): UrlMapEntry | undefined {
  return urlMap.find((entry) => entry.prefix !== '' && href.startsWith(entry.prefix));
}

/**
 * The file a mapped URL names: the rest of the URL after the prefix, without query or fragment,
 * percent-decoded and joined under `dir`. Anything that would leave `dir` (`..`, encoded slashes,
 * an absolute path, a symbolic link pointing out) is refused.
 */
export async function resolveMappedFile(href: string, entry: UrlMapEntry): Promise<string> {
  const rest = href.slice(entry.prefix.length).replace(/[?#].*$/s, '');
  let relative: string;
  try {
    relative = decodeURIComponent(rest);
  } catch (error) {
    throw downloadError(`the mapped path "${rest}" is not valid percent-encoding`, error);
  }
  if (relative.includes('\0')) throw downloadError('the mapped path contains a NUL byte');
  const root = path.resolve(entry.dir);
  const target = path.resolve(root, `.${path.sep}${relative}`);
  const inside = (dir: string, file: string): boolean => file === dir || file.startsWith(dir + path.sep);
  if (!inside(root, target) || target === root) {
    throw downloadError(`the mapped path "${relative}" is outside the mapped folder`);
  }
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(target), realpath(root)]);
  } catch (error) {
    throw downloadError(`no file "${relative}" in the mapped folder for ${entry.prefix}`, error);
  }
  if (!inside(realRoot, real)) throw downloadError(`the mapped path "${relative}" is outside the mapped folder`);
  return real;
}

/** Reads a mapped file with the same limits as a download. */
export async function readMappedFile(file: string, maxBytes: number): Promise<Uint8Array> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw downloadError(`the mapped path is not a regular file`);
    size = info.size;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw downloadError('the mapped file could not be read', error);
  }
  if (size > maxBytes) {
    throw new ApiError('LimitExceeded.TooLargeFileError', [], {
      message: `The file is too large: the mapped file has ${size} bytes, the limit is ${maxBytes}.`,
    });
  }
  try {
    return await readFile(file);
  } catch (error) {
    throw downloadError('the mapped file could not be read', error);
  }
}
