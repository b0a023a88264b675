/**
 * Fixed phrases read through a hard font: a line's text is taken for a phrase of the vocabulary
 * when it is close (edit distance within VOCAB_MAX_ERRORS of the phrase's length), starts with
 * the same word of state (已, 未, 暂无: they carry the meaning and are never guessed), and no
 * other phrase is as close.
 */
import { editDistance } from '../text.js';
import { VOCAB_MAX_ERRORS } from './tuning.js';

export function closestPhrase(text: string, vocabulary: readonly string[]): string | undefined {
  const ranked = vocabulary
    .filter((p) => text.startsWith(stateWord(p)))
    .map((p) => ({ p, d: editDistance(text, p) }))
    .sort((a, b) => a.d - b.d);
  const [best, next] = ranked;
  if (!best || best.d > Math.floor(VOCAB_MAX_ERRORS * [...best.p].length)) return undefined;
  if (next && next.d <= best.d) return undefined;
  return best.p;
}

/** The word a phrase's state starts with: 暂无, or its first character (已, 未; 已完成's 完 is often misread). */
const stateWord = (phrase: string) => (phrase.startsWith('暂无') ? '暂无' : [...phrase][0]!);
