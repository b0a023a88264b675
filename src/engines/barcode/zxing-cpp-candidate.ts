/** zxing-wasm results → Candidates in our format names (results of formats not enabled are dropped). */
import type { ReadResult } from 'zxing-wasm/reader';
import { addOnSymbol, withoutAddOn } from './addon.js';
import { fromZxingCpp } from './formats.js';
import type { Candidate } from './symbols.js';
import type { SymbolFormat } from './types.js';

export function toCandidate(r: ReadResult, enabled: ReadonlySet<SymbolFormat>): Candidate | null {
  // Text mode renders bytes it cannot transcode (an unknown ECI) as nothing: fall back to Latin-1.
  const text = r.text === '' && r.bytes.length > 0 ? Buffer.from(r.bytes).toString('latin1') : r.text;
  const mapped = fromZxingCpp(r.format, withoutAddOn(text, r.extra), r.extra, enabled);
  if (mapped === null) return null;
  const { topLeft, topRight, bottomRight, bottomLeft } = r.position;
  return {
    ...mapped,
    corners: {
      topLeft: { x: topLeft.x, y: topLeft.y },
      topRight: { x: topRight.x, y: topRight.y },
      bottomRight: { x: bottomRight.x, y: bottomRight.y },
      bottomLeft: { x: bottomLeft.x, y: bottomLeft.y },
    },
    lines: r.lineCount,
  };
}

/** Every enabled symbol of the results: each main symbol, followed by its EAN add-on if one was read. */
export function toCandidates(results: readonly ReadResult[], enabled: ReadonlySet<SymbolFormat>): Candidate[] {
  return results.flatMap((r) => {
    const main = toCandidate(r, enabled);
    if (main === null) return [];
    const addOn = addOnSymbol(main, r.extra, enabled);
    return addOn === null ? [main] : [main, addOn];
  });
}
