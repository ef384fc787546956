import {
  CactusAbortError,
  CactusConfigError,
  CactusConnectionError,
  CactusResponseTooLargeError,
  CactusTimeoutError,
  type CactusError,
} from "../errors";
import { apiErrorFor, invalidResponseError } from "./api-errors";
import { isFetchNetworkError } from "./fetch-errors";
import {
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  parseRetryAfterMs,
  retryDelayMs,
  type BackoffSettings,
} from "./backoff";
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_ERROR_BODY_BYTES, readCappedBody } from "./read-body";
import type { CactusRequestOptions } from "./request-options";
import { observeApiAttempt } from "../observability/api-call";
import type { CactusInstrumentation } from "../observability/instrumentation";

// Hardcoded rather than read from package.json: the compiled file sits at a different depth
// (dist/lib/client) than the source, so a relative require would break in one of the two.
/** The SDK version sent in `User-Agent`. */
export const SDK_VERSION = "0.1.0";

/**
 * A `fetch` implementation: the global one by default, or your own (a mock in tests, a fetch with
 * a proxy agent, an instrumented one). It is called as `fetch(url, init)` with a string URL.
 *
 * @example
 * ```ts
 * const client = new CactusClient({ apiKey, fetch: (url, init) => { console.log(url); return fetch(url, init); } });
 * ```
 */
export type CactusFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Settings of {@link HttpTransport}. */
export interface TransportOptions {
  /** Sent as `Authorization: Bearer <apiKey>`; never in any message, log, or error property. */
  apiKey: string;
  /** API base URL, e.g. `http://127.0.0.1:1234` (a trailing slash is fine). */
  baseUrl: string;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Timeout of each attempt, in milliseconds. */
  timeoutMs: number;
  /** Base delay of the exponential backoff, in milliseconds. Default 250. */
  retryBaseDelayMs?: number;
  /** Cap of one backoff delay, in milliseconds. Default 8000. */
  retryMaxDelayMs?: number;
  /** Cap on a `Retry-After` honoured, in milliseconds. Default 60000. */
  maxRetryAfterMs?: number;
  /** Cap on a successful answer's body, in bytes. Default 1 MiB. Error bodies are read up to 64 KiB. */
  maxResponseBytes?: number | undefined;
  /** The `fetch` to call. Default: the global `fetch`. */
  fetch?: CactusFetch | undefined;
  /** The whole `User-Agent` header. Default `cactus-sdk/<version>`. */
  userAgent?: string | undefined;
  /** Metrics and tracing of each attempt. Default: the instrumentation of the delivery whose handler is calling, if any. */
  instrumentation?: CactusInstrumentation | undefined;
  /** Sent as `Cactus-Version` on every request, when given (`CactusClient` always gives its pinned one). */
  apiVersion?: string | undefined;
}

/** 408, 409, 429 and every 5xx: the request may succeed if sent again. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status <= 599);
}

/** One attempt's result: a parsed body, or the error to throw if no retry follows. */
type AttemptOutcome =
  | { readonly ok: true; readonly body: unknown; readonly status?: number }
  | { readonly ok: false; readonly error: CactusError; readonly retryable: boolean; readonly retryAfterMs?: number | undefined };

/**
 * The HTTP transport of `CactusClient`: authenticated JSON GETs with retries, backoff with full
 * jitter, `Retry-After`, per-attempt timeouts and typed errors.
 *
 * It uses Node's global `fetch` (undici), whose global dispatcher keeps connections alive and
 * pools them by default, so consecutive calls reuse one TCP (and TLS) connection.
 *
 * The API key lives in an ES private field: `JSON.stringify`, `console.log` and
 * `util.inspect` of a transport (or of a client holding one) never show it.
 */
export class HttpTransport {
  readonly #headers: Readonly<Record<string, string>>;
  readonly #apiKey: string;
  readonly #baseUrl: string;
  readonly #maxRetries: number;
  readonly #timeoutMs: number;
  readonly #backoff: BackoffSettings;
  readonly #maxResponseBytes: number;
  readonly #fetch: CactusFetch | undefined;
  readonly #instrumentation: CactusInstrumentation | undefined;

