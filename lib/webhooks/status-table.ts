import {
  CactusError,
  CactusEventStoreUnavailableError,
  CactusEventInProgressError,
  CactusHandlerError,
  CactusHandlerTimeoutError,
  CactusIdempotencyError,
  CactusShuttingDownError,
  CactusParseError,
  CactusQueueUnavailableError,
  CactusSignatureError,
  CactusValidationError,
  CactusWebhookRequestError,
  describeThrown,
  type CactusValidationIssue,
} from "../errors";
import type { HandleResult } from "../delivery/types";
import { failureDetail } from "./failure-detail";

/**
 * The one status table of the Node middleware and the Fetch handler: each
 * outcome's `error.type` and the status it answers. Cactus redelivers anything that is not 2xx.
 */
export const webhookStatusTable = {
  handled: 200,
  duplicate: 200,
  stale: 200,
  queued: 202,
  parse_failed: 400,
  validation_failed: 400,
  body_read_failed: 400,
  missing_header: 401,
  malformed_timestamp: 401,
  timestamp_too_old: 401,
  timestamp_too_new: 401,
  no_matching_signature: 401,
  id_mismatch: 401,
  not_found: 404,
  method_not_allowed: 405,
  body_timeout: 408,
  payload_too_large: 413,
  in_progress: 409,
  unsupported_media_type: 415,
  handler_failed: 500,
  body_already_parsed: 500,
  internal_error: 500,
  handler_timeout: 503,
  idempotency_store_failed: 503,
  shutting_down: 503,
  queue_unavailable: 503,
  event_store_unavailable: 503,
} as const;

/** An outcome of the webhook middleware: a key of {@link webhookStatusTable}. */
export type WebhookOutcome = keyof typeof webhookStatusTable;

/** What the middleware answers, before a runtime shell writes it out. */
export interface WebhookAnswer {
  /** HTTP status, from {@link webhookStatusTable}. */
  readonly status: number;
  /** The outcome (`handled` or the error type). */
  readonly outcome: WebhookOutcome;
  /** Response headers (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text: `{"ok":true,...}` or `{"error":{"type","message",...}}`. */
  readonly body: string;
}

/** The error body every non-2xx answer carries. */
export interface WebhookErrorBody {
  /** What went wrong. */
  readonly error: {
    /** The outcome, e.g. `no_matching_signature` or `validation_failed`. */
    readonly type: WebhookOutcome;
    /** A sentence that says what was wrong (never a secret, an expected signature or a stack trace). */
    readonly message: string;
    /** For `validation_failed`: each wire field path and the rule it broke. */
    readonly issues?: readonly CactusValidationIssue[];
    /** For `handler_failed`: the event that will be redelivered. */
    readonly eventId?: string;
    /**
     * For a 5xx answer, when `errorDetail` is on (by default outside production): the failure's
     * cause chain as one short line, e.g. `Cactus API GET /v1/movies/mov_789 answered 500: ...`
     * (no stack, anything key-like redacted, at most 300 characters).
     */
    readonly detail?: string;
  };
}

/** The body of a 2xx answer. */
export interface WebhookOkBody {
  /** Always `true`. */
  readonly ok: true;
  /** The event id. */
  readonly id: string;
  /** The method (or router subscriptions) that handled it; `""` when nothing ran. */
  readonly handledBy: string;
  /** `true` when this delivery was a duplicate of an event already handled: nothing ran. */
  readonly duplicate?: true;
  /** `true` when the event was stored in a queue for a worker (202). */
  readonly queued?: true;
  /** `true` when the event is older than the newest handled one of its object and was skipped (its type's stale policy is `skip`). */
  readonly stale?: true;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } as const;

/**
 * `JSON.stringify(text)`, without the stringifier for text that needs no escape (printable ASCII
 * other than `"` and `\`: every event id and handler name in practice). Measured in the Node
 * middleware (A/B runs): less server CPU per answer than two `JSON.stringify` calls.
 */
