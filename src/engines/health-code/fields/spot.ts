/**
 * SpotName: the place after a place label (场所名称, 当前场所, 扫码场所, 场所, 地点 …) on its line,
 * to its right or under it, without the label. Never a time, a code or another label. Its last
 * word mended from the recogniser's choices where it is one character off a venue word (venue.ts).
 */
import { classify } from './context.js';
import { type TextLine, below, rightOf } from './lines.js';
import { MIN_LINE_SCORE } from './tuning.js';
import { withVenueWord } from './venue.js';

/** Place labels; 场所码 only before its colon (a heading or a button of that name is none). */
const SPOT_LABEL =
  /(?:场所名称|扫码场所|当前场所|所在场所|场所名|扫码地点|已扫码进入(?!场所|地点)|您已进入|已进入|欢迎进入|欢迎来到|场所码(?=\s*:)|场所|地点)(?!码)\s*:?/;

function cleanSpot(raw: string): string {
  const v = raw
    .replace(/\s+/g, '')
    .replace(/^[:|,.]+/, '')
    .replace(/[^\u3400-\u9fff0-9A-Za-z()·-]/g, '');
  if ([...v].length < 2 || /\d{1,2}:\d{2}/.test(v) || /^\d+$/.test(v)) return '';
  // Another label is not a place.
  if (classify(v) !== 'none' && [...v].length <= 6) return '';
  return v;
}

export function findSpot(lines: readonly TextLine[]): string {
  for (const line of lines) {
    const m = SPOT_LABEL.exec(line.text);
    if (!m) continue;
    const labelEnd = m.index + m[0].length;
    const after = withVenueWord(line, [...line.text.slice(0, labelEnd)].length).slice(labelEnd);
    if (after.trim()) {
      const v = cleanSpot(after);
      if (v) return v;
      continue;
    }
    for (const next of [rightOf(lines, line), below(lines, line)]) {
      if (!next || next.score < MIN_LINE_SCORE) continue;
      const v = cleanSpot(withVenueWord(next));
      if (v) return v;
    }
  }
  return '';
}
