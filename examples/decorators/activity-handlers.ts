// The decorator style: a plain class (no SDK base class) whose methods carry @On; a router
// subscribes an instance. The class gets its dependencies by constructor, as with any DI
// container, and each method can be unit-tested by calling it.
import {
  CactusRouter,
  On,
  OnOther,
  type CactusClient,
  type MovieCompletedPushedEvent,
  type MovieStartedPushedEvent,
  type OrderDeliveryAttemptedPushedEvent,
  type OrderLostPushedEvent,
  type OrderShippedPushedEvent,
  type PushedThinEvent,
} from "../../lib";

/**
 * The handler of examples/migration/after.ts as decorated methods; one line per event with `log`.
 *
 * @example
 * ```ts
 * const router = new CactusRouter(client).register(new ActivityHandlers(console.log));
 * await router.handle(req.body);
 * ```
 */
export class ActivityHandlers {
  /** @param log where lines go */
  constructor(private readonly log: (line: string) => void) {}

  /** The carrier from the pulled data, the item count from the related order. */
  @On("order.shipped")
  async shipped(event: OrderShippedPushedEvent): Promise<void> {
    const [full, order] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: order ${order.id} (${order.numItems} items) shipped with ${full.data.shippingService}`);
  }

  /** The attempt, from the pulled data. */
  @On("order.delivery_attempted")
  async deliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    const { data } = await event.pull();
    const outcome = data.success ? "delivered" : "failed";
    this.log(`${event.type}: attempt #${data.attemptNum} at ${data.deliveryLocation} ${outcome} for order ${event.relatedObject.id}`);
  }

  /** No related object for order.lost: only the pulled data. */
  @On("order.lost")
  async lost(event: OrderLostPushedEvent): Promise<void> {
    const { data } = await event.pull();
    this.log(`${event.type}: parcel lost, last seen in ${data.lastSeenCity}`);
  }

  /** The start time from the pulled data, the title from the related movie. */
  @On("movie.started")
  async started(event: MovieStartedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: "${movie.title}" (${movie.releaseYear}) started at ${full.data.date.toISOString()}`);
  }

  /** The rating from the pulled data, the title from the related movie. */
  @On("movie.completed")
  async completed(event: MovieCompletedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: ${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
  }

  /** Types this SDK does not know: noted, not thrown, so the webhook answers 2xx. */
  @OnOther()
  other(event: PushedThinEvent): void {
    this.log(`${event.type}: not a type this handler knows; kept for later (event ${event.id})`);
  }
}

/**
 * A router with {@link ActivityHandlers} registered.
 *
 * @example
 * ```ts
 * await createDecoratedRouter(client, console.log).handle(req.body);
 * ```
 */
export function createDecoratedRouter(client: CactusClient, log: (line: string) => void): CactusRouter {
  return new CactusRouter(client).register(new ActivityHandlers(log));
}
