/**
 * Fixed phrases read through a hard font: a line's text is taken for a phrase of the vocabulary
 * when it is close (edit distance within VOCAB_MAX_ERRORS of the phrase's length), starts with
 * the same two characters, or about as long as the phrase with the same word of state (已, 未,
 * 暂无: they carry the meaning and are never guessed), and no other phrase is as close.
 */
import { editDistance } from '../text.js';
import { VOCAB_MAX_ERRORS } from './tuning.js';

export function closestPhrase(text: string, vocabulary: readonly string[]): string | undefined {
  const ranked = vocabulary
    .filter((p) => text.startsWith(p.slice(0, 2)) || (text.startsWith(stateWord(p)) && nearLength(text, p)))
    .map((p) => ({ p, d: editDistance(text, p) }))
    .sort((a, b) => a.d - b.d);
  const [best, next] = ranked;
  if (!best || best.d > Math.floor(VOCAB_MAX_ERRORS * [...best.p].length)) return undefined;
  if (next && next.d <= best.d) return undefined;
  return best.p;
}

/**
 * The word a phrase's state starts with: 暂无, or its first character (已, 未). Starting with it
 * alone is enough for a reading about as long as the phrase, a character lost or split at most —
 * a misread second character (`已只成全程授种`, `已亮成加强免`); one two characters shorter may
 * be a wording of its own (`已全程接种`), kept as written.
 */
const stateWord = (phrase: string) => (phrase.startsWith('暂无') ? '暂无' : [...phrase][0]!);
const nearLength = (a: string, b: string) => Math.abs([...a].length - [...b].length) <= 1;
