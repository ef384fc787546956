/** Longest id, type, path or other value from a request that a log line carries: longer ones are cut. */
export const MAX_LOGGED_VALUE_CHARS = 200;

/** Longest message a console line carries (the SDK's own advice fits whole); longer ones are cut. */
export const MAX_LOGGED_MESSAGE_CHARS = 4_000;

/**
 * `text` cut at `max` characters, the last one replaced by an ellipsis (`…`) when it was cut, so a
 * 1 MB id from the network never becomes a 1 MB log line. Control characters are kept: give the
 * result to {@link escapeControlCharacters} (or a structured logger that encodes them) before it
 * reaches a terminal.
 *
 * @example
 * ```ts
 * boundText("evt_" + "x".repeat(10_000)).length; // 200
 * ```
 */
export function boundText(text: string, max: number = MAX_LOGGED_VALUE_CHARS): string {
  if (text.length <= max) return text;
  // Never leave half a surrogate pair before the ellipsis.
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * `text` with every control character (C0, DEL and C1: newline, carriage return, escape, bell, ...)
 * written as an escape (`\n`, `\r`, `\t`, `\x1b`), so a value from the network can neither forge
 * another log line nor move a terminal's cursor.
 *
 * @example
 * ```ts
 * escapeControlCharacters("order.shipped\n[cactus-sdk] forged"); // 'order.shipped\\n[cactus-sdk] forged'
 * ```
 */
export function escapeControlCharacters(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROL_ALL, (char) => NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`) : text;
}

/** {@link boundText} then {@link escapeControlCharacters}: what a console line prints of a value. */
export function printableLogText(text: string, max: number = MAX_LOGGED_VALUE_CHARS): string {
  return escapeControlCharacters(boundText(text, max));
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
