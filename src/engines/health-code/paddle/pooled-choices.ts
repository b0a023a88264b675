/**
 * A character's choices from two readings of it pooled: the line as first read (its detected box)
 * and read again with room around it. Each reading alone misses choices the other gives (a
 * display face's 崔 at 0.16 in its tight box and just under 0.02 with room); their mean probability weighs
 * both. A choice one reading did not keep counts as 0 there.
 */
import type { CharChoices } from '../fields/lines.js';

export interface Choice {
  text: string;
  prob: number;
}

/** The choices of `again`, pooled with those of `first` when given, likeliest first. */
export function pooledChoices(first: CharChoices | undefined, again: CharChoices): Choice[] {
  const second = again.alts ?? [];
  if (!first?.alts) return [...second];
  const texts = new Set([...first.alts, ...second].map((c) => c.text));
  const prob = (alts: readonly Choice[], text: string) => alts.find((c) => c.text === text)?.prob ?? 0;
  return [...texts]
    .map((text) => ({ text, prob: (prob(first.alts ?? [], text) + prob(second, text)) / 2 }))
    .sort((a, b) => b.prob - a.prob);
}

/**
 * For a character first read as `asRead` and read again as `again`: the likeliest choice
 * `accepts` takes with at least `floor`, its choices pooled with `first`'s when given. None when
 * the second reading is another character without `asRead` among its choices (it may be of
 * another character of the line).
 */
export function likeliestChoice(
  asRead: string,
  again: CharChoices,
  first: CharChoices | undefined,
  accepts: (text: string) => boolean,
  floor: number,
): Choice | undefined {
  if (again.text !== asRead && !again.alts?.some((a) => a.text === asRead)) return undefined;
  return pooledChoices(first, again).find((a) => accepts(a.text) && a.prob >= floor);
}
