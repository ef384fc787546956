import { lazyAsyncContext } from "../platform/async-context";
import { emitRuntimeWarning } from "../platform/warning";
import type { CactusTransaction } from "../delivery/transaction";
import type { NewerHandledEvent } from "../delivery/delivery-runner";
import type { CactusLogger } from "./logger";

/**
 * What `getEventContext()` gives a handler while it runs: the event and delivery it handles and a
 * logger whose lines carry the same fields as the SDK's own.
 */
export interface CactusEventContext {
  /** The event id. */
  readonly eventId: string;
  /** The event type as sent. */
  readonly eventType: string;
  /** The `webhook-id` header of the delivery, when it came through a webhook. */
  readonly deliveryId: string | undefined;
  /** Which attempt this is: 1 unless a queue worker says otherwise. */
  readonly attempt: number;
  /**
   * Ties the lines of one event together, across a queue too: the trace id of the incoming
   * `traceparent`, else the `x-correlation-id` header, else the event id.
   */
  readonly correlationId: string;
  /** The receiver's logger, bound to `eventId`, `eventType`, `deliveryId`, `attempt` and `correlationId`. */
  readonly logger: CactusLogger;
  /**
   * The database transaction the handler runs in, when the receiver's store is a transactional
   * event store (`new PostgresEventStore({ db, transactional: true })` from `cactus-sdk/postgres`):
   * writes through it commit together with the event's "handled" mark, or not at all.
   * `undefined` otherwise.
   */
  readonly transaction?: CactusTransaction | undefined;
  /**
   * `true` when the receiver's store is the event store and this event is older (by `created`,
   * else time of receipt) than the newest handled event of the same related object: it arrived
   * late. Its type's `stale` policy is `deliver` (else it would not run). `undefined` without an
   * event store or a related object.
   */
  readonly outOfOrder?: boolean | undefined;
  /** With `outOfOrder`: the newest handled event of the object (id, type, created). */
  readonly newerHandled?: NewerHandledEvent | undefined;
  /** `true` when the event store runs it again as a replay (`store.replay`, `cactus replay`). */
  readonly replay?: boolean | undefined;
}

/** Whatever holds the running delivery; it makes the public view on demand. */
export interface EventContextSource {
  /** The view handlers see. */
  eventContext(): CactusEventContext | undefined;
}

// AsyncLocalStorage from the runtime, looked up at the first delivery run in the context (not at import).
const storage = lazyAsyncContext<EventContextSource>();

// Whether any receiver was built with the context on; until one was, a getEventContext() call is
// most likely in a handler whose receiver lacks `eventContext: true`, which deserves one warning.
let contextUsed = false;
let warned = false;

/** The warning code of a `getEventContext()` call while no receiver has `eventContext` on. */
export const EVENT_CONTEXT_OFF_WARNING = "CACTUS_EVENT_CONTEXT_OFF";

/**
 * The context of the event being handled, from anywhere in its handler's async call tree (no
 * argument to pass down); `undefined` outside a handler. Works for `handle`, `handleWebhook`, the
 * middleware and queue workers alike, for receivers built with `eventContext: true` (or with
 * `instrumentation`). Called while no receiver has it on, it returns `undefined` and emits one
 * process warning (`CACTUS_EVENT_CONTEXT_OFF`) saying so.
 *
 * @example
 * ```ts
 * async function reserveStock(orderId: string) {
 *   getEventContext()?.logger.info({ orderId }, "stock reserved");
 * }
 * ```
 */
export function getEventContext(): CactusEventContext | undefined {
  if (!contextUsed && !warned) {
    warned = true;
    emitRuntimeWarning(
      "getEventContext() returns undefined: no receiver runs its deliveries in the event context. " +
        "Pass { eventContext: true } to your CactusHandler or CactusRouter (or to the middleware) to turn it on, " +
        "or use the context every handler gets as its second argument: onOrderShipped(event, context).",
      EVENT_CONTEXT_OFF_WARNING,
    );
  }
  return storage.getStore()?.eventContext();
}

/** Runs `fn` with `source` as the current delivery. */
export function runInEventContext<T>(source: EventContextSource, fn: () => T): T {
  return storage.run(source, fn);
}

/** Records that a receiver (or middleware) was configured with the event context on. */
export function eventContextConfigured(): void {
  contextUsed = true;
}

/** The current delivery, for the SDK's own hooks (the client's API calls). */
export function currentDelivery(): EventContextSource | undefined {
  return storage.getStore();
}
