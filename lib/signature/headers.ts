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

/**
 * What a receiver reads from a delivery's headers: the three signed ones and the two that tie it to
 * a trace (`traceparent`, `x-correlation-id`), each exactly as {@link readHeader} reads it
 * (`undefined` when absent).
 */
export interface DeliveryHeaderValues {
  /** `webhook-id`. */
  readonly id: string | undefined;
  /** `webhook-timestamp`. */
  readonly timestamp: string | undefined;
  /** `webhook-signature`. */
  readonly signature: string | undefined;
  /** `traceparent`. */
  readonly traceparent: string | undefined;
  /** `x-correlation-id`. */
  readonly correlationId: string | undefined;
}

/**
 * Reads the five headers of {@link DeliveryHeaderValues} at once, each as {@link readHeader} would
 * (a plain object is walked once for all five, instead of a lookup and a walk per absent name).
 */
export function readDeliveryHeaders(headers: WebhookHeaders): DeliveryHeaderValues {
  if (hasGet(headers)) {
    return {
      id: headers.get(WEBHOOK_HEADERS.id) ?? undefined,
      timestamp: headers.get(WEBHOOK_HEADERS.timestamp) ?? undefined,
      signature: headers.get(WEBHOOK_HEADERS.signature) ?? undefined,
      traceparent: headers.get("traceparent") ?? undefined,
      correlationId: headers.get("x-correlation-id") ?? undefined,
    };
  }
  // One walk over the keys: each of the five names by its exact (lowercase) own key, else by the
  // first own key of another letter case, as readHeader finds them. Keys of another length, or
  // whose first letter differs, are passed over without lowering them.
  const exact: RawHeaderValue[] = [undefined, undefined, undefined, undefined, undefined];
  const other: RawHeaderValue[] = [undefined, undefined, undefined, undefined, undefined];
  let variants = 0;
  for (const key in headers) {
    const slot = slotOf(key);
    if (slot < 0) continue;
    const name = DELIVERY_HEADER_NAMES[slot] as string;
    if (key === name) {
      if (Object.hasOwn(headers, key)) exact[slot] = headers[key];
    } else if ((variants & (1 << slot)) === 0 && (key.charCodeAt(0) | 0x20) === name.charCodeAt(0) && Object.hasOwn(headers, key) && key.toLowerCase() === name) {
      variants |= 1 << slot;
      other[slot] = headers[key];
    }
  }
  return {
    id: headerText(exact[0] === undefined ? other[0] : exact[0]),
    timestamp: headerText(exact[1] === undefined ? other[1] : exact[1]),
    signature: headerText(exact[2] === undefined ? other[2] : exact[2]),
    traceparent: headerText(exact[3] === undefined ? other[3] : exact[3]),
    correlationId: headerText(exact[4] === undefined ? other[4] : exact[4]),
  };
}

// The slot order of readDeliveryHeaders.
const DELIVERY_HEADER_NAMES: readonly string[] = [WEBHOOK_HEADERS.id, WEBHOOK_HEADERS.timestamp, WEBHOOK_HEADERS.signature, "traceparent", "x-correlation-id"];

// Which of the five names `key` may be (any letter case), by its length, or -1.
function slotOf(key: string): number {
  switch (key.length) {
    case 10:
      return 0;
    case 11:
      return 3;
    case 16:
      return 4;
    case 17:
      // webhook-timestamp and webhook-signature differ at their ninth letter.
      return (key.charCodeAt(8) | 0x20) === 0x74 ? 1 : 2;
    default:
      return -1;
  }
}

// What a plain object may hold (a JavaScript caller may put null, or anything, there).
type RawHeaderValue = string | readonly string[] | null | undefined;

function headerText(value: RawHeaderValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string").join(", ") : undefined;
}

function hasGet(headers: WebhookHeaders): headers is { readonly get: (name: string) => string | null } {
  return typeof headers.get === "function";
}

/**
 * `value?.trim()`, without the call when both ends are printable ASCII other than a space (never
 * whitespace, so `trim()` would return the value as it is): every header as Cactus sends it.
 */
export function trimmedHeader(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return value;
  return isPrintableAscii(value.charCodeAt(0)) && isPrintableAscii(value.charCodeAt(value.length - 1)) ? value : value.trim();
}

function isPrintableAscii(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

/**
 * Whether `text` is 1 to `maxLength` characters, each with a code between `low` and `high`
 * (inclusive): the header checks on the hot path, without a regular expression.
 */
export function isCharRun(text: string, maxLength: number, low: number, high: number): boolean {
  if (text.length === 0 || text.length > maxLength) return false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < low || code > high) return false;
  }
  return true;
}
