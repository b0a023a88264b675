/**
 * Bounds on a canned success's `result` (a rule's `{ type: 'success', result }`), checked before
 * the rule is stored: a result too deep to serialise or too large to send would break listing the
 * rules and every call it fires on.
 */

/** Deepest nesting of objects and arrays in a result. */
export const MAX_RESULT_DEPTH = 32;
/** Largest result, as JSON. */
export const MAX_RESULT_BYTES = 1024 * 1024;

/** Throws an Error saying which bound a result passes. Walks without recursion. */
export function checkResultSize(result: unknown): void {
  const stack: Array<[unknown, number]> = [[result, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_RESULT_DEPTH) throw new Error(`a success result nests at most ${MAX_RESULT_DEPTH} levels deep`);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  if (Buffer.byteLength(JSON.stringify(result)) > MAX_RESULT_BYTES) {
    throw new Error(`a success result is at most ${MAX_RESULT_BYTES} bytes as JSON`);
  }
}
