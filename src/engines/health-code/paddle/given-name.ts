/**
 * A masked name's given-name character that is none of the common ones — a brush face's 晨 read
 * as 层, 强 as 弦, 宇 as 字 — is read again with the recogniser's likeliest characters kept, and
 * the likeliest common given-name character among them is taken when the recogniser gave it at
 * least GIVEN_CHOICE_PROB (its choices pooled with those of the line as first read,
 * pooled-choices.ts). Otherwise the reading stands: rare given names exist, and a character
 * the recogniser never considered is not guessed.
 */
import type { Decoded } from '../image.js';
import type { TextLine } from '../fields/index.js';
import { type CharChoices, isStar } from '../fields/lines.js';
import { isCommonGivenChar } from '../given-names.js';
import { likeliestChoice } from './pooled-choices.js';
import type { PageReads } from './reads.js';
import { CHOICES } from './surname.js';

type ReadChoices = PageReads['readChoices'];

/**
 * The least probability a common given-name character among the choices needs to replace the
 * reading. Measured: the development fixes' choices had 0.02–0.99; of 172 rarer given-name
 * characters rendered in the development faces, 166 were read right at least once, 3,066 times
 * in all, and 6.5 % of those readings had a common one among their choices at 0.05 or more (3.1 %
 * in the sans face, 16 % in the brush face), 11.4 % at 0.02, 3.9 % at 0.1 (a line read once, before
 * pooled choices); on whole pages, with pooled choices, 44 of 616 rarer given names read right
 * were changed (docs/health-code.md).
 */
const GIVEN_CHOICE_PROB = 0.05;

/** Room read after a name's box that held only its surname and star, in line heights (as the name's band re-read in index.ts). */
const CLIPPED_ROOM = 1.2;

/**
 * `asRead`: the name as the page's lines give it (before the surname re-check, which may have
 * changed its surname): its line is looked for by that.
 */
export async function recheckGivenName(
  name: string,
  lines: readonly TextLine[],
  img: Decoded,
  readChoices: ReadChoices,
  asRead = name,
): Promise<string> {
  const m = /^([^*]+)(\*+)([\u3400-\u9fff]{1,2})$/.exec(name);
  const read0 = /^([^*]+)\*+/.exec(asRead);
  if (!m || !read0) return name;
  const [, surname = '', stars = '', given = ''] = m;
  // The surname as its line reads it.
  const head = read0[1] ?? surname;
  const chars = [...given];
  if (chars.every(isCommonGivenChar)) return name;
  // The name's line: the one holding the star and the given name, else the one holding the
  // surname and its star with room after it (a given name found past its box, read again wider).
  const whole = lines.find((l) => l.text.includes(`*${given}`) || l.text.includes(head + given));
  const clipped = whole ? undefined : lines.find((l) => l.text.includes(`${head}*`));
  const line = whole ?? (clipped && { ...clipped, x1: clipped.x1 + CLIPPED_ROOM * clipped.h });
  if (!line) return name;
  const read = await readChoices(img, line, CHOICES);
  if (!read) return name;
  // The given name read again, and as first read on its line when it was (for pooled choices).
  const again = givenStart(read.chars, head);
  if (again < 0) return name;
  const firstChars = line.choices ?? [];
  const first = givenStart(firstChars, head);
  const out = chars.map((ch, i) => {
    const c = read.chars[again + i];
    if (isCommonGivenChar(ch) || !c) return ch;
    const firstRead = first >= 0 && firstChars[first + i]?.text === ch ? firstChars[first + i] : undefined;
    const better = likeliestChoice(ch, c, firstRead, isCommonGivenChar, GIVEN_CHOICE_PROB);
    return better ? better.text : ch;
  });
  return surname + stars + out.join('');
}

/**
 * Where a masked name's given name starts among characters read: after the first star run, or
 * after the surname `head` when the star was lost (seen in the pixels, paddle/lost-star.ts); -1
 * when neither is there.
 */
function givenStart(chars: readonly CharChoices[], head: string): number {
  const texts = chars.map((c) => c.text);
  const star = texts.findIndex(isStar);
  let at = star >= 0 ? star : texts.findIndex((_, i) => i > 0 && texts.slice(0, i).join('').endsWith(head));
  if (at < 0) return -1;
  while (at < texts.length && isStar(texts[at] ?? '')) at++;
  return at;
}
