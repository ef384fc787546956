// The event store's set-up on PostgreSQL, as docs/event-store.md shows it: a handler whose insert
// happens exactly once. Run it with DATABASE_URL, CACTUS_API_KEY and CACTUS_WEBHOOK_SECRET set.
import { createServer } from "node:http";
import { Pool } from "pg";
import { CactusHandler, createNodeMiddleware, type CactusEventContext, type OrderShippedPushedEvent } from "../../lib";
import { PostgresEventStore } from "../../lib/postgres";

/** Records each shipment once: its insert commits with the event's "handled" mark, or not at all. */
export class Shipments extends CactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent, context: CactusEventContext): Promise<void> {
    await context.transaction?.query("INSERT INTO shipments (event_id, order_id) VALUES ($1, $2)", [event.id, event.relatedObject.id]);
  }

  override async onOther(): Promise<void> {}
}

/** Starts the receiver on port 3000. */
export async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env["DATABASE_URL"] });
  const store = new PostgresEventStore({ db: pool, transactional: true });
  await store.migrate(); // or, before deploying: npx cactus db migrate --database-url "$DATABASE_URL"
  await pool.query("CREATE TABLE IF NOT EXISTS shipments (event_id text PRIMARY KEY, order_id text NOT NULL)");

  const handler = new Shipments({ apiKey: process.env["CACTUS_API_KEY"] ?? "" }, { idempotency: store });
  createServer(createNodeMiddleware(handler, { webhookSecret: process.env["CACTUS_WEBHOOK_SECRET"] ?? "" })).listen(3000);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
