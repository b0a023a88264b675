/**
 * What a value on the page is about, from the labels near it: the text before it on its line,
 * the lines to its left on the same row, the line above it in its column, and the card heading
 * over it. The nearest label that says something wins.
 */
import { type TextLine, above, rightOf, sameRow } from './lines.js';
import { CARD_REACH } from './tuning.js';

export type Context = 'entry' | 'test' | 'vacc' | 'time' | 'spot' | 'none';

/** Order matters within one label: "核酸检测时间" is about the test, "进场时间" about an entry. */
const KEYWORDS: [Context, RegExp][] = [
  ['entry', /进场|入场|到访|离场|签到|打卡|扫码时间|通行时间|进入时间/],
  ['test', /核酸|检测|采样|采集|报告|化验|抗原/],
  ['vacc', /疫苗|接种|免疫|加强针/],
  ['spot', /场所|地点/],
  ['time', /更新|刷新|生成|当前时间|查询时间|亮码|展码|时间/],
];

/** The context a label text names, judged by its last keyword (nearest the value). */
export function classify(text: string): Context {
  let best = 'none' as Context;
  let bestAt = -1;
  let bestRank = Infinity;
  KEYWORDS.forEach(([ctx, re], rank) => {
    const g = new RegExp(re.source, 'g');
    for (const m of text.matchAll(g)) {
      // A later keyword wins; at the same place, the more specific (earlier in KEYWORDS).
      const at = m.index + m[0].length;
      if (at > bestAt || (at === bestAt && rank < bestRank)) {
        best = ctx;
        bestAt = at;
        bestRank = rank;
      }
    }
  });
  // "检测时间", "接种时间": 时间 after a test or vaccination word stays with that word.
  const cut = text.lastIndexOf('时间');
  if (best === 'time' && cut > 0) {
    const earlier = classify(text.slice(0, cut));
    if (earlier === 'test' || earlier === 'vacc' || earlier === 'entry') return earlier;
  }
  return best;
}

const isLabelLike = (text: string) => (text.match(/\d/g)?.length ?? 0) < 4 && [...text].length <= 14;

/** A card's title: a few words, no value after it. */
const isHeading = (text: string) => [...text].length <= 8 && !/[:\d]/.test(text);

/** Label texts around the value that starts at character `start` of `line`, nearest first. */
export function labelsFor(lines: readonly TextLine[], line: TextLine, start: number): string[] {
  const out: string[] = [];
  const prefix = line.text.slice(0, start).replace(/[\s:|]+$/, '');
  if (prefix) out.push(prefix);
  const left = lines
    .filter((l) => l !== line && sameRow(l, line) && l.x1 <= line.x0 + 0.5 * line.h)
    .sort((a, b) => b.x1 - a.x1);
  for (const l of left) out.push(l.text);
  const up = above(lines, line);
  if (up && isLabelLike(up.text)) out.push(up.text);
  const heading = cardHeading(lines, line);
  if (heading && heading !== up) out.push(heading.text);
  return out;
}

/**
 * The nearest short line above `line` that names a topic, in its column: starting before the line
 * ends, ending at most 4 heights left of where it starts.
 */
function cardHeading(lines: readonly TextLine[], line: TextLine): TextLine | undefined {
  let best: TextLine | undefined;
  for (const l of lines) {
    if (l === line || l.y1 > line.y0 || line.y0 - l.y1 > CARD_REACH * line.h) continue;
    // A card's title starts before its content's line ends (a title further right heads the next column).
    if (l.x0 > line.x1 || l.x1 < line.x0 - 4 * line.h) continue;
    // A row label (something to its right) is not a card heading.
    if (!isHeading(l.text) || classify(l.text) === 'none' || rightOf(lines, l)) continue;
    if (!best || l.y1 > best.y1) best = l;
  }
  return best;
}

export function contextOf(lines: readonly TextLine[], line: TextLine, start: number): Context {
  for (const text of labelsFor(lines, line, start)) {
    const c = classify(text);
    if (c !== 'none') return c;
  }
  return 'none';
}
