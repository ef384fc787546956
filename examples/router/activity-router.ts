// The registration style: the handler of examples/migration/after.ts as a CactusRouter with one
// function per type, no subclass. Each callback's parameter type follows from its type string.
import { CactusRouter, type CactusClient } from "../../lib";

/**
 * Builds a router that writes one line per event with `log`.
 *
 * @example
 * ```ts
 * const router = createActivityRouter(client, console.log);
 * await router.handle(req.body);
 * ```
 */
export function createActivityRouter(client: CactusClient, log: (line: string) => void): CactusRouter {
  return new CactusRouter(client)
    .on("order.shipped", async (event) => {
      const [full, order] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
      log(`${event.type}: order ${order.id} (${order.numItems} items) shipped with ${full.data.shippingService}`);
    })
    .on("order.delivery_attempted", async (event) => {
      const { data } = await event.pull();
      const outcome = data.success ? "delivered" : "failed";
      log(`${event.type}: attempt #${data.attemptNum} at ${data.deliveryLocation} ${outcome} for order ${event.relatedObject.id}`);
    })
    .on("order.lost", async (event) => {
      const { data } = await event.pull(); // no related object for order.lost
      log(`${event.type}: parcel lost, last seen in ${data.lastSeenCity}`);
    })
    .on("movie.started", async (event) => {
      const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
      log(`${event.type}: "${movie.title}" (${movie.releaseYear}) started at ${full.data.date.toISOString()}`);
    })
    .on("movie.completed", async (event) => {
      const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
      log(`${event.type}: ${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
    })
    .onOther((event) => {
      log(`${event.type}: not a type this handler knows; kept for later (event ${event.id})`);
    });
}
