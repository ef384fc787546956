/**
 * A short description of any thrown value, for messages and logs. Never throws: a value whose
 * `message` getter throws, whose `toString` throws, an `Object.create(null)` object or a revoked
 * Proxy all still get a description, so describing a failure cannot lose the event it is about.
 *
 * @example
 * ```ts
 * describeThrown(new Error("boom")); // "boom"
 * describeThrown(Object.create(null)); // "[object with no prototype]"
 * ```
 */
export function describeThrown(value: unknown): string {
  try {
    if (isInstanceOf(value, Error)) {
      const message: unknown = value.message;
      return typeof message === "string" ? message : `${safeName(value)} (message is not a string)`;
    }
    if (typeof value === "string") return value;
    if (value === null || value === undefined || typeof value !== "object") return String(value);
    return String(value);
  } catch {
    return fallbackDescription(value);
  }
}

/** The name of an Error, or `Error` when even that cannot be read. */
function safeName(error: Error): string {
  try {
    return typeof error.name === "string" ? error.name : "Error";
  } catch {
    return "Error";
  }
}

function fallbackDescription(value: unknown): string {
  try {
    if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === null) return "[object with no prototype]";
  } catch {
    return "[revoked proxy or unreadable object]";
  }
  return `[unprintable ${typeof value}]`;
}

/**
 * `value instanceof cls`, except that it never throws: `instanceof` on a revoked Proxy throws a
 * TypeError, and a thrown value must never turn the failure it stands for into another one.
 */
export function isInstanceOf<T>(value: unknown, cls: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof cls;
  } catch {
    return false;
  }
}
