/**
 * `text` safe to print on a terminal: C0 controls (newline, carriage return, escape, bell, ...),
 * DEL and C1 controls are written as escapes (`\n`, `\r`, `\t`, `\x1b`), so nothing that came
 * from the network can move the cursor, retitle the window or forge a line.
 *
 * @example
 * ```ts
 * io.out(`${printable(event.id)} ${printable(event.type)}`);
 * ```
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
