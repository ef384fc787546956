import { CactusParseError } from "../errors";
import { BaseThinEvent } from "./base";
import { findJsonHazard } from "./json-hazards";
import { isRecord } from "../platform/record";
import type { MAX_JSON_DEPTH } from "./safe-json";

/** What a webhook body may be: the raw text, the raw bytes, or an object a framework already parsed. */
export type EventBody = string | Uint8Array | object;

// The one UTF-8 decoder of the SDK: fatal, so bytes that are not UTF-8 fail instead of turning into U+FFFD.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Options of {@link decodeJsonObject}. */
export interface DecodeOptions {
  /**
   * Refuse text with a key repeated in one object (`JSON.parse` silently keeps the last copy). Set
   * for signed deliveries, where the bytes that were signed must mean one thing.
   */
  readonly rejectDuplicateKeys?: boolean;
}

/**
 * Reads a body into a plain JSON object, once: bytes are decoded as UTF-8, text is parsed with
 * `JSON.parse` (and, with `rejectDuplicateKeys`, scanned for a key repeated in one object); an
 * object a framework already parsed is taken as it is; an event instance gives its wire form.
 * The depth limit ({@link MAX_JSON_DEPTH}) is enforced once, on the object, by hydration.
 * Throws {@link CactusParseError} for bytes that are not UTF-8, text that is not JSON or is
 * ambiguous, and JSON that is not an object.
 */
export function decodeJsonObject(body: EventBody, options: DecodeOptions = {}): Record<string, unknown> {
  // An event this SDK already parsed (from listEvents, constructEvent, a test factory) goes back
  // to its wire form, so `handler.handle(event)` works.
  if (body instanceof BaseThinEvent) return body.toJSON();
  if (typeof body !== "string" && !(body instanceof Uint8Array)) return requireObject(body);
  const text = typeof body === "string" ? body : decodeUtf8(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CactusParseError(`Event body is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const plain = requireObject(value);
  if (options.rejectDuplicateKeys === true && !keysAllDistinct(text, plain)) {
    const hazard = findJsonHazard(text, Number.POSITIVE_INFINITY);
    if (hazard !== undefined) throw new CactusParseError(`Event body is ambiguous: ${hazard}`);
  }
  return plain;
}

// A quick proof that no object of `text` repeats a key, without scanning the text's structure:
// every key in JSON text is followed by exactly one colon outside a string, so the text has at
// least as many colons as key occurrences, and every parsed key came from one occurrence. When the
// colons are exactly as many as the keys `JSON.parse` kept, no occurrence was lost to a
// duplicate. Otherwise (a colon inside a string, or a real duplicate) the full scan decides.
function keysAllDistinct(text: string, root: Record<string, unknown>): boolean {
  let colons = 0;
  for (let at = text.indexOf(":"); at !== -1; at = text.indexOf(":", at + 1)) colons += 1;
  let keys = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object" && item !== null) pending.push(item);
      continue;
    }
    // for...in: JSON.parse objects inherit nothing enumerable; if Object.prototype was given an
    // enumerable key, it counts too, the totals differ, and the full scan decides (safe).
    if (!isRecord(value)) continue;
    for (const key in value) {
      keys += 1;
      if (keys > colons) return false;
      const child = value[key];
      if (typeof child === "object" && child !== null) pending.push(child);
    }
  }
  return keys === colons;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new CactusParseError("Event body is not valid UTF-8", { cause });
  }
}

function requireObject(value: unknown): Record<string, unknown> {
  if (isJsonObject(value)) return value;
  throw new CactusParseError(`Event body must be a JSON object, got ${kindOf(value)}`);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
