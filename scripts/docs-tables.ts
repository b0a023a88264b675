/**
 * The README's configuration and error tables, generated from their single sources
 * (src/config.ts CONFIG_VARS, src/errors/codes.ts). `npm run docs` rewrites them in README.md;
 * test/unit/readme-tables.test.ts fails when the README has drifted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARS } from '../src/config.js';
import { ERROR_CODES, type ErrorCode } from '../src/errors/codes.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function configTable(): string {
  const rows = CONFIG_VARS.map(
    (v) => `| \`${v.name}\` | ${v.default === '' ? '(empty)' : `\`${cell(v.default)}\``} | ${cell(v.description)} |`,
  );
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}

const SOURCES = {
  common: 'common',
  QrcodeOCR: 'QrcodeOCR',
  RecognizeHealthCodeOCR: 'RecognizeHealthCodeOCR',
  'both-actions': 'both actions',
} as const;

export function errorTable(): string {
  const rows = (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => {
    const entry = ERROR_CODES[code];
    return `| \`${code}\` | ${SOURCES[entry.source]} | ${cell(entry.en)} | ${cell(entry.trigger)} |`;
  });
  return ['| Code | Where | Message (en-US) | How to trigger it naturally |', '|---|---|---|---|', ...rows].join('\n');
}

export const README = fileURLToPath(new URL('../README.md', import.meta.url));

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function replaceSection(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no ${name} section`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

export function renderReadme(text: string): string {
  return replaceSection(replaceSection(text, 'config-table', configTable()), 'error-table', errorTable());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README, renderReadme(readFileSync(README, 'utf8')));
  process.stdout.write('README.md tables regenerated\n');
}
