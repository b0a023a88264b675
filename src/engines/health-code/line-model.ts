/**
 * The `line` model (see tesseract.ts) is the LSTM of `@tesseract.js-data/chi_sim`'s `4.0.0`
 * traineddata. That file is 44 MB unpacked, 42 MB of it the legacy engine's templates, which
 * LSTM-only recognition never uses but tesseract.js would still copy into every worker's memory
 * (several hundred MB per worker). So the file is rewritten once without the legacy components
 * (./derived-file.ts: in the system temp directory) and read from there.
 */
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { derivedFile } from './derived-file.js';

/**
 * traineddata components (tesseract's TessdataType) an LSTM-only engine reads: the language
 * config, the unicharset, the LSTM network and its dictionaries, the version string.
 */
const LSTM_COMPONENTS = new Set([0, 1, 17, 18, 19, 20, 21, 22, 23]);

/**
 * A traineddata file with only the LSTM components (the others marked absent). Format: int32
 * entry count, one int64 offset per entry (-1 = absent), then the components in entry order.
 */
export function stripLegacy(data: Buffer): Buffer {
  if (data.length < 4) throw new Error('not a traineddata file: too short');
  const entries = data.readInt32LE(0);
  const header = 4 + 8 * entries;
  if (entries < 1 || entries > 64 || header > data.length)
    throw new Error(`not a traineddata file: ${entries} entries`);
  const offsets = Array.from({ length: entries }, (_, i) => Number(data.readBigInt64LE(4 + 8 * i)));
  const end = (i: number) => offsets.slice(i + 1).find((o) => o >= 0) ?? data.length;
  const kept: Buffer[] = [];
  const out = Buffer.alloc(header);
  out.writeInt32LE(entries, 0);
  let at = header;
  for (let i = 0; i < entries; i++) {
    const start = offsets[i]!;
    if (start < 0 || !LSTM_COMPONENTS.has(i)) {
      out.writeBigInt64LE(-1n, 4 + 8 * i);
      continue;
    }
    if (start < header || end(i) > data.length || end(i) < start)
      throw new Error(`traineddata component ${i} out of bounds`);
    const part = data.subarray(start, end(i));
    out.writeBigInt64LE(BigInt(at), 4 + 8 * i);
    kept.push(part);
    at += part.length;
  }
  return Buffer.concat([out, ...kept]);
}

/** Per source file, the directory once it is made (or being made) in this process. */
const prepared = new Map<string, Promise<string>>();

/**
 * The directory holding the stripped `<language>.traineddata` made from `gzFile`; made once per
 * process, and reused by later processes while the source is unchanged (the name carries its hash).
 */
export function strippedModelDir(gzFile: string, language: string): Promise<string> {
  let dir = prepared.get(gzFile);
  if (!dir) {
    dir = prepare(gzFile, language);
    prepared.set(gzFile, dir);
    dir.catch(() => prepared.delete(gzFile));
  }
  return dir;
}

async function prepare(gzFile: string, language: string): Promise<string> {
  // Unpacking the 44 MB source is left to the first process, so later ones keep that memory.
  const file = await derivedFile(gzFile, `${language}-lstm-v1`, `${language}.traineddata`, (gz) =>
    stripLegacy(gunzipSync(gz)),
  );
  return dirname(file);
}
