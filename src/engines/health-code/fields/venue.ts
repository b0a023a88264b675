/**
 * A place's last word mended from the recogniser's own choices. Venue names end in a handful of
 * common words (广场, 机场, 东站, 博物馆 …); where the line's last characters end in none of them
 * but are one character off one, and the recogniser had that word's character among its
 * likeliest choices for the one it read (a brush face's 广 read 厂 with 广 at 0.09–0.45, 场 read
 * 杨, 东 read 乐), the word is put back. Nothing else of a place is changed: its name stays as the
 * recogniser read it.
 */
import type { TextLine } from './lines.js';
import { VENUE_CHOICE_PROB } from './tuning.js';

/** Common last words of venue names (places, stations, buildings). */
const VENUE_WORDS = [
  '购物中心',
  '航站楼',
  '博物馆',
  '博物院',
  '图书馆',
  '美术馆',
  '体育馆',
  '纪念馆',
  '科技馆',
  '步行街',
  '火车站',
  '汽车站',
  '广场',
  '机场',
  '商场',
  '市场',
  '东站',
  '西站',
  '南站',
  '北站',
  '车站',
  '公园',
  '景区',
  '医院',
  '大学',
  '学院',
  '大厦',
  '中心',
  '商城',
  '古城',
  '酒店',
  '饭店',
  '宾馆',
  '超市',
  '影院',
  '剧院',
  '码头',
  '商圈',
].map((w) => [...w]);

const CJK = /[\u3400-\u9fff]/;

/**
 * `line`'s text with its last word mended (as above), or the text as it is. `from` is where the
 * place starts in it (in characters: after its label): at least one character of the place comes
 * before the word. Left as it is where the place already ends in a venue word (`北京西站` is never
 * made `北京东站`), where the characters as first read do not line up one for one with the text,
 * or where the character to replace is not the one the recogniser read there. Of two words that
 * fit by different characters, the likelier choice; none on a tie.
 */
export function withVenueWord(line: TextLine, from = 0): string {
  const chars = [...line.text];
  const choices = line.choices;
  if (!choices || choices.length !== chars.length) return line.text;
  // The place ends at the last CJK character (an icon after it, `>`, is read as a symbol).
  let end = chars.length;
  while (end > 0 && !CJK.test(chars[end - 1]!)) end--;
  const fits: { at: number; char: string; prob: number }[] = [];
  for (const word of VENUE_WORDS) {
    const start = end - word.length;
    if (start < from + 1) continue;
    const wrong = word.flatMap((c, k) => (chars[start + k] === c ? [] : [k]));
    // Already ending in a venue word: left as read.
    if (wrong.length === 0) return line.text;
    if (wrong.length !== 1) continue;
    const at = start + wrong[0]!;
    if (!CJK.test(chars[at]!) || choices[at]!.text !== chars[at]) continue;
    const choice = choices[at]!.alts?.find((a) => a.text === word[wrong[0]!] && a.prob >= VENUE_CHOICE_PROB);
    if (choice) fits.push({ at, char: choice.text, prob: choice.prob });
  }
  // Two words fitting by different characters (乐站 as 东站 or 西站, both considered): the likelier choice.
  fits.sort((a, b) => b.prob - a.prob);
  const best = fits[0];
  if (!best || fits.some((f) => f !== best && f.prob === best.prob && f.char !== best.char)) return line.text;
  chars[best.at] = best.char;
  return chars.join('');
}
