// The `handler.on_some_event(fn)` shape, as far as TypeScript goes: one registration
// method per event type, generated from the catalog, each callback typed by its type. TypeScript
// has no decorators on free functions, so Python's `@handler.on_some_event` above a `def` becomes
// this call; see examples/decorators for the decorator form (on methods).
import { CactusRouter, type CactusClient } from "../../lib";

/**
 * The same handler as examples/router/activity-router.ts, registered one method per type.
 *
 * @example
 * ```ts
 * await createShortcutStyleRouter(client, console.log).handle(req.body);
 * ```
 */
export function createShortcutStyleRouter(client: CactusClient, log: (line: string) => void): CactusRouter {
  const handler = new CactusRouter(client);

  handler.onOrderShipped(async (event) => {
    const [full, order] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    log(`${event.type}: order ${order.id} (${order.numItems} items) shipped with ${full.data.shippingService}`);
  });

  handler.onOrderDeliveryAttempted(async (event) => {
    const { data } = await event.pull();
    const outcome = data.success ? "delivered" : "failed";
    log(`${event.type}: attempt #${data.attemptNum} at ${data.deliveryLocation} ${outcome} for order ${event.relatedObject.id}`);
  });

  handler.onOrderLost(async (event) => {
    const { data } = await event.pull();
    log(`${event.type}: parcel lost, last seen in ${data.lastSeenCity}`);
  });

  handler.onMovieStarted(async (event) => {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    log(`${event.type}: "${movie.title}" (${movie.releaseYear}) started at ${full.data.date.toISOString()}`);
  });

  handler.onMovieCompleted(async (event) => {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    log(`${event.type}: ${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
  });

  handler.onOther((event) => {
    log(`${event.type}: not a type this handler knows; kept for later (event ${event.id})`);
  });

  return handler;
}
