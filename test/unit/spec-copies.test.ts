import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sharedDir } from '../helpers/shared.js';

const copy = path.join(repoRoot, 'fixtures', 'spec', 'signature-vectors.json');
const shared = path.join(sharedDir, 'spec', 'signature-vectors.json');

describe('fixtures/spec/signature-vectors.json', () => {
  it('holds the 54 vectors of the spec', () => {
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toHaveLength(54);
  });

  it.runIf(existsSync(shared))('is byte for byte the shared spec file', () => {
    expect(readFileSync(copy).equals(readFileSync(shared))).toBe(true);
  });
});
