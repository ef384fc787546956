import { CactusError } from "./cactus-error";
import type { CactusApiErrorCode } from "./codes";
import { describeThrown } from "./describe";

/** Options shared by API errors. */
export interface CactusApiErrorOptions {
  /** HTTP status of the answer. */
  status: number;
  /** `error.type` from the answer's JSON body, when it had one. */
  errorType: string | undefined;
  /** The request path, e.g. `/v2/events/evt_1` (never the key). */
  path: string;
  /** The `request-id` header of the answer, when present. */
  requestId?: string | undefined;
  /** Underlying cause. */
  cause?: unknown;
}

/** The Cactus API answered with an error status. Subclasses name the common cases. */
export class CactusApiError extends CactusError {
  /** HTTP status. */
  readonly status: number;
  /** `error.type` from the answer's body, if any. */
  readonly errorType: string | undefined;
  /** The request path. */
  readonly path: string;
  /** The answer's `request-id` header, if any. */
  readonly requestId: string | undefined;

  /**
   * @param message the API's own message (or a summary)
   * @param options status, error type, path
   */
  constructor(message: string, options: CactusApiErrorOptions, code: CactusApiErrorCode = "api_error") {
    super(code, `Cactus API GET ${options.path} answered ${options.status}: ${message}`, {
      cause: options.cause,
    });
    this.status = options.status;
    this.errorType = options.errorType;
    this.path = options.path;
    this.requestId = options.requestId;
  }
}

/** 401 or 403: the API key is missing, wrong or revoked. */
export class CactusAuthenticationError extends CactusApiError {
  /** @inheritdoc */
  constructor(message: string, options: CactusApiErrorOptions) {
    super(message, options, "authentication_failed");
  }
}

/** 404: the event or object does not exist. */
export class CactusNotFoundError extends CactusApiError {
  /** @inheritdoc */
  constructor(message: string, options: CactusApiErrorOptions) {
    super(message, options, "not_found");
  }
}

/** 429 after every retry: too many requests. */
export class CactusRateLimitError extends CactusApiError {
  /** Milliseconds the API asked to wait (`Retry-After`), if it said. */
  readonly retryAfterMs: number | undefined;

