// Type-level behaviour of ordering, the stale guard, replay and catch-up.
import { CactusClient, CactusHandler, type CactusEventContext, type OrderShippedPushedEvent } from "../../lib";
import { PostgresEventStore, type NewerHandledEvent, type ReplaySummary, type StaleEventPolicy } from "../../lib/postgres";

declare const store: PostgresEventStore;
const client = new CactusClient({ apiKey: "sk_test_types" });

export class Orders extends CactusHandler {
  override async onOther(): Promise<void> {}

  override async onOrderShipped(event: OrderShippedPushedEvent, context: CactusEventContext): Promise<void> {
    const created: Date | undefined = event.created;
    const late: boolean | undefined = context.outOfOrder;
    const newer: NewerHandledEvent | undefined = context.newerHandled;
    const when: Date | undefined = newer?.created;
    const replay: boolean | undefined = context.replay;
    // @ts-expect-error created may be absent (older senders)
    const always: Date = event.created;
    // @ts-expect-error the context is read-only
    context.outOfOrder = false;
    void [created, late, when, replay, always];
  }
}

new Orders(client, { idempotency: store, ordering: "per-object", stale: { "order.shipped": "skip", "*": "deliver" } });
new Orders(client, { idempotency: store, stale: "skip" });
// @ts-expect-error not an ordering
new Orders(client, { idempotency: store, ordering: "fifo" });
// @ts-expect-error not a stale policy
new Orders(client, { idempotency: store, stale: { "order.shipped": "drop" } });
const policy: StaleEventPolicy = "deliver";

export async function replays(): Promise<void> {
  const summary: ReplaySummary = await store.replay(new Orders(client), { type: "order.shipped", status: "failed", since: new Date(), dryRun: true });
  // @ts-expect-error not a stored status
  await store.replay(new Orders(client), { status: "done" });
  // @ts-expect-error catchUp needs since
  await store.catchUp(new Orders(client), {});
  void [summary, policy];
}
