import type { DeliveryAttemptRecord, EventDetail, EventPage } from "../forwarder";
import type { WireFullEvent, WireMovie, WireObject, WireOrder, WireRelatedObject } from "../wire-types";

/** One event type the Trigger form offers, with the data it starts from. */
export interface DashboardEventType {
  /** The type string, e.g. `order.shipped`. */
  readonly type: string;
  /** Kind of its related object, or `null`. */
  readonly relatedObject: string | null;
  /** One line about it. */
  readonly summary: string;
  /** Valid wire data to start editing from. */
  readonly sampleData: WireObject;
}

/** `GET /_dashboard/api/config`. */
export interface DashboardConfig {
  /** Where events are forwarded, or `null` when nothing forwards them (Replay is then unavailable). */
  readonly forwardingTo: string | null;
  /** Events the log keeps. */
  readonly maxEvents: number;
  /** The types this SDK knows. */
  readonly eventTypes: readonly DashboardEventType[];
  /** Whether a queue's dead letters are attached (`--redis`): the page then shows its Dead letters tab. */
  readonly deadLetters: boolean;
}

/** `POST /_dashboard/api/trigger` body: the full event as on the wire, without its id. */
export interface DashboardTriggerRequest {
  /** Event type. */
  readonly type: string;
  /** Wire data (snake_case). Default: the type's sample data. */
  readonly data?: WireObject;
  /** The related object. Default: the emulator's fixture order or movie, for types that have one. */
  readonly related_object?: WireRelatedObject | null;
}

/** `POST /_dashboard/api/trigger` answer (201). */
export interface DashboardTriggerAnswer {
  /** The stored event, with its new id. */
  readonly event: WireFullEvent;
}

/** `POST /_dashboard/api/fail-next` body: at least one of `status` and `latencyMs`. */
export interface DashboardFailNextRequest {
  /** The status the emulator's API answers next, e.g. 503. */
  readonly status?: number;
  /** How many requests fail. Default 1. */
  readonly times?: number;
  /** A `Retry-After` header to send with the failure, e.g. `"2"`. */
  readonly retryAfter?: string;
  /** Delay before every API answer from now on, in ms (0 ends it). */
  readonly latencyMs?: number;
}

/** `POST /_dashboard/api/fail-next` answer (200): what was set. */
export interface DashboardFailNextAnswer {
  /** The failure now pending, or `null` when only the latency changed. */
  readonly failNext: { readonly status: number; readonly times: number; readonly retryAfter: string | null } | null;
  /** The latency now in force, or `null` when unchanged. */
  readonly latencyMs: number | null;
}

/** `POST /_dashboard/api/events/{id}/replay` answer (200). */
export interface DashboardReplayAnswer {
  /** The new attempt. */
  readonly attempt: DeliveryAttemptRecord;
}

/** One rule broken by triggered data, as the SDK reports it. */
export interface DashboardIssue {
  /** Wire path, e.g. `data.attempt_num`. */
  readonly path: string;
  /** The rule, e.g. `min`. */
  readonly rule: string;
  /** A sentence. */
  readonly message: string;
}

/** Every error answer: `{"error": {"type", "message", "issues"?}}`. */
export interface DashboardErrorBody {
  /** What went wrong. */
  readonly error: {
    /** Stable type, e.g. `validation_failed`, `not_found`, `dashboard_token_invalid`. */
    readonly type: string;
    /** A sentence. */
    readonly message: string;
    /** Per-field problems (`validation_failed` only). */
    readonly issues?: readonly DashboardIssue[];
  };
}

/**
 * `GET /_dashboard/api/events` answer (`?type=`, `?outcome=`, `?search=` an event or related
 * object id, or part of one; `?limit=`, `?before=`).
 */
export interface DashboardEventPage extends EventPage {
  /** How many events the log keeps in all, whatever the filters. */
  readonly all: number;
  /** The types of the events kept, each once, sorted (unknown types included). */
  readonly types: readonly string[];
}

