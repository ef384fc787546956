// The plain switch style, grown up: one exported function per event type (each testable on its
// own) and one `switch` on parseEventV2's result that routes to them. No SDK class to learn;
// exhaustiveness comes from the `never` in the default branch. Compare docs/choosing-a-style.md.
import {
  UnknownPushedEvent,
  type BaseThinEvent,
  type CactusClient,
  type EventBody,
  type MovieCompletedPushedEvent,
  type MovieStartedPushedEvent,
  type OrderDeliveryAttemptedPushedEvent,
  type OrderLostPushedEvent,
  type OrderShippedPushedEvent,
} from "../../lib";

/** Where a handler writes its one line per event. */
export type Log = (line: string) => void;

/**
 * Handles one webhook body: parse, then exactly one function per event.
 *
 * @example
 * ```ts
 * await handleActivity(client, console.log, req.body);
 * ```
 */
export async function handleActivity(client: CactusClient, log: Log, body: EventBody): Promise<void> {
  const event = client.parseEventV2(body);
  if (event instanceof UnknownPushedEvent) return other(event, log);
  switch (event.type) {
    case "order.shipped":
      return orderShipped(event, log);
    case "order.delivery_attempted":
      return orderDeliveryAttempted(event, log);
    case "order.lost":
      return orderLost(event, log);
    case "movie.started":
      return movieStarted(event, log);
    case "movie.completed":
      return movieCompleted(event, log);
    default: {
      // A catalog type without a case makes this a compile error.
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** `order.shipped`: the carrier from the pulled data, the item count from the related order. */
export async function orderShipped(event: OrderShippedPushedEvent, log: Log): Promise<void> {
  const [full, order] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
  log(`${event.type}: order ${order.id} (${order.numItems} items) shipped with ${full.data.shippingService}`);
}

/** `order.delivery_attempted`: the attempt, from the pulled data. */
export async function orderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent, log: Log): Promise<void> {
  const { data } = await event.pull();
  const outcome = data.success ? "delivered" : "failed";
  log(`${event.type}: attempt #${data.attemptNum} at ${data.deliveryLocation} ${outcome} for order ${event.relatedObject.id}`);
}

/** `order.lost`: no related object, only the pulled data. */
export async function orderLost(event: OrderLostPushedEvent, log: Log): Promise<void> {
  const { data } = await event.pull();
  log(`${event.type}: parcel lost, last seen in ${data.lastSeenCity}`);
}

/** `movie.started`: the start time from the pulled data, the title from the related movie. */
export async function movieStarted(event: MovieStartedPushedEvent, log: Log): Promise<void> {
  const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
  log(`${event.type}: "${movie.title}" (${movie.releaseYear}) started at ${full.data.date.toISOString()}`);
}

/** `movie.completed`: the rating from the pulled data, the title from the related movie. */
export async function movieCompleted(event: MovieCompletedPushedEvent, log: Log): Promise<void> {
  const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
  log(`${event.type}: ${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
}

/** Types this SDK does not know: noted, not thrown (throwing would make Cactus redeliver for days). */
export async function other(event: BaseThinEvent, log: Log): Promise<void> {
  log(`${event.type}: not a type this handler knows; kept for later (event ${event.id})`);
}
