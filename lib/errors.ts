/**
 * The one error family of cactus-sdk. Every error the SDK throws is a {@link CactusError}
 * with a stable `code`, a message that says what was wrong and where, and the cause attached.
 *
 * @example
 * ```ts
 * try { await handler.handle(body); }
 * catch (err) { if (err instanceof CactusValidationError) console.error(err.issues); }
 * ```
 */
export class CactusError extends Error {
  /** A stable, machine-readable code, e.g. `"validation_failed"`. */
  readonly code: string;

  /**
   * @param code stable machine-readable code
   * @param message what was wrong and where
   * @param options `cause`: the underlying error, if any
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** The body was not JSON, or was JSON but not an object. */
export class CactusParseError extends CactusError {
  /** @param message what was wrong with the body */
  constructor(message: string, options?: { cause?: unknown }) {
    super("parse_failed", message, options);
  }
}

/** One broken rule, found while validating an event or an API answer. */
export interface CactusValidationIssue {
  /** Wire path of the field, e.g. `data.attempt_num` or `related_object.id`. */
  readonly path: string;
  /** The rule it broke, e.g. `isInt`, `min`, `isDefined`, `relatedObjectType`. */
  readonly rule: string;
  /** A human sentence, e.g. `data.attempt_num must not be less than 1`. */
  readonly message: string;
}

/**
 * A known event type (or an API answer) whose shape is wrong. Nothing was dispatched.
 * `issues` names each wire field path and the rule it broke.
 */
export class CactusValidationError extends CactusError {
  /** Every broken rule, with its wire field path. */
  readonly issues: readonly CactusValidationIssue[];
  /** The event type being validated, when known. */
  readonly eventType: string | undefined;

  /**
   * @param what what was being validated, e.g. `order.shipped event evt_1`
   * @param issues each broken rule
   */
  constructor(what: string, issues: readonly CactusValidationIssue[], eventType?: string) {
    super(
      "validation_failed",
      `Invalid ${what}: ${issues.map((issue) => issue.message).join("; ")}`,
    );
    this.issues = issues;
    this.eventType = eventType;
  }
}

/** `pull()` or `fetchRelatedObject()` was called on an event that no CactusClient parsed. */
export class CactusNotBoundError extends CactusError {
  /** @param eventId id of the unbound event */
  constructor(eventId: string) {
    super(
      "event_not_bound",
      `Event ${eventId} is not bound to a CactusClient, so it cannot call the Cactus API. ` +
        `Parse it with client.parseEventV2(body) (or handle it with a CactusHandler built with a client) instead of constructing it yourself.`,
    );
  }
}

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
  constructor(message: string, options: CactusApiErrorOptions, code = "api_error") {
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
    super("connection_failed", `Could not reach the Cactus API for GET ${path}: ${describe(cause)}`, { cause });
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

/** Bad configuration, found when something is constructed (never at the first event). */
export class CactusConfigError extends CactusError {
  /** @param message which option was wrong and why */
  constructor(message: string) {
    super("invalid_config", message);
  }
}

/**
 * A user's handler method threw (or rejected). Carries the event id and type; the original
 * error is `cause`. Answer non-2xx so Cactus redelivers.
 */
export class CactusHandlerError extends CactusError {
  /** Id of the event being handled. */
  readonly eventId: string;
  /** Type of the event being handled. */
  readonly eventType: string;

  /**
   * @param eventId event id; @param eventType event type; @param cause what the handler threw
   * @param message overrides the default message; @param code overrides `handler_failed` (subclasses)
   */
  constructor(eventId: string, eventType: string, cause: unknown, message?: string, code = "handler_failed") {
    super(
      code,
      message ?? `Handler for ${eventType} event ${eventId} failed: ${describe(cause)}`,
      { cause },
    );
    this.eventId = eventId;
    this.eventType = eventType;
  }
}

/** A short description of any thrown value, for messages. */
export function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