/** `GET /_dashboard/api/events/{id}/context` answer: what the handler reads beside the thin event. */
export interface DashboardEventContext {
  /** The full event as `pull()` gets it from the emulator, or `null` when the emulator has none. */
  readonly event: WireFullEvent | null;
  /** The related object as `fetchRelatedObject()` gets it, or `null` (none, or not in the emulator). */
  readonly relatedObject: WireOrder | WireMovie | null;
}

/**
 * `POST /_dashboard/api/events/{id}/curl` answer (body `{}`, or `{ "body": "..." }` to sign an
 * edited body): a curl command signed now.
 */
export interface DashboardCurlAnswer {
  /** The command (POSIX shell). Its only trace of the secret is the `webhook-signature` HMAC. */
  readonly command: string;
  /** Its `webhook-timestamp` (Unix seconds): it verifies for the endpoint's tolerance from then (5 minutes by default). */
  readonly timestamp: number;
}

/** `POST /_dashboard/api/events/{id}/replay` body: `{}` to replay, `{ "body": "..." }` to replay with edits. */
export interface DashboardReplayRequest {
  /** The JSON text to sign and send instead of the event's own; the attempt is marked `edited`. */
  readonly body?: string;
}

/** `GET /_dashboard/api/events/{id}` answer. */
export type DashboardEventDetail = EventDetail;

/** One failed attempt of a dead letter. */
export interface DashboardDeadLetterAttempt {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** When it failed (ISO 8601). */
  readonly at: string;
  /** The error's message. */
  readonly message: string;
  /** The error's `code`, when it had one. */
  readonly code?: string;
  /** The error's stack, when it had one. */
  readonly stack?: string;
}

/** `GET /_dashboard/api/dead-letters/{id}` answer: an event whose every attempt failed, as the queue keeps it. */
export interface DashboardDeadLetter {
  /** The event id. */
  readonly id: string;
  /** The event type. */
  readonly type: string;
  /** The event as it was queued. */
  readonly event: Readonly<Record<string, unknown>>;
  /** Attempts run (and failed) since it was queued or last replayed. */
  readonly attempts: number;
  /** Every recorded attempt's error, oldest first. */
  readonly errors: readonly DashboardDeadLetterAttempt[];
  /** The reason the queue recorded for the final failure. */
  readonly failedReason: string;
  /** When the queue stored it (ISO 8601). */
  readonly receivedAt: string;
  /** When it became a dead letter (ISO 8601). */
  readonly deadAt: string;
  /** The delivery's `webhook-id`, when known. */
  readonly deliveryId?: string;
  /** Why the job cannot be read as a queued event (its data is not one), when it cannot. */
  readonly unreadable?: string;
}

/** One row of `GET /_dashboard/api/dead-letters`. */
export interface DashboardDeadLetterSummary {
  /** The event id. */
  readonly id: string;
  /** The event type. */
  readonly type: string;
  /** Attempts run. */
  readonly attempts: number;
  /** First line of the last attempt's error (at most 300 characters). */
  readonly lastError: string;
  /** The last error's `code`, or `null`. */
  readonly lastErrorCode: string | null;
  /** When it became a dead letter (ISO 8601). */
  readonly deadAt: string;
  /** When the queue stored it (ISO 8601). */
  readonly receivedAt: string;
}

/** `GET /_dashboard/api/dead-letters` answer: newest first. */
export interface DashboardDeadLetterPage {
  /** The dead letters, newest first. */
  readonly data: readonly DashboardDeadLetterSummary[];
  /** Whether there are more than `limit`. */
  readonly hasMore: boolean;
  /** The limit applied. */
  readonly limit: number;
}

/** `POST /_dashboard/api/dead-letters/{id}/replay` and `POST /_dashboard/api/dead-letters/replay-all` answer (200). */
export interface DashboardDeadLetterReplayAnswer {
  /** The event ids put back in the queue. */
  readonly replayed: readonly string[];
}

/** The feature name the dead-letter routes carry; the page shows its Dead letters tab when they are attached. */
export const DEAD_LETTERS_FEATURE = "dead-letters";
