/**
 * How a delivery reached the receiver: the webhook middleware or `handleWebhook` (`http`), a queue
 * worker (`queue`: the context carries an `attempt`), or `handle(body)` called directly (`direct`).
 */
export type DeliveryTransport = "http" | "queue" | "direct";

/** The timed steps of a delivery: signature check, parse (hydrate and validate), the handler. */
export type DeliveryPhase = "verify" | "parse" | "handler";

/**
 * How one delivery ended, the `outcome` label of `cactus_events_received_total` and of every log line:
 * - `handled`: the handler ran and succeeded; `duplicate`: already handled, nothing ran;
 * - `stale`: older than the newest handled event of its object and skipped by its type's policy (200);
 * - `in_progress`: another delivery of the event is running (409); `queued`: stored for a worker (202);
 * - `rejected_signature`: a missing, stale or wrong signature (401);
 * - `invalid`: a body that is not JSON, or a known type with a wrong shape (400);
 * - `handler_failed`: the handler threw (500); `timeout`: it ran past `handlerTimeoutMs` (503);
 * - `rejected_request`: not a delivery (wrong path, method, content type, size; 4xx);
 * - `error`: anything else (the idempotency store is down, the receiver is shutting down; 5xx).
 */
export type DeliveryOutcome =
  | "handled"
  | "duplicate"
  | "stale"
  | "in_progress"
  | "queued"
  | "rejected_signature"
  | "invalid"
  | "handler_failed"
  | "timeout"
  | "rejected_request"
  | "error";

/** Every {@link DeliveryOutcome}, for dashboards and tests. */
export const deliveryOutcomes: readonly DeliveryOutcome[] = Object.freeze([
  "handled",
  "duplicate",
  "stale",
  "in_progress",
  "queued",
  "rejected_signature",
  "invalid",
  "handler_failed",
  "timeout",
  "rejected_request",
  "error",
]);

/** What is known when a delivery starts. */
export interface DeliveryStart {
  /** How it arrived. */
  readonly transport: DeliveryTransport;
  /** The `webhook-id` header (the event id), when there is one. */
  readonly deliveryId: string | undefined;
  /** Which attempt this is (1 for the first), when a queue worker says so. */
  readonly attempt: number | undefined;
  /** The W3C `traceparent` the delivery continues, when it brought one. */
  readonly traceparent: string | undefined;
}

/** The event, once parsed. */
export interface DeliveryEvent {
  /** The event id. */
  readonly eventId: string;
  /** The event type as sent (may be a type this SDK does not know). */
  readonly eventType: string;
  /** A bounded label: the type when this SDK knows it, else `"unknown"`. Use it for metrics. */
  readonly typeLabel: string;
}

/** How a delivery ended. */
export interface DeliveryEnd {
  /** See {@link DeliveryOutcome}. */
  readonly outcome: DeliveryOutcome;
  /** A known event type, or `"unknown"` (also when the event was never parsed). */
  readonly typeLabel: string;
  /** Seconds from the start of the delivery to its answer. */
  readonly durationSeconds: number;
  /** The error behind a failed outcome. */
  readonly error?: unknown;
}

/** One delivery seen by an instrumentation (see {@link CactusInstrumentation.startDelivery}). */
export interface DeliveryTracker {
  /** The event was parsed: its id and type are known from now on. */
  identify?(event: DeliveryEvent): void;
  /** Runs one step of the delivery (e.g. inside a child span) and returns what `run` returns. */
  phase?<T>(phase: DeliveryPhase, run: () => T): T;
  /** The W3C `traceparent` of this delivery's own span: what a queue hands on to its worker. */
  traceparent?(): string | undefined;
  /** The delivery was answered (its handler may still run on after a timeout). */
  end(end: DeliveryEnd): void;
}

/** One attempt of a Cactus API request (each retry is an attempt of its own). */
export interface ApiCallStart {
  /** HTTP method. */
  readonly method: "GET";
  /** A route template, never the raw path: `/v2/events/{id}`, `/v1/orders/{id}`, `/v1/movies/{id}`, `/v2/events`, or `other`. */
  readonly endpoint: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
}

/** How an API attempt ended. */
export interface ApiCallEnd {
  /** The HTTP status (`"200"`, `"404"`, ...), or `"timeout"` / `"connection_error"` when no answer came. */
  readonly status: string;
  /** Seconds the attempt took, body included. */
  readonly durationSeconds: number;
  /** The typed error of a failed attempt. */
  readonly error?: unknown;
}

/** One API attempt seen by an instrumentation. */
export interface ApiCallTracker {
  /** The attempt finished. */
  end(end: ApiCallEnd): void;
}

/**
 * The hooks metrics and tracing plug into. Every method is optional, and nothing is called when no
 * instrumentation is configured. `cactus-sdk/prometheus` and `cactus-sdk/otel` implement it; write
 * your own to feed another system.
 *
 * @example
 * ```ts
 * const counting: CactusInstrumentation = {
 *   startDelivery: () => ({ end: ({ outcome, typeLabel }) => stats.increment(`cactus.${typeLabel}.${outcome}`) }),
 * };
 * new MyHandler(client, { instrumentation: counting });
 * ```
 */
