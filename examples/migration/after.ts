// The handler of before.ts, migrated (docs/migrating-from-v1.md walks through each step): parsed
// with parseEventV2, no cast anywhere, compiled under strict, every run-time error of before.ts
// gone, and a movie.completed branch. spec/examples/migration.spec.ts runs both on the emulator.
import { UnknownPushedEvent, type CactusClient, type EventBody } from "../../lib";

/**
 * Handles one webhook body, printing one line per event with `log`.
 *
 * @example
 * ```ts
 * await handleEvent(client, console.log, req.body);
 * ```
 */
export async function handleEvent(client: CactusClient, log: (line: string) => void, body: EventBody): Promise<void> {
  const event = client.parseEventV2(body);

  // A type newer than this SDK is not an error: note it and return, so the webhook answers 2xx.
  // Separating it first is also what lets the switch below narrow every case.
  if (event instanceof UnknownPushedEvent) {
    log(`${event.type}: not a type this handler knows; kept for later (event ${event.id})`);
    return;
  }

  switch (event.type) {
    case "order.shipped": {
      // The carrier is on the pulled event's data; the item count on the related order.
      const [full, order] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
      log(`${event.type}: order ${order.id} (${order.numItems} items) shipped with ${full.data.shippingService}`);
      return;
    }
    case "order.delivery_attempted": {
      const { data } = await event.pull();
      const outcome = data.success ? "delivered" : "failed";
      log(`${event.type}: attempt #${data.attemptNum} at ${data.deliveryLocation} ${outcome} for order ${event.relatedObject.id}`);
      return;
    }
    case "order.lost": {
      // No related object for order.lost: everything there is to know is on the pulled data.
      const { data } = await event.pull();
      log(`${event.type}: parcel lost, last seen in ${data.lastSeenCity}`);
      return;
    }
    case "movie.started": {
      const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
      log(`${event.type}: "${movie.title}" (${movie.releaseYear}) started at ${full.data.date.toISOString()}`);
      return;
    }
    case "movie.completed": {
      // The rating is on the pulled event's data; the title is on the related movie.
      const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
      log(`${event.type}: ${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
      return;
    }
    default: {
      // Exhaustive: when the catalog gains a type, this line stops compiling until it has a case.
      const unhandled: never = event;
      return unhandled;
    }
  }
}
