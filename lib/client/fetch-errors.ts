/**
 * Reading the errors of Node's global `fetch` (undici), shared by the API client and the webhook
 * sender. By shape, not `instanceof`: undici creates its errors in Node's own realm, so under
 * jest (or any vm context) `instanceof TypeError` is false for them.
 */

/**
 * Whether `error` is fetch's network failure: a `TypeError("fetch failed")` whose `cause` says
 * what happened (refused, reset, DNS, socket closed mid-body).
 */
export function isFetchNetworkError(error: unknown): error is { name: "TypeError"; cause?: unknown } {
  return typeof error === "object" && error !== null && "name" in error && error.name === "TypeError";
}

/**
 * A short description of a failed `fetch`: the system error code when there is one
 * (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`), `timed out` for an `AbortSignal.timeout`, else
 * the underlying message.
 */
export function describeFetchError(error: unknown): string {
  const cause = isFetchNetworkError(error) && error.cause !== undefined ? error.cause : undefined;
  const code = field(cause, "code") ?? field(error, "code");
  if (typeof code === "string") return code;
  if (field(error, "name") === "TimeoutError") return "timed out";
  const message = field(cause, "message") ?? field(error, "message");
  return typeof message === "string" ? message : String(error);
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null && name in value ? Reflect.get(value, name) : undefined;
}
