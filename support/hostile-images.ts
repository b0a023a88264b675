/**
 * Hostile PNGs that are tiny on disk and huge or absurdly shaped once decoded, built with zlib
 * (no image library): a white greyscale image of any size, each row filter byte 0.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A white greyscale PNG of `width` × `height` (1 or 8 bits per pixel). */
export function whitePng(width: number, height: number, bitDepth: 1 | 8 = 1): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = 0; // greyscale
  const row = Buffer.alloc(Math.ceil((width * bitDepth) / 8) + 1, 255);
  row[0] = 0;
  const raw = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y++) row.copy(raw, y * row.length);
  const idat = deflateSync(raw, { level: 9 });
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** The hostile uploads of the hardening tests: 1×50,000,000, 600×83,333 and 50,000,000×1. */
export const HOSTILE_SHAPES = {
  tall: { width: 1, height: 50_000_000 },
  slab: { width: 600, height: 83_333 },
  wide: { width: 50_000_000, height: 1 },
} as const;
