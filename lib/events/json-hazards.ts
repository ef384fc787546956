/**
 * Scans JSON text that `JSON.parse` already accepted for what `JSON.parse` silently allows but a
 * signed delivery must not contain: a key repeated in one object (parsers disagree on which copy
 * wins, so the bytes that were signed could mean two things) and nesting deeper than `maxDepth`.
 * Returns a description of the first hazard, or `undefined`. Linear time, no recursion.
 */
export function findJsonHazard(text: string, maxDepth: number): string | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array. Objects
  // hold few keys, so an array searched linearly beats a Set here.
  const open: (string[] | null)[] = [];
  let expectKey = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const char = text.charCodeAt(i);
    if (char === QUOTE) {
      const end = endOfString(text, i);
      if (expectKey) {
        const keys = open[open.length - 1];
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? String(JSON.parse(`"${raw}"`)) : raw;
        if (keys !== undefined && keys !== null) {
          if (keys.includes(key)) return `duplicate key ${JSON.stringify(key)} in one object`;
          keys.push(key);
        }
        expectKey = false;
      }
      i = end;
    } else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      if (open.length >= maxDepth) return `JSON nested deeper than ${maxDepth} levels`;
      open.push(char === OPEN_OBJECT ? [] : null);
      expectKey = char === OPEN_OBJECT;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      open.pop();
      expectKey = false;
    } else if (char === COMMA) {
      expectKey = open.length > 0 && open[open.length - 1] !== null;
    }
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

// Index of the closing quote of the string opening at `start` (or the last index, for bad input).
// Jumps from quote to quote; a quote preceded by an odd run of backslashes is escaped.
function endOfString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote > 0) {
    let backslashes = 0;
    for (let j = quote - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length - 1;
}
