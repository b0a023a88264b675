/**
 * What identifies a recorded call: the action, the region and the business parameters, with every
 * image replaced by its SHA-256 (so a recording holds no image unless asked, and never a secret).
 * Parameters are compared as canonical JSON (object keys sorted), so their order does not matter.
 */
import { createHash } from 'node:crypto';

const IMAGE_PARAMS = new Set(['ImageBase64']);

/** Canonical JSON: object keys sorted at every level. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The parameters as a recording keeps them: images as `sha256:<hex>` of their decoded bytes. */
export function recordedParams(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (IMAGE_PARAMS.has(name) && typeof value === 'string') {
      const base64 = value.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
      out[name] = `sha256:${createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex')}`;
    } else out[name] = value;
  }
  return out;
}

/** The key of one call: SHA-256 of action, region and the recorded parameters. */
export function recordingKey(action: string, region: string, params: Readonly<Record<string, unknown>>): string {
  return createHash('sha256')
    .update(canonical({ action, region, params: recordedParams(params) }))
    .digest('hex');
}
