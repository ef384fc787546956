import { CactusValidationError, type CactusValidationIssue } from "../errors";

/** Longest id, type or related-object id the store keeps, in UTF-8 bytes (an index entry must fit a page). */
export const MAX_STORED_ID_BYTES = 1_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` cannot be stored as a PostgreSQL `text` key as is, or `undefined` when it can. */
export function unstorableText(value: string): string | undefined {
  if (value.includes("\u0000")) return "contains a NUL character (\\u0000), which PostgreSQL text cannot hold";
  if (LONE_SURROGATE.test(value)) return "contains an unpaired UTF-16 surrogate, which is not valid Unicode";
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > MAX_STORED_ID_BYTES) return `is ${bytes} bytes long; the event store keeps at most ${MAX_STORED_ID_BYTES}`;
  return undefined;
}

/**
 * Checks the fields of an event the store keys and indexes on; throws {@link CactusValidationError}
 * (answered 400 `validation_failed`, nothing claimed, nothing run) when one cannot be stored as is.
 * The body itself is always storable: it is kept as JSON text, where `\u0000` and unpaired
 * surrogates are escapes.
 */
export function checkStorable(what: string, fields: readonly (readonly [path: string, value: string | undefined])[], eventType: string | undefined): void {
  const issues: CactusValidationIssue[] = [];
  for (const [path, value] of fields) {
    if (value === undefined) continue;
    const why = unstorableText(value);
    if (why !== undefined) issues.push({ path, rule: "storable", message: `${path} ${why}` });
  }
  if (issues.length > 0) throw new CactusValidationError(what, issues, eventType);
}

/** `text` cut to `max` characters, with NUL and unpaired surrogates replaced, for error columns. */
export function storableMessage(text: string, max = 2_000): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  return cut.replace(/\u0000/g, "\uFFFD").replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD");
}
