import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARS } from '../../src/config.js';
import { ERROR_CODES } from '../../src/errors/codes.js';
import { README, renderReadme } from '../../scripts/docs-tables.js';

const readme = readFileSync(README, 'utf8');

describe('README tables', () => {
  it('equal the config schema and the error table (run `npm run docs` after changing either)', () => {
    expect(readme).toBe(renderReadme(readme));
  });

  it('name every configuration variable and every error code', () => {
    for (const variable of CONFIG_VARS) expect(readme).toContain(`| \`${variable.name}\` |`);
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`| \`${code}\` |`);
  });
});