export function jsonString(text: string): string {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** The 2xx answer for a handled, duplicate, stale or queued event. */
export function handledAnswer(result: HandleResult): WebhookAnswer {
  const { outcome } = result;
  // The same text JSON.stringify gives for a WebhookOkBody (same keys, same order), written
  // directly: only the two strings need quoting.
  const mark = outcome === "handled" ? "" : outcome === "duplicate" ? ',"duplicate":true' : outcome === "stale" ? ',"stale":true' : ',"queued":true';
  const body = `{"ok":true,"id":${jsonString(result.event.id)},"handledBy":${jsonString(result.handledBy)}${mark}}`;
  return { status: webhookStatusTable[outcome], outcome, headers: JSON_HEADERS, body };
}

/**
 * The answer for `error`, per {@link webhookStatusTable}. Unknown errors are a generic 500. With
 * `withDetail`, a 5xx answer's body also carries `error.detail` (computed only here, on failure).
 */
export function errorAnswer(error: unknown, withDetail = false): WebhookAnswer {
  const described = describeError(error);
  const detail = withDetail && webhookStatusTable[described.type] >= 500 ? failureDetail(error) : undefined;
  const error_ = detail === undefined ? described : { ...described, detail };
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (error_.type === "method_not_allowed") headers["allow"] = "POST";
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  const body: WebhookErrorBody = { error: error_ };
  return { status: webhookStatusTable[error_.type], outcome: error_.type, headers, body: JSON.stringify(body) };
}

// How long Cactus should wait before redelivering, for the 409 and 503 rows.
function retryAfterSeconds(error: unknown): number | undefined {
  if (error instanceof CactusEventInProgressError) return error.retryAfterSeconds;
  if (error instanceof CactusHandlerTimeoutError || error instanceof CactusIdempotencyError || error instanceof CactusShuttingDownError) {
    return DEFAULT_RETRY_AFTER_SECONDS;
  }
  if (error instanceof CactusQueueUnavailableError) {
    return DEFAULT_RETRY_AFTER_SECONDS;
  }
  if (error instanceof CactusEventStoreUnavailableError) return error.retryAfterSeconds;
  return undefined;
}

/** `Retry-After` of the 503 answers (handler timeout, idempotency store down), in seconds. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

function describeError(error: unknown): WebhookErrorBody["error"] {
  if (error instanceof CactusSignatureError && isOutcome(error.code)) return { type: error.code, message: error.message };
  if (error instanceof CactusWebhookRequestError) return { type: error.code, message: error.message };
  if (error instanceof CactusValidationError) return { type: "validation_failed", message: error.message, issues: error.issues };
  if (error instanceof CactusParseError) return { type: "parse_failed", message: error.message };
  if (error instanceof CactusShuttingDownError) return { type: "shutting_down", message: error.message };
  if (error instanceof CactusQueueUnavailableError) return { type: "queue_unavailable", message: "The event queue is unavailable; Cactus will redeliver the event" };
  if (error instanceof CactusEventStoreUnavailableError) return { type: "event_store_unavailable", message: "The event store is unavailable; Cactus will redeliver the event" };
  if (error instanceof CactusIdempotencyError) return { type: "idempotency_store_failed", message: "The idempotency store is unavailable; Cactus will redeliver the event" };
  if (error instanceof CactusEventInProgressError || error instanceof CactusHandlerTimeoutError) {
    return { type: error.code === "in_progress" ? "in_progress" : "handler_timeout", message: error.message, eventId: error.eventId };
  }
  if (error instanceof CactusHandlerError) {
    // The cause stays in the server's logs (onError): it may name internals the sender must not see.
    return {
      type: "handler_failed",
      message: `The handler for ${error.eventType} event ${error.eventId} failed; Cactus will redeliver it`,
      eventId: error.eventId,
    };
  }
  const code = error instanceof CactusError ? error.code : undefined;
  return { type: "internal_error", message: code === undefined ? "Internal error while handling the webhook" : `Internal error (${describeThrown(code)}) while handling the webhook` };
}

function isOutcome(code: string): code is WebhookOutcome {
  return Object.hasOwn(webhookStatusTable, code);
}
