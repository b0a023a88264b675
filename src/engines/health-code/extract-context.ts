import { type Row, cleanText } from './rows.js';
import { joinWords } from './text.js';

// ---- context --------------------------------------------------------------------------------

export const TEST_CTX = /核酸|检测|采样|报告|化验|采/;
export const VACC_CTX = /疫苗|接种|剂|免疫/;
export const TIME_CTX = /更新|刷新|生成|展码|亮码|当前|扫码时间|查询时间|时间/;

/** CJK text of the row to the left of x (labels), nearest last. */
export function leftText(row: Row, x: number): string {
  const parts = row.words.filter((w) => (w.x0 + w.x1) / 2 < x).map((w) => w.text);
  return cleanText(joinWords(parts));
}

/** Text of the nearest rows above whose words share the column [x0, x1]; nearest first. */
export function aboveTexts(rows: readonly Row[], index: number, x0: number, x1: number, maxRows = 3): string[] {
  const row = rows[index]!;
  const out: string[] = [];
  for (let i = index - 1; i >= 0 && out.length < maxRows; i--) {
    const r = rows[i]!;
    if (row.y0 - r.y1 > 6 * row.h) break;
    const slack = row.h;
    const parts = r.words.filter((w) => w.x1 > x0 - slack && w.x0 < x1 + slack).map((w) => w.text);
    if (!parts.length) continue;
    const text = cleanText(joinWords(parts));
    // Labels are short and wordy; a line of digits (an ID read as junk) is not one.
    if ((text.match(/\d/g)?.length ?? 0) >= 4 || [...text].length > 12) continue;
    out.push(text);
  }
  return out;
}

export type Context = 'test' | 'vacc' | 'time' | 'none';

export function classify(text: string): Context {
  // The label nearest the value wins: look at the text's tail first.
  const tail = text.replace(/[\s:;|()\-0-9.,/年月日*]+$/, '');
  const positions: [Context, number][] = [
    ['test', lastIndexOf(tail, TEST_CTX)],
    ['vacc', lastIndexOf(tail, VACC_CTX)],
    ['time', lastIndexOf(tail, TIME_CTX)],
  ];
  // "检测时间" is a test label although it contains 时间: test/vacc words beat a bare 时间.
  const test = positions[0]![1];
  const vacc = positions[1]![1];
  const time = positions[2]![1];
  if (test < 0 && vacc < 0) return time >= 0 ? 'time' : 'none';
  if (test >= vacc) return 'test';
  return 'vacc';
}

export function lastIndexOf(s: string, re: RegExp): number {
  const g = new RegExp(re.source, 'g');
  let last = -1;
  for (const m of s.matchAll(g)) last = m.index;
  return last;
}

/** Context of a value: labels to its left on the row, else labels above in its column. */
export function contextOf(rows: readonly Row[], index: number, x0: number, x1: number): Context {
  const left = classify(leftText(rows[index]!, x0));
  if (left !== 'none') return left;
  for (const above of aboveTexts(rows, index, x0, x1)) {
    const c = classify(above);
    if (c !== 'none') return c;
  }
  return 'none';
}
