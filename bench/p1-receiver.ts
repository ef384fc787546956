// The receiver P1 measures: built in this one factory so that every option a production receiver
// would set is added in one place.
import { CactusHandler, MemoryIdempotencyStore, type BaseThinEvent, type CactusClient } from "../lib";
import { touch } from "./parse.bench";

class P1Handler extends CactusHandler {
  override async onOrderShipped(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
}

/**
 * A fresh P1 receiver (`handleWebhook`: verify + parse + hydrate + validate + dispatch, with a memory
 * idempotency claim and commit unless `store` is `"none"`). The bench
 * calls it again whenever it starts over its pool of deliveries, so event ids never repeat within
 * one receiver.
 *
 * @example
 * ```ts
 * const receiver = createP1Receiver(client, secret);
 * await receiver.handleWebhook(body, headers);
 * ```
 */
export function createP1Receiver(client: CactusClient, webhookSecret: string, store: "none" | "memory" = "memory"): CactusHandler {
  return store === "none" ? new P1Handler(client, { webhookSecret }) : new P1Handler(client, { webhookSecret, idempotency: new MemoryIdempotencyStore() });
}
