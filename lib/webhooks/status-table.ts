import { CactusError, CactusHandlerError, CactusParseError, CactusValidationError, type CactusValidationIssue } from "../errors";
import type { HandleResult } from "../handler/receiver";
import { CactusWebhookRequestError } from "./request-error";
import { CactusSignatureError } from "./signature-error";

/**
 * The one status table of the Node middleware and the Fetch handler (docs/webhooks.md): each
 * outcome's `error.type` and the status it answers. Cactus redelivers anything that is not 2xx.
 */
export const webhookStatusTable = {
  handled: 200,
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
  unsupported_media_type: 415,
  handler_failed: 500,
  body_already_parsed: 500,
  internal_error: 500,
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
  };
}

/** The body of a 200 answer. */
export interface WebhookOkBody {
  /** Always `true`. */
  readonly ok: true;
  /** The event id. */
  readonly id: string;
  /** The method (or router subscription) that handled it. */
  readonly handledBy: string;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } as const;

/** The 200 answer for a handled event. */
export function handledAnswer(result: HandleResult): WebhookAnswer {
  const body: WebhookOkBody = { ok: true, id: result.event.id, handledBy: result.handledBy };
  return { status: webhookStatusTable.handled, outcome: "handled", headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** The answer for `error`, per {@link webhookStatusTable}. Unknown errors are a generic 500. */
export function errorAnswer(error: unknown): WebhookAnswer {
  const error_ = describeError(error);
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (error_.type === "method_not_allowed") headers["allow"] = "POST";
  const body: WebhookErrorBody = { error: error_ };
  return { status: webhookStatusTable[error_.type], outcome: error_.type, headers, body: JSON.stringify(body) };
}

function describeError(error: unknown): WebhookErrorBody["error"] {
  if (error instanceof CactusSignatureError && isOutcome(error.code)) return { type: error.code, message: error.message };
  if (error instanceof CactusWebhookRequestError) return { type: error.code, message: error.message };
  if (error instanceof CactusValidationError) return { type: "validation_failed", message: error.message, issues: error.issues };
  if (error instanceof CactusParseError) return { type: "parse_failed", message: error.message };
  if (error instanceof CactusHandlerError) {
    // The cause stays in the server's logs (onError): it may name internals the sender must not see.
    return {
      type: "handler_failed",
      message: `The handler for ${error.eventType} event ${error.eventId} failed; Cactus will redeliver it`,
      eventId: error.eventId,
    };
  }
  return { type: "internal_error", message: error instanceof CactusError ? `Internal error (${error.code}) while handling the webhook` : "Internal error while handling the webhook" };
}

function isOutcome(code: string): code is WebhookOutcome {
  return Object.hasOwn(webhookStatusTable, code);
}
