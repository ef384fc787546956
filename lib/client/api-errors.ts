import {
  CactusApiError,
  CactusAuthenticationError,
  CactusNotFoundError,
  CactusRateLimitError,
  CactusServerError,
  type CactusApiErrorOptions,
} from "../errors";

/** What the transport knows about an error answer, besides its body. */
export interface ApiErrorContext {
  /** HTTP status of the answer. */
  readonly status: number;
  /** The request path, e.g. `/v2/events/evt_1`. */
  readonly path: string;
  /** The answer's `request-id` header, if any. */
  readonly requestId: string | undefined;
  /** The answer's parsed `Retry-After`, if any. */
  readonly retryAfterMs: number | undefined;
  /** Removes secrets from text that came from the server (a misbehaving proxy may echo headers). */
  readonly redact: (text: string) => string;
}

/** The `error` object of a Cactus error body, as far as it could be read. */
export interface ParsedErrorBody {
  /** `error.type`, when it was a string. */
  readonly type: string | undefined;
  /** `error.message`, when it was a string. */
  readonly message: string | undefined;
}

// Error messages end up in logs; a proxy's 50 kB HTML page does not belong there.
const MAX_MESSAGE_LENGTH = 500;

/**
 * Reads `{"error": {"type": "...", "message": "..."}}`. Anything else (HTML from a proxy, an
 * empty body, a different shape) gives `undefined` fields rather than an error: the status
 * alone still decides the error class.
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { type: undefined, message: undefined };
  }
  const error = isRecord(json) ? json["error"] : undefined;
  if (!isRecord(error)) return { type: undefined, message: undefined };
  return { type: stringOrUndefined(error["type"]), message: stringOrUndefined(error["message"]) };
}

/**
 * The typed error for a non-2xx answer: 401/403 {@link CactusAuthenticationError}, 404
 * {@link CactusNotFoundError}, 429 {@link CactusRateLimitError}, 5xx {@link CactusServerError},
 * anything else {@link CactusApiError}.
 */
export function apiErrorFor(bodyText: string, context: ApiErrorContext): CactusApiError {
  const body = parseErrorBody(bodyText);
  const message = clip(context.redact(body.message ?? genericMessage(context.status)));
  const options: CactusApiErrorOptions = {
    status: context.status,
    errorType: body.type === undefined ? undefined : clip(context.redact(body.type)),
    path: context.path,
    requestId: context.requestId === undefined ? undefined : context.redact(context.requestId),
  };
  const { status } = context;
  if (status === 401 || status === 403) return new CactusAuthenticationError(message, options);
  if (status === 404) return new CactusNotFoundError(message, options);
  if (status === 429) return new CactusRateLimitError(message, { ...options, retryAfterMs: context.retryAfterMs });
  if (status >= 500 && status <= 599) return new CactusServerError(message, options);
  return new CactusApiError(message, options);
}

/** A 2xx answer whose body is not JSON: the API (or something in front of it) misbehaved. */
export function invalidResponseError(context: Omit<ApiErrorContext, "retryAfterMs">, contentType: string | null): CactusApiError {
  const got = contentType === null ? "no content type" : `content type ${JSON.stringify(clip(context.redact(contentType)))}`;
  return new CactusApiError(
    `expected a JSON body but it could not be parsed as JSON (${got})`,
    { status: context.status, errorType: undefined, path: context.path, requestId: context.requestId },
    "invalid_response",
  );
}

function genericMessage(status: number): string {
  const what =
    status === 401 || status === 403 ? "authentication failed"
    : status === 404 ? "not found"
    : status === 429 ? "too many requests"
    : status >= 500 ? "server error"
    : "request failed";
  return `${what} (the body was not a Cactus JSON error)`;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
