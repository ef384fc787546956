// The inheritance style: the handler of examples/migration/after.ts as a subclass. It extends
// ExhaustiveCactusHandler, so when Cactus adds an event type (and this SDK's catalog with it),
// this class stops compiling until it handles the new type. Extending plain CactusHandler instead
// (see demo-handler.ts) is the same code minus that guarantee: unhandled types go to onOther.
import {
  ExhaustiveCactusHandler,
  type BaseThinEvent,
  type CactusClient,
  type CactusClientOptions,
  type CactusReceiverOptions,
  type MovieCompletedPushedEvent,
  type MovieStartedPushedEvent,
  type OrderDeliveryAttemptedPushedEvent,
  type OrderLostPushedEvent,
  type OrderShippedPushedEvent,
} from "../../lib";

/**
 * One line per event, written with `log` (injected, so a test can collect the lines).
 *
 * @example
 * ```ts
 * const handler = new ActivityHandler(client, console.log);
 * await handler.handle(req.body);
 * ```
 */
export class ActivityHandler extends ExhaustiveCactusHandler {
  /**
   * @param client the client events are parsed with; @param log where lines go
   * @param options receiver options (`webhookSecret`, `idempotency`, ...)
   */
  constructor(
    client: CactusClient | CactusClientOptions,
    private readonly log: (line: string) => void,
    options: CactusReceiverOptions = {},
  ) {
    super(client, options);
  }

  /** The carrier from the pulled data, the item count from the related order. */
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    const [full, order] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: order ${order.id} (${order.numItems} items) shipped with ${full.data.shippingService}`);
  }

  /** The attempt, from the pulled data. */
  override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    const { data } = await event.pull();
    const outcome = data.success ? "delivered" : "failed";
    this.log(`${event.type}: attempt #${data.attemptNum} at ${data.deliveryLocation} ${outcome} for order ${event.relatedObject.id}`);
  }

  /** No related object for order.lost: only the pulled data. */
  override async onOrderLost(event: OrderLostPushedEvent): Promise<void> {
    const { data } = await event.pull();
    this.log(`${event.type}: parcel lost, last seen in ${data.lastSeenCity}`);
  }

  /** The start time from the pulled data, the title from the related movie. */
  override async onMovieStarted(event: MovieStartedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: "${movie.title}" (${movie.releaseYear}) started at ${full.data.date.toISOString()}`);
  }

  /** The rating from the pulled data, the title from the related movie. */
  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.log(`${event.type}: ${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
  }

  /** Types this SDK does not know: noted, not thrown, so the webhook answers 2xx. */
  override async onOther(event: BaseThinEvent): Promise<void> {
    this.log(`${event.type}: not a type this handler knows; kept for later (event ${event.id})`);
  }
}
