import { CactusParseError } from "../errors";
import { BaseThinEvent } from "./base";
import { findJsonHazard } from "./json-hazards";
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
  if (options.rejectDuplicateKeys === true) {
    const hazard = findJsonHazard(text, Number.POSITIVE_INFINITY);
    if (hazard !== undefined) throw new CactusParseError(`Event body is ambiguous: ${hazard}`);
  }
  return plain;
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
