import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `../shared` beside the checkout (spec, design, corpus), overridable for unusual layouts. */
export const sharedDir = process.env.OCR_EMULATOR_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');

/**
 * A spec file: the shared copy when `../shared` is there, else the copy committed under
 * `fixtures/spec/` (so a lone clone runs every test; test/unit/spec-copies.test.ts keeps the
 * two equal).
 */
export function specFile(relative: string): string {
  const shared = path.join(sharedDir, 'spec', relative);
  return existsSync(shared) ? shared : path.join(repoRoot, 'fixtures', 'spec', relative);
}
