/**
 * Legacy signature (HmacSHA1 / HmacSHA256), pure functions (PROTOCOL.md §2).
 */
import { hmac } from './hmac.js';

export type V1Method = 'HmacSHA1' | 'HmacSHA256';

export function isV1Method(value: string): value is V1Method {
  return value === 'HmacSHA1' || value === 'HmacSHA256';
}

/**
 * `<METHOD><host><path>?k=v&…` over every decoded parameter except Signature, sorted by name in
 * byte order, values raw (un-encoded). `dotNames` applies the Python SDK's `_` → `.` rename.
 */
export function v1StringToSign(
  method: string,
  host: string,
  path: string,
  params: ReadonlyMap<string, string>,
  dotNames = false,
): string {
  const pairs = [...params]
    .filter(([name]) => name !== 'Signature')
    .map(([name, value]) => [dotNames ? name.replace(/_/g, '.') : name, value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`);
  return `${method.toUpperCase()}${host}${path}?${pairs.join('&')}`;
}

export function v1Signature(secretKey: string, method: V1Method, toSign: string): string {
  return hmac(method === 'HmacSHA256' ? 'sha256' : 'sha1', secretKey, toSign).toString('base64');
}
