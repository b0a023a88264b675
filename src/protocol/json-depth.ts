/** Whether `text` opens more than `max` arrays or objects inside each other (outside strings). */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: jump to its closing quote (one not escaped by an odd run of backslashes).
      for (let from = i + 1; ; ) {
        const quote = text.indexOf('"', from);
        if (quote < 0) return false; // unterminated: JSON.parse says so
        let slashes = 0;
        while (text.charCodeAt(quote - 1 - slashes) === 0x5c) slashes += 1;
        from = quote + 1;
        if (slashes % 2 === 0) {
          i = quote;
          break;
        }
      }
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}
