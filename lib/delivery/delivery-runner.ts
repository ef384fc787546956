import type { PushedThinEvent } from "../events/catalog";
import type { IdempotencyStore } from "./idempotency-store";
import type { CactusTransaction } from "./transaction";

/** Where a delivery came from: a webhook, a queue worker, a replay, a catch-up from the API, or a direct `handle(body)` call. */
export type DeliverySource = "webhook" | "queue" | "replay" | "catch_up" | "direct";

/** What a receiver does with an event older than the newest handled one of its object: run it (flagged), or skip it. */
export type StaleEventPolicy = "deliver" | "skip";

/** `ordering: "none"` (the default) or `"per-object"`: no two events of one related object run at once. */
export type EventOrdering = "none" | "per-object";

/** The newest handled event of a related object, as a stale event's handler sees it. */
export interface NewerHandledEvent {
  /** Its id. */
  readonly id: string;
  /** Its type. */
  readonly type: string;
  /** Its `created` (or, for an event that carried none, when it was received). */
  readonly created: Date;
}

/** What a runner tells the handler about the event's place in its object's order. */
export interface RunnerOrder {
  /** The event is older than the newest handled one of its object. */
  readonly outOfOrder: boolean;
  /** That newest handled one, when `outOfOrder`. */
  readonly newerHandled: NewerHandledEvent | undefined;
  /** The run is a replay (`store.replay`, `cactus replay`). */
  readonly replay: boolean;
}

/** What the handlers of one event report: one label per handler that ran (the pipeline's dispatch result). */
export interface RunnerResult {
  /** e.g. `["onOrderShipped"]`. */
  readonly handlers: readonly string[];
}

/** What a {@link DeliveryRunner} learns about one delivery besides its event. */
export interface RunnerDelivery {
  /** Where it came from. */
  readonly source: DeliverySource;
  /** The lease to take on the event, in ms (the receiver's `leaseMs`). */
  readonly leaseMs: number;
  /** The receiver's `ordering`. Default `"none"`. */
  readonly ordering?: EventOrdering | undefined;
  /** The receiver's stale policy for this event's type. Default `"deliver"`. */
  readonly stale?: StaleEventPolicy | undefined;
}

/**
 * The optional capability of a store that runs a whole delivery itself (claim, the handler,
 * commit or release), for stores that record every event and attempt or run the handler in a
 * database transaction. The pipeline hands it the parsed event and a `dispatch` that runs the
 * handlers (given the transaction, if any); the store resolves with the dispatch's result, or
 * `"duplicate"` when the event was handled already, and rejects as the claim step would
 * (`CactusEventInProgressError`, a store error) or with the handler's error.
 */
export abstract class DeliveryRunner {
  /**
   * @param event the parsed event
   * @param delivery where it came from and the lease to take
   * @param dispatch runs the handlers (given the transaction and the event's order); rejects with a `CactusHandlerError`
   * @param onLateError where a failure the answer cannot carry goes (the receiver's `onError`)
   * @returns the dispatch's result, `"duplicate"` (handled already) or `"stale"` (older than its object's newest handled event, skipped by policy)
   */
  abstract run<R extends RunnerResult>(
    event: PushedThinEvent,
    delivery: RunnerDelivery,
    dispatch: (transaction: CactusTransaction | undefined, order?: RunnerOrder) => Promise<R>,
    onLateError: (error: unknown) => void,
  ): Promise<R | "duplicate" | "stale">;
}

/** The key under which a store exposes its {@link DeliveryRunner}. */
export const DELIVERY_RUNNER: unique symbol = Symbol("cactus.deliveryRunner");

/** The store's {@link DeliveryRunner}, when it has one (stores that only claim, commit and release do not). */
export function deliveryRunnerOf(store: IdempotencyStore): DeliveryRunner | undefined {
  const holder: IdempotencyStore & { readonly [DELIVERY_RUNNER]?: unknown } = store;
  const runner = holder[DELIVERY_RUNNER];
  return runner instanceof DeliveryRunner ? runner : undefined;
}