  /** @param options key, base URL, retry and timeout settings; bad values throw {@link CactusConfigError}. */
  constructor(options: TransportOptions) {
    checkApiKey(options.apiKey);
    this.#apiKey = options.apiKey;
    this.#baseUrl = checkBaseUrl(options.baseUrl).replace(/\/+$/, "");
    this.#maxRetries = checkNumber("maxRetries", options.maxRetries, { integer: true, min: 0 });
    this.#timeoutMs = checkNumber("timeoutMs", options.timeoutMs, { min: 1 });
    this.#backoff = {
      baseDelayMs: checkNumber("retryBaseDelayMs", options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS, { min: 0 }),
      maxDelayMs: checkNumber("retryMaxDelayMs", options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS, { min: 0 }),
      maxRetryAfterMs: checkNumber("maxRetryAfterMs", options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS, { min: 0 }),
    };
    this.#maxResponseBytes = checkNumber("maxResponseBytes", options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, { integer: true, min: 1 });
    if (options.fetch !== undefined && typeof options.fetch !== "function") {
      throw new CactusConfigError("fetch must be a function (url, init) => Promise<Response>");
    }
    this.#fetch = options.fetch;
    const userAgent = options.userAgent ?? `cactus-sdk/${SDK_VERSION}`;
    if (!/^[\x20-\x7e]+$/.test(userAgent)) throw new CactusConfigError("userAgent must be visible ASCII characters and spaces");
    this.#instrumentation = options.instrumentation;
    this.#headers = {
      authorization: `Bearer ${options.apiKey}`,
      accept: "application/json",
      "user-agent": userAgent,
      ...(options.apiVersion === undefined ? {} : { "cactus-version": checkApiVersionHeader(options.apiVersion) }),
    };
  }

  /**
   * `GET path` (e.g. `/v2/events/evt_1`) and the parsed JSON body. Retries connection errors,
   * timeouts and 408/409/429/5xx up to `maxRetries` times; then throws the last attempt's typed
   * error: `CactusApiError` (or a subclass), `CactusConnectionError`, `CactusTimeoutError` or
   * `CactusResponseTooLargeError`. `options` overrides the timeout and retries for this call; its
   * `signal` aborts the request in flight and any retry, rejecting with `CactusAbortError`.
   */
  async getJson(path: string, options: CactusRequestOptions = {}): Promise<unknown> {
    const url = this.#baseUrl + (path.startsWith("/") ? path : `/${path}`);
    const maxRetries = options.maxRetries ?? this.#maxRetries;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const { signal } = options;
    for (let attempt = 0; ; attempt += 1) {
      if (signal?.aborted) throw new CactusAbortError(path, signal.reason);
      const outcome = await observeApiAttempt(this.#instrumentation, path, attempt, () => this.#attempt(url, path, timeoutMs, signal));
      if (outcome.ok) return outcome.body;
      if (!outcome.retryable || attempt >= maxRetries) throw outcome.error;
      await this.sleep(retryDelayMs(attempt, outcome.retryAfterMs, this.#backoff), signal);
    }
  }

  /**
   * Waits between attempts, ending early when `signal` aborts. A seam: tests override it to
   * record the schedule instead of measuring wall-clock time. Uses a plain timer so the
   * transport runs outside Node too.
   */
  protected sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  async #attempt(url: string, path: string, timeoutMs: number, userSignal: AbortSignal | undefined): Promise<AttemptOutcome> {
    // The timeout covers the whole attempt, body included: a server that sends headers and then
    // stalls must not hang the caller.
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = userSignal === undefined ? timeout : AbortSignal.any([timeout, userSignal]);
    try {
      // redirect "manual": following a redirect would send the key to wherever it points.
      const init: RequestInit = { method: "GET", headers: this.#headers, signal, redirect: "manual" };
      const response = await (this.#fetch === undefined ? fetch(url, init) : this.#fetch(url, init));
      const limit = response.ok ? this.#maxResponseBytes : MAX_ERROR_BODY_BYTES;
      const body = await readCappedBody(response, limit);
      // An error page cut at 64 KiB is still an error of its status; only a success must be whole.
      if (response.ok && body.overLimit) {
        return { ok: false, retryable: false, error: new CactusResponseTooLargeError(path, response.status, limit) };
      }
      return this.#outcomeOf(response, body.text, path);
    } catch (error) {
      if (userSignal?.aborted) return { ok: false, retryable: false, error: new CactusAbortError(path, userSignal.reason) };
      return this.#failureOf(error, timeout, path, timeoutMs);
    }
  }

  #outcomeOf(response: Response, text: string, path: string): AttemptOutcome {
    const context = {
      status: response.status,
      path,
      requestId: response.headers.get("request-id") ?? undefined,
      redact: (value: string) => this.#redact(value),
    };
    if (response.ok) {
      try {
        return { ok: true, body: JSON.parse(text), status: response.status };
      } catch {
        return { ok: false, retryable: false, error: invalidResponseError(context, response.headers.get("content-type")) };
      }
    }
    const retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"));
    return {
      ok: false,
      retryable: isRetryableStatus(response.status),
      retryAfterMs,
      error: apiErrorFor(text, { ...context, retryAfterMs }),
    };
  }

  #failureOf(error: unknown, timeout: AbortSignal, path: string, timeoutMs: number): AttemptOutcome {
    if (timeout.aborted) return { ok: false, retryable: true, error: new CactusTimeoutError(path, timeoutMs) };
    // fetch reports every network failure (refused, reset, DNS, socket closed mid-body) as a
    // TypeError("fetch failed") whose cause says what happened; that cause makes the better message.
    const network = isFetchNetworkError(error);
    const cause = network && error.cause !== undefined ? error.cause : error;
    return { ok: false, retryable: network, error: new CactusConnectionError(path, cause) };
  }

  #redact(text: string): string {
    return text.split(this.#apiKey).join("[redacted]");
  }
}

// Visible ASCII only: fetch rejects other header bytes with a message that quotes the value,
// which would put the key in an error. Checked here, the message names no key.
function checkApiKey(apiKey: unknown): void {
  if (typeof apiKey !== "string" || !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new CactusConfigError(
      "apiKey must be a non-empty string of visible ASCII characters without spaces (it is sent in the Authorization header)",
    );
  }
}

function checkApiVersionHeader(apiVersion: unknown): string {
  if (typeof apiVersion !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(apiVersion)) throw new CactusConfigError("apiVersion must be a date string such as 2026-12-01");
  return apiVersion;
}

function checkBaseUrl(baseUrl: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof baseUrl === "string" ? new URL(baseUrl) : undefined;
  } catch {
    url = undefined;
  }
  // The URL itself is not quoted: it may carry credentials (https://user:pass@host).
  if (typeof baseUrl !== "string" || !url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new CactusConfigError("baseUrl must be an absolute http:// or https:// URL");
  }
  return baseUrl;
}

function checkNumber(name: string, value: unknown, rule: { integer?: boolean; min: number }): number {
  const valid = typeof value === "number" && Number.isFinite(value) && value >= rule.min && (!rule.integer || Number.isInteger(value));
  if (!valid) {
    throw new CactusConfigError(`${name} must be a finite ${rule.integer ? "integer" : "number"} >= ${rule.min} (got ${String(value)})`);
  }
  return value;
}
