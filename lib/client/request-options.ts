import { CactusArgumentError } from "../errors";

/**
 * Options of one API call, overriding the client's own for that call only.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const event = await client.retrieveEvent("evt_1", { signal: controller.signal, timeoutMs: 2_000, maxRetries: 0 });
 * ```
 */
export interface CactusRequestOptions {
  /** Cancels the call: the request in flight is aborted, no retry follows, and the call rejects with `CactusAbortError`. */
  signal?: AbortSignal;
  /** Per-attempt timeout in milliseconds, for this call. */
  timeoutMs?: number;
  /** Retries after the first attempt, for this call. */
  maxRetries?: number;
}

/** Checks per-call options before any request; a bad value throws {@link CactusArgumentError}. */
export function checkRequestOptions(options: CactusRequestOptions | undefined): CactusRequestOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null) {
    throw new CactusArgumentError("options", `Request options must be an object (got ${typeof options})`);
  }
  const { signal, timeoutMs, maxRetries } = options;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new CactusArgumentError("signal", "signal must be an AbortSignal (from an AbortController or AbortSignal.timeout())");
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && Number.isFinite(timeoutMs) && timeoutMs >= 1)) {
    throw new CactusArgumentError("timeoutMs", `timeoutMs must be a finite number >= 1 (got ${String(timeoutMs)})`);
  }
  if (maxRetries !== undefined && !(typeof maxRetries === "number" && Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new CactusArgumentError("maxRetries", `maxRetries must be an integer >= 0 (got ${String(maxRetries)})`);
  }
  return options;
}

// Duck-typed: a signal from another realm (a vm context, a test runner) is not `instanceof` ours.
function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof value === "object" && value !== null && "aborted" in value && typeof Reflect.get(value, "addEventListener") === "function";
}
