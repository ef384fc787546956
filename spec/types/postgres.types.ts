// Type tests for the event store: compiled by `tsc --noEmit` in `npm test`, never run.
// Each `@ts-expect-error` line must fail to compile.
import { PGlite } from "@electric-sql/pglite";
import { Client, Pool } from "pg";
import { CactusHandler, type CactusEventContext, type IdempotencyStore, type OrderDeliveryAttemptedPushedEvent, type OrderShippedPushedEvent, type PushedThinEvent } from "../../lib";
import { PostgresEventStore, type CactusTransaction, type StoredEventStatus } from "../../lib/postgres";

declare const pool: Pool;
declare const pglite: PGlite;
declare const client: Client;

// A pg.Pool and a PGlite both fit; a single pg.Client does not (it cannot run two transactions at once).
const store = new PostgresEventStore({ db: pool, transactional: true });
new PostgresEventStore({ db: pglite, schema: "shop" });
// @ts-expect-error a pg.Client is not a pool
new PostgresEventStore({ db: client });
// @ts-expect-error db is required
new PostgresEventStore({ schema: "shop" });

// It drops in wherever an IdempotencyStore goes.
const idempotency: IdempotencyStore = store;
void idempotency;

// history narrows to the types asked for; without types it is every pushed event.
async function histories(): Promise<void> {
  const shipped: OrderShippedPushedEvent[] = await store.history("ord_456", { types: ["order.shipped"] });
  const two: (OrderShippedPushedEvent | OrderDeliveryAttemptedPushedEvent)[] = await store.history("ord_456", { types: ["order.shipped", "order.delivery_attempted"] });
  const all: PushedThinEvent[] = await store.history("ord_456");
  // @ts-expect-error an order.shipped history holds no delivery attempts
  const wrong: OrderDeliveryAttemptedPushedEvent[] = await store.history("ord_456", { types: ["order.shipped"] });
  const count: number = await store.fold("ord_456", (n: number, event) => n + (event.type === "order.shipped" ? 1 : 0), 0);
  const status: StoredEventStatus | undefined = (await store.get("evt_1"))?.status;
  // @ts-expect-error not a status
  await store.list({ status: "done" });
  void [shipped, two, all, wrong, count, status];
}
void histories;

// Handlers get the transaction, typed, on their context.
export class Shipments extends CactusHandler {
  override async onOther(): Promise<void> {}

  override async onOrderShipped(event: OrderShippedPushedEvent, context: CactusEventContext): Promise<void> {
    const tx: CactusTransaction | undefined = context.transaction;
    const { rows } = (await tx?.query<{ id: number }>("insert into shipments (order_id) values ($1) returning id", [event.relatedObject.id])) ?? { rows: [] };
    const id: number | undefined = rows[0]?.id;
    // @ts-expect-error the row type says id is a number
    const name: string | undefined = rows[0]?.id;
    // @ts-expect-error context.transaction is read-only
    context.transaction = undefined;
    void [id, name];
  }
}
