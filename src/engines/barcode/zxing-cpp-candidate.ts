/** One zxing-wasm result → a Candidate in our format names (null when its format is not enabled). */
import type { ReadResult } from 'zxing-wasm/reader';
import { fromZxingCpp } from './formats.js';
import type { Candidate } from './symbols.js';
import type { SymbolFormat } from './types.js';

export function toCandidate(r: ReadResult, enabled: ReadonlySet<SymbolFormat>): Candidate | null {
  // Text mode renders bytes it cannot transcode (an unknown ECI) as nothing: fall back to Latin-1.
  const text = r.text === '' && r.bytes.length > 0 ? Buffer.from(r.bytes).toString('latin1') : r.text;
  const mapped = fromZxingCpp(r.format, text, r.extra, enabled);
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
