import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(algorithm: 'sha1' | 'sha256', key: string | Uint8Array, message: string): Buffer {
  return createHmac(algorithm, key).update(message, 'utf8').digest();
}

/** Constant-time comparison of two signature strings (lengths are not secret). */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
