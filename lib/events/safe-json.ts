import { CactusParseError } from "../errors";

/** Keys that can reach a prototype when copied or merged: dropped from every untyped object we keep. */
export const HOSTILE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Deepest nesting kept in untyped data (unknown events' `data`). */
export const MAX_JSON_DEPTH = 64;

/**
 * A deep copy of JSON-like `value` with hostile keys dropped, so that untyped data handed to users
 * (`UnknownFullEvent.data`) can be spread or merged without polluting `Object.prototype`.
 * Throws {@link CactusParseError} past {@link MAX_JSON_DEPTH} levels.
 */
export function safeJsonCopy(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_JSON_DEPTH) {
    throw new CactusParseError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (Array.isArray(value)) return value.map((item) => safeJsonCopy(item, depth + 1));
  return copyEntries(value, depth + 1);
}

/** {@link safeJsonCopy} of an object, keeping its type. */
export function safeJsonObject(value: object): Record<string, unknown> {
  return copyEntries(value, 1);
}

function copyEntries(value: object, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!HOSTILE_KEYS.has(key)) copy[key] = safeJsonCopy(item, depth);
  }
  return copy;
}

