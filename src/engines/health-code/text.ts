/** Text clean-up for OCR output of Chinese health-code pages (pure). */

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

export const isCjk = (ch: string): boolean => CJK.test(ch);

/** `text` is one Han character of the unified block (what a name's characters are read as). */
export const isHanChar = (text: string): boolean => /^[\u3400-\u9fff]$/.test(text);

const FULL_WIDTH: Record<string, string> = {
  '：': ':',
  '；': ';',
  '（': '(',
  '）': ')',
  '〈': '(',
  '〉': ')',
  '《': '(',
  '》': ')',
  '【': '(',
  '】': ')',
  '－': '-',
  '—': '-',
  '–': '-',
  '／': '/',
  '．': '.',
  '，': ',',
  '＊': '*',
  '×': '*',
  '※': '*',
  '∗': '*',
  '⁎': '*',
  '　': ' ',
  '｜': '|',
};

/** Full-width ASCII → ASCII, common punctuation look-alikes → ASCII. */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else out += FULL_WIDTH[ch] ?? ch;
  }
  return out;
}

/**
 * Joins a row of word texts: no space between CJK characters (tesseract splits Chinese into
 * one-character words), one space where an ASCII token meets another ASCII token.
 */
export function joinWords(parts: readonly string[]): string {
  let out = '';
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    if (out) {
      const last = out[out.length - 1]!;
      const first = part[0]!;
      if (!isCjk(last) && !isCjk(first) && /[0-9A-Za-z:*]/.test(last) && /[0-9A-Za-z:*]/.test(first)) out += ' ';
    }
    out += part;
  }
  return out;
}

/** Digit look-alikes inside numbers (O→0, l→1, …), applied only next to digits. */
export function fixDigits(s: string): string {
  const map: Record<string, string> = {
    O: '0',
    o: '0',
    D: '0',
    Q: '0',
    〇: '0',
    l: '1',
    I: '1',
    '|': '1',
    i: '1',
    ']': '1',
    Z: '2',
    z: '2',
    S: '5',
    s: '5',
    B: '8',
    g: '9',
    q: '9',
    了: '7',
  };
  // '|' and ']' only after a digit: before one they are as likely a separator or a bracket.
  return s.replace(/[OoDQ〇lIiZzSsBgq了](?=\d)|(?<=\d)[OoDQ〇lI|i\]ZzSsBgq了]/g, (ch) => map[ch] ?? ch);
}

/** Levenshtein distance (small strings). */
export function editDistance(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (A[i - 1] === B[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[B.length]!;
}

/**
 * Best approximate occurrence of `phrase` inside `text` (substring edit distance, Sellers'
 * algorithm). Returns the distance and the end index of the best match.
 */
export function fuzzyFind(text: string, phrase: string): { distance: number; end: number } {
  const T = [...text];
  const P = [...phrase];
  let prev = Array.from({ length: P.length + 1 }, (_, i) => i);
  let best = { distance: P.length, end: 0 };
  for (let j = 1; j <= T.length; j++) {
    const cur = [0];
    for (let i = 1; i <= P.length; i++) {
      cur[i] = Math.min(prev[i]! + 1, cur[i - 1]! + 1, prev[i - 1]! + (P[i - 1] === T[j - 1] ? 0 : 1));
    }
    if (cur[P.length]! < best.distance) best = { distance: cur[P.length]!, end: j };
    prev = cur;
  }
  return best;
}
