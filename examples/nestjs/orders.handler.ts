import { Injectable } from "@nestjs/common";
import type { BaseThinEvent, OrderLostPushedEvent, OrderShippedPushedEvent } from "../../lib";
import { CactusClient, CactusHandler } from "../../lib/nestjs";
import { OrdersService } from "./orders.service";

/**
 * The inheritance style as a provider: Nest injects OrdersService and the module's CactusClient,
 * which goes to `super` (so `event.pull()` uses it).
 */
@Injectable()
export class OrdersHandler extends CactusHandler {
  constructor(
    private readonly orders: OrdersService,
    client: CactusClient,
  ) {
    super(client);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    const full = await event.pull();
    this.orders.record(`order ${event.relatedObject.id} shipped via ${full.data.shippingService}`);
  }

  override async onOrderLost(event: OrderLostPushedEvent): Promise<void> {
    const full = await event.pull();
    this.orders.record(`order lost near ${full.data.lastSeenCity}`);
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    this.orders.record(`not handled: ${event.type} ${event.id}`);
  }
}
