/**
 * Fault rules from a file (TCOCR_FAULTS_FILE) or an admin request body: JSON or YAML, either a
 * list of rules or `{ rules: [...] }`. Every problem is reported at once.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type FaultRule, type RuleSource, normalizeRule } from './rule.js';
import { MAX_RULES } from './store.js';

/** Text → plain data. YAML is a superset of JSON, but JSON.parse gives the clearer message for `.json`. */
export function parseDocument(text: string, json: boolean): unknown {
  return json ? JSON.parse(text) : parseYaml(text);
}

/** A parsed document → rules; `makeId(index)` names a rule that has no `id`. */
export function rulesFromDocument(
  document: unknown,
  source: RuleSource,
  makeId: (index: number) => string,
): FaultRule[] {
  const items = Array.isArray(document)
    ? document
    : typeof document === 'object' && document !== null && Array.isArray((document as { rules?: unknown }).rules)
      ? (document as { rules: unknown[] }).rules
      : document !== null && typeof document === 'object' && 'effect' in document
        ? [document]
        : undefined;
  if (!items) throw new Error('expected a list of rules, `{ "rules": [...] }` or a single rule');
  if (items.length > MAX_RULES)
    throw new Error(`at most ${MAX_RULES} rules are in force at once; this has ${items.length}`);
  const problems: string[] = [];
  const rules: FaultRule[] = [];
  items.forEach((item, index) => {
    try {
      rules.push(normalizeRule(item, source, () => makeId(index), `rules[${index}]`));
    } catch (error) {
      problems.push((error as Error).message);
    }
  });
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push(`rule id \`${rule.id}\` is used twice`);
    seen.add(rule.id);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return rules;
}

/** TCOCR_FAULTS_FILE: read and check at start; an error names the file. */
export function loadRuleFile(file: string): FaultRule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parseDocument(text, file.toLowerCase().endsWith('.json'));
  } catch (error) {
    throw new Error(
      `${file} is not valid ${file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (document === null || document === undefined) return [];
  return rulesFromDocument(document, 'file', (index) => `file-${index + 1}`);
}
