/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence of draws, so a
 * probabilistic fault fires on the same calls in every run (TCOCR_FAULT_SEED; reset re-seeds it).
 */
export type Draw = () => number;

/** Numbers in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): Draw {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max], uniformly. */
export function uniform(draw: Draw, min: number, max: number): number {
  return max <= min ? min : min + Math.floor(draw() * (max - min + 1));
}
