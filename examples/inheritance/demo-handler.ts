import {
  CactusHandler,
  type BaseThinEvent,
  type CactusClient,
  type MovieCompletedPushedEvent,
  type MovieStartedPushedEvent,
  type OrderDeliveryAttemptedPushedEvent,
  type OrderLostPushedEvent,
  type OrderShippedPushedEvent,
} from "../../lib";

/**
 * The demo's handler: one override per event type, one printed line per event. Some facts live on
 * the pulled event's `data` (rating, carrier), others on the related object (title, item count).
 */
export class DemoHandler extends CactusHandler {
  constructor(
    client: CactusClient,
    private readonly log: (line: string) => void,
  ) {
    super(client);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    const [full, order] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: order ${order.id} (${order.numItems} items) shipped with ${full.data.shippingService}`);
  }

  override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    const { data } = await event.pull();
    const outcome = data.success ? "delivered" : "failed";
    this.log(`${event.type}: attempt #${data.attemptNum} at ${data.deliveryLocation} ${outcome} for order ${event.relatedObject.id}`);
  }

  override async onOrderLost(event: OrderLostPushedEvent): Promise<void> {
    const { data } = await event.pull();
    this.log(`${event.type}: parcel lost, last seen in ${data.lastSeenCity}`);
  }

  override async onMovieStarted(event: MovieStartedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: "${movie.title}" (${movie.releaseYear}) started at ${full.data.date.toISOString()}`);
  }

  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: ${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    this.log(`${event.type}: not a type this handler knows; kept for later (event ${event.id})`);
  }
}
