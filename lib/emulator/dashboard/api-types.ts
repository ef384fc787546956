import type { DeliveryAttemptRecord, EventDetail, EventPage } from "../forwarder";
import type { WireFullEvent, WireObject, WireRelatedObject } from "../wire-types";

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

/** `GET /_dashboard/api/events` answer. */
export type DashboardEventPage = EventPage;

/** `GET /_dashboard/api/events/{id}` answer. */
export type DashboardEventDetail = EventDetail;
