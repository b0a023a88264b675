import {
  HEALTH_CODE_FIELDS,
  type HealthCodeField,
  type HealthCodeFields,
} from '../../src/engines/health-code/types.js';

/** Exact-match scoring of the ten fields, and the side-by-side tables of the health-code bench. */

/** Every field but Name and IDNumber. */
export const MAIN_FIELDS = HEALTH_CODE_FIELDS.filter((f) => f !== 'Name' && f !== 'IDNumber');

export interface Scored {
  ok: Partial<Record<HealthCodeField, number>>;
  n: number;
}

export const emptyScore = (): Scored => ({ ok: {}, n: 0 });

/** Adds one screenshot's answer; returns the wrong fields as `Field: got ≠ want`. */
export function score(acc: Scored, got: HealthCodeFields, want: HealthCodeFields): string[] {
  acc.n++;
  const wrong: string[] = [];
  for (const f of HEALTH_CODE_FIELDS) {
    if (got[f] === want[f]) acc.ok[f] = (acc.ok[f] ?? 0) + 1;
    else wrong.push(`${f}: ${JSON.stringify(got[f])} ≠ ${JSON.stringify(want[f])}`);
  }
  return wrong;
}

export const fieldRate = (s: Scored, f: HealthCodeField) => (s.n ? (s.ok[f] ?? 0) / s.n : NaN);
/** Share of right values over the eight main fields. */
export const mainRate = (s: Scored) =>
  s.n ? MAIN_FIELDS.reduce((a, f) => a + (s.ok[f] ?? 0), 0) / (s.n * MAIN_FIELDS.length) : NaN;

const pct = (x: number) => (Number.isNaN(x) ? '–' : (100 * x).toFixed(1));

/** One row per (row, engine): the ten fields and the main-eight aggregate, in %. */
export function sideBySide(title: string, rows: { row: string; engine: string; s: Scored }[]): string {
  const short = (f: string) => f.replace('Testing', 'T.').replace('Vaccination', 'Vacc').slice(0, 9);
  const lines = [
    `\n${title}`,
    [
      'set/variant'.padEnd(24),
      'engine'.padEnd(10),
      'n'.padStart(4),
      ...HEALTH_CODE_FIELDS.map((f) => short(f).padStart(10)),
      'main8'.padStart(8),
    ].join(''),
  ];
  for (const { row, engine, s } of rows) {
    lines.push(
      [
        row.padEnd(24),
        engine.padEnd(10),
        String(s.n).padStart(4),
        ...HEALTH_CODE_FIELDS.map((f) => pct(fieldRate(s, f)).padStart(10)),
        pct(mainRate(s)).padStart(8),
      ].join(''),
    );
  }
  return lines.join('\n');
}

export function toJson(s: Scored): Record<string, number> {
  return { n: s.n, main8: mainRate(s), ...Object.fromEntries(HEALTH_CODE_FIELDS.map((f) => [f, fieldRate(s, f)])) };
}