export interface CactusInstrumentation {
  /** A delivery starts; return a tracker to follow it, or `undefined` to ignore it. */
  startDelivery?(start: DeliveryStart): DeliveryTracker | undefined;
  /**
   * An attempt of a Cactus API request starts. `delivery` is this instrumentation's tracker of the
   * delivery whose handler made the call, if any (a tracer makes its span the parent).
   */
  startApiCall?(call: ApiCallStart, delivery: DeliveryTracker | undefined): ApiCallTracker | undefined;
  /**
   * A handler succeeded but the idempotency store could not record it (also reported to
   * `onError`): a redelivery may run the handler again. `cactus-sdk/prometheus` counts these.
   */
  commitFailed?(failure: CommitFailure): void;
  /**
   * A saga instance moved (see {@link SagaTransition}), after the change was committed, except
   * `compensated` which is reported as soon as the compensation resolved. `cactus-sdk/prometheus`
   * counts these as `cactus_saga_transitions_total{saga,transition}`; `cactus-sdk/otel` adds them
   * as events to the active span.
   */
  sagaTransition?(transition: SagaTransition): void;
}

/**
 * What happened to a saga instance: `started` (created by its first event), `applied` (an event
 * applied to a running instance), `completed` / `failed` (ended), `compensated` (one compensation
 * ran and resolved), `timeout` (a deadline fired `onTimeout`).
 */
export type SagaTransitionKind = "started" | "applied" | "completed" | "failed" | "compensated" | "timeout";

/** One saga transition, as {@link CactusInstrumentation.sagaTransition} sees it. */
export interface SagaTransition {
  /** The saga's name (bounded: one per saga class). */
  readonly saga: string;
  /** See {@link SagaTransitionKind}. */
  readonly transition: SagaTransitionKind;
  /** The instance (the related object's id; not for metric labels: unbounded). */
  readonly objectId: string;
  /** The event applied, when an event (not a deadline) caused it. */
  readonly eventId: string | undefined;
  /** The deadline's name for `timeout`, the step's for `compensated`. */
  readonly detail: string | undefined;
}

/**
 * Why a handler's success could not be recorded by the idempotency store (the delivery was still
 * answered 2xx): `store_failed` (the store erred or did not answer in time), or a commit after
 * the lease expired, `lease_expired_recorded` / `lease_expired_handled_elsewhere` /
 * `lease_expired_held_elsewhere` (see `CactusLeaseExpiredError`).
 */
export type CommitFailureReason = "store_failed" | "lease_expired_recorded" | "lease_expired_handled_elsewhere" | "lease_expired_held_elsewhere";

/** A commit that failed, as {@link CactusInstrumentation.commitFailed} sees it. */
export interface CommitFailure {
  /** Why. */
  readonly reason: CommitFailureReason;
  /** A known event type, or `"unknown"`. */
  readonly typeLabel: string;
  /** The event id (not for metric labels: unbounded). */
  readonly eventId: string;
}

/** One instrumentation, or several (each sees everything). */
export type CactusInstrumentationOption = CactusInstrumentation | readonly CactusInstrumentation[];

/** Several instrumentations as one; `undefined` for none, so the hot path can skip every hook. */
export function combineInstrumentation(option: CactusInstrumentationOption | undefined): CactusInstrumentation | undefined {
  if (option === undefined) return undefined;
  const list: readonly CactusInstrumentation[] = isList(option) ? option : [option];
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  return {
    startDelivery(start) {
      const parts = list.map((item) => item.startDelivery?.(start));
      return parts.some((part) => part !== undefined) ? new CombinedTracker(parts) : undefined;
    },
    startApiCall(call, delivery) {
      const parents = delivery instanceof CombinedTracker ? delivery.parts : [];
      const parts = list.map((item, index) => item.startApiCall?.(call, parents[index]));
      return { end: (end) => parts.forEach((part) => part?.end(end)) };
    },
    commitFailed(failure) {
      for (const item of list) item.commitFailed?.(failure);
    },
    sagaTransition(transition) {
      for (const item of list) item.sagaTransition?.(transition);
    },
  };
}

function isList(option: CactusInstrumentationOption): option is readonly CactusInstrumentation[] {
  return Array.isArray(option);
}

class CombinedTracker implements DeliveryTracker {
  constructor(readonly parts: readonly (DeliveryTracker | undefined)[]) {}

  identify(event: DeliveryEvent): void {
    for (const part of this.parts) part?.identify?.(event);
  }

  phase<T>(phase: DeliveryPhase, run: () => T): T {
    // The first instrumentation's phase is the outermost.
    let inner = run;
    for (let index = this.parts.length - 1; index >= 0; index -= 1) {
      const part = this.parts[index];
      const next = inner;
      if (part?.phase !== undefined) inner = () => part.phase!(phase, next);
    }
    return inner();
  }

  traceparent(): string | undefined {
    for (const part of this.parts) {
      const value = part?.traceparent?.();
      if (value !== undefined) return value;
    }
    return undefined;
  }

  end(end: DeliveryEnd): void {
    for (const part of this.parts) part?.end(end);
  }
}
