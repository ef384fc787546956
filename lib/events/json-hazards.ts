/**
 * Scans JSON text that `JSON.parse` already accepted for what `JSON.parse` silently allows but a
 * signed delivery must not contain: a key repeated in one object (parsers disagree on which copy
 * wins, so the bytes that were signed could mean two things) and nesting deeper than `maxDepth`.
 * Returns a description of the first hazard, or `undefined`. Linear time, no recursion.
 */
export function findJsonHazard(text: string, maxDepth: number): string | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = endOfString(text, i);
      if (expectKey) {
        const keys = open[open.length - 1];
        const raw = text.slice(i, end + 1);
        const key = raw.includes("\\") ? String(JSON.parse(raw)) : raw.slice(1, -1);
        if (keys?.has(key)) return `duplicate key ${JSON.stringify(key)} in one object`;
        keys?.add(key);
        expectKey = false;
      }
      i = end;
    } else if (char === "{" || char === "[") {
      if (open.length >= maxDepth) return `JSON nested deeper than ${maxDepth} levels`;
      open.push(char === "{" ? new Set() : null);
      expectKey = char === "{";
    } else if (char === "}" || char === "]") {
      open.pop();
      expectKey = false;
    } else if (char === ",") {
      expectKey = open.length > 0 && open[open.length - 1] !== null;
    }
  }
  return undefined;
}

// Index of the closing quote of the string opening at `start` (or the last index, for bad input).
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === "\\") i += 2;
    else if (char === '"') return i;
    else i += 1;
  }
  return text.length - 1;
}
