import type { IdempotencyStore } from "./idempotency-store";
import type { PushedThinEvent } from "../events/catalog";
import type { EventBody } from "../events/json";

/**
 * How a delivery ended well:
 * - `handled`: the handler ran and succeeded (the claim is committed);
 * - `duplicate`: the event was already handled (idempotency store); nothing ran;
 * - `queued`: a queue stored it for a worker to handle;
 * - `stale`: older than the newest handled event of its object, and its type's stale policy is `skip`; nothing ran.
 */
export type HandleOutcome = "handled" | "duplicate" | "queued" | "stale";

/**
 * What `handle(body)`, `handleWebhook(rawBody, headers)` and the middleware's receiver resolve to.
 * Failures reject instead (a typed `CactusError`), so a resolved result is always safe to answer 2xx.
 *
 * @example
 * ```ts
 * const { event, outcome, handledBy } = await handler.handle(body);
 * if (outcome === "duplicate") console.log(`${event.id} was already handled`);
 * ```
 */
export interface HandleResult {
  /** The parsed event. */
  readonly event: PushedThinEvent;
  /** How it ended; see {@link HandleOutcome}. */
  readonly outcome: HandleOutcome;
  /**
   * Which method (or router subscriptions, joined with `", "`) handled it, e.g. `onMovieCompleted`
   * or `onOther`; `""` when nothing ran (`duplicate`, `queued`).
   */
  readonly handledBy: string;
  /** The same as a list: one entry per handler that ran, in the order they were started. */
  readonly handlers: readonly string[];
}

/** What a receiver's dispatch step reports: the handlers that ran for one event. */
export interface DispatchResult {
  /** One label per handler that ran, e.g. `["onOrderShipped"]` or `["order.* (audit)", "*"]`. */
  readonly handlers: readonly string[];
}

/**
 * Called for every failure the caller cannot see in the answer (a handler that failed after its
 * delivery timed out, a store that could not record a success) and, in the middleware, for every
 * non-2xx answer, with the status answered.
 */
export type CactusErrorReporter = (error: unknown, status: number) => void;

/** What one delivery brings besides its body; every field is optional. */
export interface DeliveryContext {
  /** The `webhook-id` header, for logs. */
  readonly deliveryId?: string | undefined;
  /**
   * Which attempt this is (1 for the first), when the caller knows (a queue worker does). A
   * delivery with an `attempt` is observed as a queue message (a CONSUMER span).
   */
  readonly attempt?: number | undefined;
  /** How many attempts the caller makes in all (a queue worker's `attempts`), for the failure's log line. */
  readonly maxAttempts?: number | undefined;
  /** When this attempt fails and another is left, how many milliseconds later the next one runs (for the log line). */
  readonly retryDelayMs?: number | undefined;
  /**
   * The incoming `traceparent` header (W3C Trace Context), to continue the sender's trace. The
   * middleware hands a queue its own span's context here, so the worker's span joins the trace.
   */
  readonly traceparent?: string | undefined;
  /**
   * The correlation id of the delivery's log lines: the middleware passes the resolved one (the
   * `x-correlation-id` header, else the trace id, else the event id), so a queue worker's lines
   * carry the same id as the receiving side's.
   */
  readonly correlationId?: string | undefined;
  /** Overrides the receiver's `idempotency` store for this delivery (a queue worker passes its own). */
  readonly idempotency?: IdempotencyStore | undefined;
  /** Past this many milliseconds the handler is answered `handler_timeout` (it keeps running). */
  readonly handlerTimeoutMs?: number | undefined;
  /** Where late outcomes go (overrides the receiver's `onError`). */
  readonly onError?: CactusErrorReporter | undefined;
  /**
   * Where the delivery comes from, when the caller says: `replay` (run again whatever the store
   * recorded: no duplicate answer, `context.replay` true) or `catch_up` (fetched from the API).
   * Default: from the other fields (`queue` with an `attempt`, `webhook` with a `deliveryId`).
   */
  readonly source?: "replay" | "catch_up" | undefined;
}

/**
 * Anything the webhook middleware delivers verified events to: a `CactusHandler` subclass, a
 * `CactusRouter` (both extend `CactusEventReceiver`), or a queue. The middleware verifies the
 * signature and decodes the body once, then calls `receive`.
 *
 * @example
 * ```ts
 * const receiver: WebhookReceiver = new MyHandler(client);
 * createNodeMiddleware(receiver, { webhookSecret });
 * ```
 */
export interface WebhookReceiver {
  /** Parses `body` (already verified and decoded), then claims, dispatches and commits it. */
  receive(body: EventBody, context?: DeliveryContext): Promise<HandleResult>;
}

/**
 * A receiver written before `receive` existed: anything with `handle(body)` resolving to the event
 * and what handled it. The middleware still accepts one (it runs `handle` on the verified body).
 *
 * @deprecated Extend `CactusHandler` or use `CactusRouter` (they implement {@link WebhookReceiver}),
 * or implement `receive(body, context)`.
 */
export interface HandleOnlyReceiver {
  /** Parses and dispatches one event. */
  handle(body: EventBody): Promise<{ readonly event: PushedThinEvent; readonly handledBy: string }>;
}

/** What the webhook middleware delivers to: a {@link WebhookReceiver}, or a deprecated {@link HandleOnlyReceiver}. */
export type WebhookTarget = WebhookReceiver | HandleOnlyReceiver;

/** Hands a verified body to `target`: its `receive`, else (a handle-only receiver) its `handle`. */
export function deliverTo(target: WebhookTarget, body: EventBody, context: DeliveryContext): Promise<HandleResult> {
  if ("receive" in target) return target.receive(body, context);
  return target.handle(body).then(({ event, handledBy }) => ({ event, outcome: "handled", handledBy, handlers: handledBy === "" ? [] : [handledBy] }));
}
