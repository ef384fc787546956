/**
 * Request headers in any shape a server hands you: a plain object (any letter case), Node's
 * `IncomingHttpHeaders` (values may be `string[]`) or a Fetch API `Headers`.
 */
export type WebhookHeaders =
  | Headers
  | { readonly get: (name: string) => string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The three Standard Webhooks headers. */
export const WEBHOOK_HEADERS = {
  id: "webhook-id",
  timestamp: "webhook-timestamp",
  signature: "webhook-signature",
} as const;

/**
 * Reads one header case-insensitively. Repeated values are joined with `", "`, as Node and the
 * Fetch API both do, so every runtime sees the same string. Returns `undefined` when absent.
 */
export function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (hasGet(headers)) return headers.get(lower) ?? undefined;
  // Own keys only: a header named "constructor" or "__proto__" must not reach Object.prototype.
  let value = Object.hasOwn(headers, lower) ? headers[lower] : undefined;
  if (value === undefined) {
    // Another letter case (a plain object written by hand): own keys of the same length only.
    for (const key in headers) {
      if (key.length === lower.length && key !== lower && Object.hasOwn(headers, key) && key.toLowerCase() === lower) {
        value = headers[key];
        break;
      }
    }
  }
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string").join(", ") : undefined;
}

function hasGet(headers: WebhookHeaders): headers is { readonly get: (name: string) => string | null } {
  return typeof headers.get === "function";
}
