/**
 * EAN-2 / EAN-5 add-ons (supplements) of EAN-13, UPC-A, UPC-E and EAN-8. ZXing-C++ reads them with
 * `eanAddOnSymbol: 'Read'` and returns the main code's text unchanged, the add-on's digits in the
 * result's extra data and the main code's corners only. The add-on is reported as a symbol of its
 * own (Tencent's TypeName list has `EAN-2`), so the main code's text stays exactly the GTIN; its
 * corners are placed where the standard puts it: after a gap of 7–12 modules (9 is used) to the
 * right of the main symbol, 20 (EAN-2) or 47 (EAN-5) modules wide, as tall as the main symbol.
 */
import type { Candidate } from './symbols.js';
import type { Corners, Point, SymbolFormat } from './types.js';

/** Modules from the first to the last bar of each main symbol. */
const MAIN_MODULES: Partial<Record<SymbolFormat, number>> = { EAN_13: 95, UPC_A: 95, UPC_E: 51, EAN_8: 67 };
const GAP_MODULES = 9;
const ADDON_MODULES = { EAN_2: 20, EAN_5: 47 } as const;

/** The add-on's digits from a result's extra data (JSON with `EanAddOn`), or undefined. */
export function addOnDigits(extra: string): string | undefined {
  if (!extra.includes('EanAddOn')) return undefined;
  try {
    const value = (JSON.parse(extra) as Record<string, unknown>).EanAddOn;
    return typeof value === 'string' && /^(\d{2}|\d{5})$/.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The main code's text: some results carry the add-on's digits appended as well. */
export function withoutAddOn(text: string, extra: string): string {
  const digits = addOnDigits(extra);
  if (digits === undefined || !text.endsWith(digits)) return text;
  const main = text.slice(0, -digits.length);
  return /^(\d{8}|\d{12}|\d{13})$/.test(main) ? main : text;
}

/** ZXing's add-on setting: read them when either add-on format is enabled. */
export function addOnMode(enabled: ReadonlySet<SymbolFormat>): 'Read' | 'Ignore' {
  return enabled.has('EAN_2') || enabled.has('EAN_5') ? 'Read' : 'Ignore';
}

/** The add-on of `main` as its own symbol, or null (none read, or its format not enabled). */
export function addOnSymbol(main: Candidate, extra: string, enabled: ReadonlySet<SymbolFormat>): Candidate | null {
  const digits = addOnDigits(extra);
  const mainModules = MAIN_MODULES[main.format];
  if (digits === undefined || mainModules === undefined) return null;
  const format = digits.length === 2 ? 'EAN_2' : 'EAN_5';
  if (!enabled.has(format)) return null;
  return {
    format,
    text: digits,
    corners: addOnCorners(main.corners, mainModules, ADDON_MODULES[format]),
    lines: main.lines,
  };
}

function along(from: Point, to: Point, modules: number, at: number): Point {
  return { x: from.x + ((to.x - from.x) * at) / modules, y: from.y + ((to.y - from.y) * at) / modules };
}

export function addOnCorners(main: Corners, mainModules: number, addOnModules: number): Corners {
  const start = mainModules + GAP_MODULES;
  const end = start + addOnModules;
  return {
    topLeft: along(main.topLeft, main.topRight, mainModules, start),
    topRight: along(main.topLeft, main.topRight, mainModules, end),
    bottomRight: along(main.bottomLeft, main.bottomRight, mainModules, end),
    bottomLeft: along(main.bottomLeft, main.bottomRight, mainModules, start),
  };
}
