import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `../shared` beside the checkout (spec, design, corpus), overridable for unusual layouts. */
export const sharedDir = process.env.OCR_EMULATOR_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');

export function sharedFile(relative: string): string {
  const file = path.join(sharedDir, relative);
  if (!existsSync(file)) throw new Error(`shared file missing: ${file} (set OCR_EMULATOR_SHARED_DIR)`);
  return file;
}
