/**
 * A name whose first character is no common surname — a display face's 常 read as 旁, 杜 as 松,
 * 崔 as 崖 — is read again with the recogniser's likeliest characters kept for each character,
 * and the likeliest of them for the surname that is a common surname is taken when the
 * recogniser gave it at least SURNAME_CHOICE_PROB (its choices pooled with those of the line as
 * first read, pooled-choices.ts); or, when the second reading's surname is a
 * common one read with at least SURE_SURNAME_PROB and the given name reads the same, that one.
 * Otherwise the reading stands: rare surnames exist, and a character the recogniser never
 * considered is not guessed.
 */
import type { Decoded } from '../image.js';
import type { TextLine } from '../fields/index.js';
import { isStar } from '../fields/lines.js';
import { SURNAME_CHOICE_PROB, isCommonSurname } from '../surnames.js';
import { likeliestChoice } from './pooled-choices.js';
import type { PageReads } from './reads.js';

type ReadChoices = PageReads['readChoices'];

/**
 * Characters kept per character read (the recogniser's top choices at its likeliest step): the
 * right surnames of the development misreads were within the first six (李 for 旁 sixth).
 */
export const CHOICES = 8;
/** A common surname read again with at least this probability replaces one that is none. */
const SURE_SURNAME_PROB = 0.9;

export async function recheckSurname(
  name: string,
  lines: readonly TextLine[],
  img: Decoded,
  readChoices: ReadChoices,
): Promise<string> {
  const [first = '', second] = [...name];
  // A masked name's one-character surname only (司马*懿's 马 is no surname of its own).
  if (second !== '*' || !/[\u3400-\u9fff]/.test(first) || isCommonSurname(first)) return name;
  // The name's line: the one holding the surname and its star.
  const line = lines.find((l) => l.text.includes(`${first}*`));
  if (!line) return name;
  const read = await readChoices(img, line, CHOICES);
  if (!read) return name;
  // The surname read again: the character before the first star.
  const star = read.chars.findIndex((c, i) => i > 0 && isStar(c.text));
  const char = star > 0 ? read.chars[star - 1] : undefined;
  if (!char) return name;
  // Read again with room around it, the surname is surely a common one and the given name reads
  // the same (a serif 廖 read 爽 in its tight box, 廖 at 1.00 with room): taken.
  const given = name.slice(first.length + 1);
  const after = read.chars
    .slice(star + 1)
    .map((c) => c.text)
    .join('');
  if (isCommonSurname(char.text) && char.prob >= SURE_SURNAME_PROB && after.startsWith(given))
    return char.text + name.slice(first.length);
  // Its choices pooled with the first reading's (the surname before a star on the name's line).
  const firstRead = line.choices?.find((c, i) => c.text === first && isStar(line.choices?.[i + 1]?.text ?? ''));
  const better = likeliestChoice(first, char, firstRead, isCommonSurname, SURNAME_CHOICE_PROB);
  return better ? better.text + name.slice(first.length) : name;
}