  /** @inheritdoc */
  constructor(message: string, options: CactusApiErrorOptions & { retryAfterMs?: number | undefined }) {
    super(message, options, "rate_limited");
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 5xx after every retry. */
export class CactusServerError extends CactusApiError {
  /** @inheritdoc */
  constructor(message: string, options: CactusApiErrorOptions) {
    super(message, options, "server_error");
  }
}

/** The API could not be reached (DNS, refused, reset) after every retry. */
export class CactusConnectionError extends CactusError {
  /** The request path. */
  readonly path: string;

  /** @param path request path; @param cause the network error */
  constructor(path: string, cause: unknown) {
    super("connection_failed", `Could not reach the Cactus API for GET ${path}: ${describeThrown(cause)}`, { cause });
    this.path = path;
  }
}

/** A request took longer than `timeoutMs`, on its last attempt. */
export class CactusTimeoutError extends CactusError {
  /** The request path. */
  readonly path: string;
  /** The per-request timeout that was exceeded. */
  readonly timeoutMs: number;

  /** @param path request path; @param timeoutMs the limit */
  constructor(path: string, timeoutMs: number) {
    super("timeout", `Cactus API GET ${path} timed out after ${timeoutMs} ms`);
    this.path = path;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * An API answer was bigger than the client accepts (`maxResponseBytes`, default 1 MiB). The client
 * stopped reading at the limit and closed the connection, so a hostile or broken server cannot
 * make it buffer an unbounded body.
 *
 * @example
 * ```ts
 * try { await client.retrieveEvent(id); }
 * catch (err) { if (err instanceof CactusResponseTooLargeError) console.error(err.limitBytes); }
 * ```
 */
export class CactusResponseTooLargeError extends CactusError {
  /** The request path. */
  readonly path: string;
  /** HTTP status of the answer. */
  readonly status: number;
  /** The limit that was exceeded, in bytes. */
  readonly limitBytes: number;

  /** @param path request path; @param status answer status; @param limitBytes the limit */
  constructor(path: string, status: number, limitBytes: number) {
    super(
      "response_too_large",
      `Cactus API GET ${path} answered ${status} with a body larger than ${limitBytes} bytes; ` +
        `the client stopped reading it (raise maxResponseBytes if the API really sends bodies this large)`,
    );
    this.path = path;
    this.status = status;
    this.limitBytes = limitBytes;
  }
}

/**
 * The API answered with another object than the one asked for: another id (`response_id_mismatch`)
 * or, for a list filtered by type, another type (`response_type_mismatch`). Nothing is returned,
 * so an answer meant for someone else is never taken for yours.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof CactusResponseMismatchError) console.error(err.expected, err.received); }
 * ```
 */
export class CactusResponseMismatchError extends CactusError {
  /** `response_id_mismatch` or `response_type_mismatch`. */
  declare readonly code: "response_id_mismatch" | "response_type_mismatch";
  /** The request path. */
  readonly path: string;
  /** What was asked for (an id or a type). */
  readonly expected: string;
  /** What the answer held. */
  readonly received: string;

  /**
   * @param code which field differed; @param path request path
   * @param expected what was asked for; @param received what came back
   */
  constructor(code: "response_id_mismatch" | "response_type_mismatch", path: string, expected: string, received: unknown) {
    const field = code === "response_id_mismatch" ? "id" : "type";
    const got = typeof received === "string" ? received : describeValue(received);
    super(code, `Cactus API GET ${path} answered with ${field} ${quoteShort(got)}, but ${quoteShort(expected)} was asked for`);
    this.path = path;
    this.expected = expected;
    this.received = got;
  }
}

/**
 * An argument of a client call is invalid; found before any request is sent. `argument` names it.
 *
 * @example
 * ```ts
 * client.listEvents({ limit: 500 }); // throws CactusArgumentError: limit must be an integer from 1 to 100
 * ```
 */
export class CactusArgumentError extends CactusError {
  declare readonly code: "invalid_argument" | "invalid_id";
  /** Which argument was wrong, e.g. `limit` or `id`. */
  readonly argument: string;

  /** @param argument its name; @param message what was wrong; @param code overrides `invalid_argument` (subclasses) */
  constructor(argument: string, message: string, code: "invalid_argument" | "invalid_id" = "invalid_argument") {
    super(code, message);
    this.argument = argument;
  }
}

/**
 * An object id that cannot be sent as one path segment: empty, `.` or `..`, or holding `/`, `\`,
 * `?`, `#` or a control character. Thrown before any request, so such an id never reaches the API
 * (`retrieveOrder("..")` would otherwise ask for another resource, with your API key).
 *
 * @example
 * ```ts
 * await client.retrieveOrder("../v2/events"); // throws CactusInvalidIdError (code "invalid_id")
 * ```
 */
export class CactusInvalidIdError extends CactusArgumentError {
  /** The rejected id (cut short if long). */
  readonly id: string;

  /** @param noun what the id names, e.g. `order`; @param id the rejected id; @param reason why */
  constructor(noun: string, id: unknown, reason: string) {
    const shown = typeof id === "string" ? quoteShort(id) : describeValue(id);
    super("id", `Invalid ${noun} id ${shown}: ${reason}`, "invalid_id");
    this.id = typeof id === "string" ? clipText(id, 80) : shown;
  }
}

/**
 * A call was cancelled through its `signal`. No retry follows; `cause` is the signal's reason.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const pending = client.retrieveEvent("evt_1", { signal: controller.signal });
 * controller.abort(); // pending rejects with CactusAbortError (code "aborted")
 * ```
 */
export class CactusAbortError extends CactusError {
  /** The request path. */
  readonly path: string;

  /** @param path request path; @param reason the signal's reason */
  constructor(path: string, reason: unknown) {
    super("aborted", `Cactus API GET ${path} was aborted by its signal`, { cause: reason });
    this.path = path;
  }
}

// Values quoted in messages come from callers or servers: JSON-quoted (control characters visible)
// and cut short, so a message never carries a huge or multi-line value.
function quoteShort(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length > 80 ? `${quoted.slice(0, 76)}..."` : quoted;
}

function clipText(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}...` : value;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
