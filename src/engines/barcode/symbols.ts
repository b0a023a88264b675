/**
 * Symbol bookkeeping shared by the decoders: mapping positions back to the upload, merging
 * duplicates and dropping contradictory 1-D reads.
 */
import { LINEAR_FORMATS, type Corners, type DecodedSymbol, type Point } from './types.js';

/** A decoded symbol plus what the pipeline needs to judge it. */
export interface Candidate extends DecodedSymbol {
  /** Scan lines that agreed (1-D only; 0 for 2-D symbols). */
  lines: number;
}

export function scaleCorners(c: Corners, scaleX: number, scaleY: number): Corners {
  const f = (p: Point): Point => ({ x: p.x / scaleX, y: p.y / scaleY });
  return { topLeft: f(c.topLeft), topRight: f(c.topRight), bottomRight: f(c.bottomRight), bottomLeft: f(c.bottomLeft) };
}

export function roundCorners(c: Corners): Corners {
  const f = (p: Point): Point => ({ x: Math.round(p.x), y: Math.round(p.y) });
  return { topLeft: f(c.topLeft), topRight: f(c.topRight), bottomRight: f(c.bottomRight), bottomLeft: f(c.bottomLeft) };
}

function points(c: Corners): Point[] {
  return [c.topLeft, c.topRight, c.bottomRight, c.bottomLeft];
}

function centre(c: Corners): Point {
  const p = points(c);
  return { x: p.reduce((s, q) => s + q.x, 0) / 4, y: p.reduce((s, q) => s + q.y, 0) / 4 };
}

function length(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/**
 * Where `b` lies in `a`'s own frame: u runs along a's top edge (the scan direction of a 1-D code),
 * v across it. Returns how well the two u-intervals coincide (intersection over union) and the gap
 * between the v-intervals in pixels (0 when they overlap).
 */
function relation(a: Corners, b: Corners): { uIoU: number; vGap: number; aLength: number } {
  const origin = a.topLeft;
  const aLength = Math.max(length(a.topLeft, a.topRight), 1e-6);
  const ux = (a.topRight.x - a.topLeft.x) / aLength;
  const uy = (a.topRight.y - a.topLeft.y) / aLength;
  const project = (c: Corners) => {
    const us = points(c).map((p) => (p.x - origin.x) * ux + (p.y - origin.y) * uy);
    const vs = points(c).map((p) => -(p.x - origin.x) * uy + (p.y - origin.y) * ux);
    return { u0: Math.min(...us), u1: Math.max(...us), v0: Math.min(...vs), v1: Math.max(...vs) };
  };
  const pa = project(a);
  const pb = project(b);
  const intersection = Math.max(0, Math.min(pa.u1, pb.u1) - Math.max(pa.u0, pb.u0));
  const union = Math.max(Math.max(pa.u1, pb.u1) - Math.min(pa.u0, pb.u0), 1e-6);
  const vGap = Math.max(0, Math.max(pa.v0, pb.v0) - Math.min(pa.v1, pb.v1));
  return { uIoU: intersection / union, vGap, aLength };
}

/** Two results that cover the same place in the image. */
function samePlace(a: Corners, b: Corners): boolean {
  const size = Math.max(length(a.topLeft, a.topRight), length(a.topLeft, a.bottomLeft), 1);
  return length(centre(a), centre(b)) < size / 2;
}

/**
 * Two 1-D results read from the same bars: they start and end at the same places along the scan
 * direction and their scan lines touch or overlap. Two symbols of equal width stacked on a label
 * sheet stay apart (their gap is wider than a tenth of their length).
 */
function sameBars(a: Candidate, b: Candidate): boolean {
  const r = relation(a.corners, b.corners);
  return r.uIoU >= 0.8 && r.vGap <= 0.1 * r.aLength;
}

/**
 * Removes repeats (same format and text at the same place: found by several scans or passes) and
 * contradictions (two different texts read from the same 1-D bars: at most one can be right, so the
 * clearly better supported one — twice the scan lines — is kept, otherwise neither).
 */
export function reconcile(candidates: readonly Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  for (const c of [...candidates].sort((x, y) => y.lines - x.lines)) {
    const twin = kept.find((k) => k.format === c.format && k.text === c.text && samePlace(k.corners, c.corners));
    if (twin === undefined) kept.push(c);
  }
  const dropped = new Set<Candidate>();
  const linear = kept.filter((c) => LINEAR_FORMATS.has(c.format));
  for (let i = 0; i < linear.length; i++) {
    for (let j = i + 1; j < linear.length; j++) {
      const a = linear[i]!;
      const b = linear[j]!;
      if (a.text === b.text || !sameBars(a, b)) continue;
      // Sorted by lines: a is the better supported one.
      if (a.lines < 2 * b.lines) dropped.add(a);
      dropped.add(b);
    }
  }
  return kept.filter((c) => !dropped.has(c));
}

export function toDecodedSymbol(c: Candidate): DecodedSymbol {
  return { format: c.format, text: c.text, corners: roundCorners(c.corners) };
}
