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

