/**
 * A rule's `imageUrl` pattern, matched in time linear in the URL whatever the pattern:
 *
 * - a glob (`*` = any characters, everything else literal) over the whole URL: the literal pieces
 *   are found left to right with `indexOf`, never backtracking (the leftmost place of each piece
 *   is always a right choice);
 * - `/regex/flags` (flags `i`, `m`, `s`; `g` and `u` are accepted and change nothing, a match
 *   keeps no state): RE2 syntax on re2js, an automaton with no backtracking. No backreferences
 *   or lookaround; counted repeats up to {100}. Tested against ImageUrls of up to 8 KiB: a longer
 *   URL never matches a regex (a glob has no such limit).
 */
import { RE2JS } from 're2js';

/** Longest pattern, glob or regex. */
export const MAX_PATTERN_LENGTH = 1024;
/** Longest ImageUrl a regex is tested against. */
export const MAX_REGEX_URL_LENGTH = 8 * 1024;
/** Largest `{n}` / `{n,m}` count in a regex. */
const MAX_REPEAT = 100;

export interface UrlPattern {
  /** The pattern as given. */
  readonly source: string;
  test(url: string): boolean;
}

/** Glob → matcher: first piece a prefix, last a suffix, the ones between found in order. */
function glob(pattern: string): UrlPattern {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return { source: pattern, test: (url) => url === pattern };
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  return {
    source: pattern,
    test(url) {
      if (url.length < head.length + tail.length || !url.startsWith(head) || !url.endsWith(tail)) return false;
      const end = url.length - tail.length;
      let at = head.length;
      for (const piece of middle) {
        const found = url.indexOf(piece, at);
        if (found < 0 || found + piece.length > end) return false;
        at = found + piece.length;
      }
      return true;
    },
  };
}

const FLAGS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  g: 0,
  u: 0,
};

function regex(pattern: string, body: string, flagText: string): UrlPattern {
  let flags = 0;
  for (const flag of new Set(flagText)) {
    if (!(flag in FLAGS)) throw new Error(`regex flag \`${flag}\` is not supported (use i, m or s)`);
    flags |= FLAGS[flag]!;
  }
  for (const [, low, high] of body.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    if (Number(low) > MAX_REPEAT || Number(high || 0) > MAX_REPEAT)
      throw new Error(`counted repeats go up to {${MAX_REPEAT}}`);
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(body, flags);
  } catch (error) {
    throw new Error(
      `${(error as Error).message} (patterns run on a linear-time engine: no backreferences or lookaround)`,
    );
  }
  return { source: pattern, test: (url) => url.length <= MAX_REGEX_URL_LENGTH && compiled.matcher(url).find() };
}

/** `/regex/flags` → a regex; anything else → a glob over the whole URL. Throws on a bad pattern. */
export function urlPattern(pattern: string): UrlPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`a pattern has at most ${MAX_PATTERN_LENGTH} characters`);
  const form = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  return form ? regex(pattern, form[1]!, form[2]!) : glob(pattern);
}
