import type { WireRelatedObject } from "../wire-types";

/**
 * Where an event stands: `pending` (first attempt not answered yet), `delivered` (an attempt got
 * a 2xx), `retrying` (failed, a retry is scheduled), `failed` (failed, no retry left) or
 * `not_forwarded` (nothing forwards events, e.g. under `cactus emulator`).
 */
export type DeliveryOutcome = "pending" | "delivered" | "retrying" | "failed" | "not_forwarded";

/** Every {@link DeliveryOutcome}, for filters and validation. */
export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ["pending", "delivered", "retrying", "failed", "not_forwarded"];

/** Why an attempt was made: the first delivery, a scheduled redelivery, or a Replay asked for by hand. */
export type AttemptTrigger = "delivery" | "retry" | "replay";

export type { RecordedRequest, RecordedResponse } from "../../webhooks/post-signed";
import type { RecordedRequest, RecordedResponse } from "../../webhooks/post-signed";

/** One delivery attempt of one event. */
export interface DeliveryAttemptRecord {
  /** 1 for the first attempt of this event, then 2, 3, ... (replays included). */
  readonly attempt: number;
  /** Why it was made. */
  readonly trigger: AttemptTrigger;
  /** When it started, ISO 8601. */
  readonly startedAt: string;
  /** Milliseconds from sending to the end of the answer (or the failure). */
  readonly latencyMs: number;
  /** What was sent. */
  readonly request: RecordedRequest;
  /** What came back, or `null` when nothing did (refused, reset, timed out). */
  readonly response: RecordedResponse | null;
  /** Why it failed when that is not just the status: a network error, a timeout, a redirect. */
  readonly error: string | null;
  /** Whether it got a 2xx. */
  readonly succeeded: boolean;
  /** When the next automatic retry runs, ISO 8601, or `null` when none was scheduled after it. */
  readonly nextRetryAt: string | null;
  /**
   * For a failed attempt whose answer was the SDK's error body with `error.detail` (on by default
   * outside production): the failure's cause as the endpoint told it, one line, at most 300
   * characters, e.g. `Cactus API GET /v1/movies/mov_789 answered 500: ...`.
   */
  readonly detail?: string;
  /** `true` for a Replay with edits: the body sent is not the event's own (see {@link RecordedRequest.body}). */
  readonly edited?: true;
}

/** One event in the log, without its attempts (what the list shows). */
export interface EventSummary {
  /** Position in the log: grows by one for each event recorded; the list's paging cursor. */
  readonly seq: number;
  /** Event id. */
  readonly id: string;
  /** Event type. */
  readonly type: string;
  /** When the event was recorded, ISO 8601. */
  readonly created: string;
  /** The event's related object, or `null`. */
  readonly relatedObject: WireRelatedObject | null;
  /** Where its delivery stands. */
  readonly outcome: DeliveryOutcome;
  /** How many attempts were made. */
  readonly attemptCount: number;
  /** Status of the latest answer, or `null` (no attempt, or no answer). */
  readonly lastStatus: number | null;
  /** When the next automatic retry runs, ISO 8601, or `null`. */
  readonly nextRetryAt: string | null;
}

/** One event with its body and every recorded attempt, oldest first. */
export interface EventDetail extends EventSummary {
  /** The thin event JSON that is delivered. */
  readonly body: string;
  /** Attempts, oldest first (the oldest may have been dropped past the per-event limit). */
  readonly attempts: readonly DeliveryAttemptRecord[];
}
