// The order fulfilment process as a saga: one instance per order, its state in the event store.
//   - order shipped: notify the customer, and expect news of the delivery within 3 days;
//   - a delivery attempt that succeeded: notify, done; three that failed: refund, done;
//   - the parcel lost: re-ship it and refund the shipping (the re-shipment is cancelled if the refund fails);
//   - no delivery news for 3 days: open a support ticket.
import { OrderLostPushedEvent, type CactusClient, type CactusClientOptions, type OrderDeliveryAttemptedPushedEvent, type OrderShippedPushedEvent, type PushedThinEvent } from "../../lib";
import type { CactusReceiverOptions } from "../../lib/handler";
import { CactusSaga, type SagaContext } from "../../lib/saga";

/** What the saga remembers of one order (plain JSON). */
export interface FulfilmentState {
  readonly shipped: boolean;
  readonly failedAttempts: number;
  readonly refundId: string | null;
  readonly reshipments: number;
  readonly ticketId: string | null;
}

/** The outside world the saga acts on: each call takes an idempotency key, stable across retries. */
export interface FulfilmentServices {
  notify(orderId: string, message: string, key: string): Promise<void>;
  refund(orderId: string, key: string): Promise<string>;
  reship(orderId: string, key: string): Promise<string>;
  cancelReshipment(shipmentId: string, key: string): Promise<void>;
  openTicket(orderId: string, reason: string, key: string): Promise<string>;
  /** A lost parcel carries no order: the app finds it (here, by the city it was last seen in). */
  orderLastSeenIn(city: string): Promise<string | undefined>;
}

/** The order fulfilment saga. */
export class Fulfilment extends CactusSaga<FulfilmentState> {
  override readonly sagaName = "fulfilment";

  constructor(
    client: CactusClient | CactusClientOptions,
    private readonly services: FulfilmentServices,
    options: CactusReceiverOptions = {},
  ) {
    super(client, options);
  }

  override initialState(): FulfilmentState {
    return { shipped: false, failedAttempts: 0, refundId: null, reshipments: 0, ticketId: null };
  }

  // order.lost has no related object: route it to its order (undefined: onOther).
  override async objectIdOf(event: PushedThinEvent): Promise<string | undefined> {
    if (!(event instanceof OrderLostPushedEvent)) return super.objectIdOf(event);
    const { data } = await event.pull();
    return this.services.orderLastSeenIn(data.lastSeenCity);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent, state: FulfilmentState, context: SagaContext<FulfilmentState>): Promise<FulfilmentState> {
    await context.step("notify-shipped", (key) => this.services.notify(context.objectId, `Your order ${event.relatedObject.id} is on its way`, key));
    context.expect("order.delivery_attempted", { within: "3d", name: "delivery-news" });
    return { ...state, shipped: true };
  }

  override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent, state: FulfilmentState, context: SagaContext<FulfilmentState>): Promise<FulfilmentState> {
    const { data } = await event.pull();
    if (data.success) {
      await context.step("notify-delivered", (key) => this.services.notify(context.objectId, `Delivered to ${data.deliveryLocation}`, key));
      context.complete();
      return state;
    }
    const failedAttempts = state.failedAttempts + 1;
    if (failedAttempts < 3) {
      context.expect("order.delivery_attempted", { within: "3d", name: "delivery-news" });
      return { ...state, failedAttempts };
    }
    const refundId = await context.step("refund", (key) => this.services.refund(context.objectId, key));
    context.complete();
    return { ...state, failedAttempts, refundId };
  }

  override async onOrderLost(_event: OrderLostPushedEvent, state: FulfilmentState, context: SagaContext<FulfilmentState>): Promise<FulfilmentState> {
    // Re-ship first; if the refund then fails for good, the saga fails and the re-shipment is cancelled.
    await context.step("reship", (key) => this.services.reship(context.objectId, key), (shipmentId, key) => this.services.cancelReshipment(shipmentId, key));
    const refundId = await context.step("refund-lost", (key) => this.services.refund(context.objectId, key));
    context.expect("order.delivery_attempted", { within: "3d", name: "delivery-news" });
    return { ...state, reshipments: state.reshipments + 1, refundId };
  }

  override async onTimeout(name: string, state: FulfilmentState, context: SagaContext<FulfilmentState>): Promise<FulfilmentState> {
    if (name !== "delivery-news") return state;
    const ticketId = await context.step("ticket", (key) => this.services.openTicket(context.objectId, "no delivery news for 3 days", key));
    return { ...state, ticketId };
  }
}

/** The services in memory, recording every call (the demo's and the tests'). */
export class RecordingServices implements FulfilmentServices {
  readonly calls: string[] = [];
  readonly lastSeen = new Map<string, string>();
  /** Makes the next `n` refund calls throw. */
  failRefunds = 0;
  #ids = 0;

  async notify(orderId: string, message: string): Promise<void> {
    this.calls.push(`notify ${orderId}: ${message}`);
  }
  async refund(orderId: string): Promise<string> {
    if (this.failRefunds > 0) {
      this.failRefunds -= 1;
      this.calls.push(`refund ${orderId} failed`);
      throw new RefundDeclined(orderId);
    }
    this.calls.push(`refund ${orderId}`);
    return `re_${++this.#ids}`;
  }
  async reship(orderId: string): Promise<string> {
    this.calls.push(`reship ${orderId}`);
    return `shp_${++this.#ids}`;
  }
  async cancelReshipment(shipmentId: string): Promise<void> {
    this.calls.push(`cancel ${shipmentId}`);
  }
  async openTicket(orderId: string, reason: string): Promise<string> {
    this.calls.push(`ticket ${orderId}: ${reason}`);
    return `tkt_${++this.#ids}`;
  }
  async orderLastSeenIn(city: string): Promise<string | undefined> {
    return this.lastSeen.get(city);
  }
}

/** The payment provider said no. */
export class RefundDeclined extends Error {
  constructor(orderId: string) {
    super(`refund of ${orderId} declined`);
    this.name = "RefundDeclined";
  }
}
