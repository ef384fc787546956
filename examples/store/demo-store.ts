// `npm run demo -- --store`: the demo on the event store, embedded. PGlite in memory (no server),
// the Cactus API emulator, and ActivityHandler with a PostgresEventStore as its idempotency store,
// transactional: each order.shipped event also inserts a shipment row through context.transaction.
// One delivery of every event type, one redelivery (answered as a duplicate), then the history of
// the fixture order, read back from the store.
import { PGlite } from "@electric-sql/pglite";
import { CactusClient, cactusEventTypes, type CactusEventContext, type OrderShippedPushedEvent } from "../../lib";
import { CactusEmulator } from "../../lib/emulator";
import { FIXTURE_ORDER, fixtureEventId, UNKNOWN_FIXTURE_TYPE } from "../../lib/emulator/fixtures";
import { PostgresEventStore } from "../../lib/postgres";
import { ActivityHandler } from "../inheritance/activity-handler";

/** ActivityHandler, plus the app's own write in the event's transaction. */
class ShipmentHandler extends ActivityHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent, context?: CactusEventContext): Promise<void> {
    await super.onOrderShipped(event);
    // Commits together with the event's "handled" mark, or not at all.
    await context?.transaction?.query("INSERT INTO shipments (event_id, order_id) VALUES ($1, $2)", [event.id, event.relatedObject.id]);
  }
}

/** What the store demo did. */
export interface StoreDemoResult {
  /** Deliveries handled (one per event type). */
  readonly handled: number;
  /** Redeliveries answered as duplicates. */
  readonly duplicates: number;
  /** The fixture order's timeline, from the store. */
  readonly timeline: readonly string[];
  /** Rows in the app's shipments table. */
  readonly shipments: number;
}

/** Runs the store demo, printing through `log`. */
export async function runStoreDemo(log: (line: string) => void = console.log): Promise<StoreDemoResult> {
  const db = new PGlite();
  const emulator = await CactusEmulator.start();
  try {
    const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const store = new PostgresEventStore({ db, transactional: true, client });
    const { from, to } = await store.migrate();
    await db.query("CREATE TABLE shipments (event_id text PRIMARY KEY, order_id text NOT NULL)");
    log(`Event store on PGlite (in memory), schema "${store.schema}" migrated from version ${from} to ${to}`);
    const handler = new ShipmentHandler(client, (line) => log(`  ${line}`), { idempotency: store });
    const types: string[] = [...cactusEventTypes, UNKNOWN_FIXTURE_TYPE];
    let handled = 0;
    for (const type of types) {
      const body = JSON.stringify(emulator.thinEventOf(fixtureEventId(type)));
      log(`-> ${body}`);
      const result = await handler.handle(body);
      if (result.outcome === "handled") handled += 1;
      log(`   ${result.outcome} by ${result.handledBy}`);
    }
    // Cactus delivers at least once: the same event again runs nothing.
    const again = JSON.stringify(emulator.thinEventOf(fixtureEventId("order.shipped")));
    log(`-> (redelivery) ${again}`);
    const redelivered = await handler.handle(again);
    log(`   ${redelivered.outcome}: nothing ran`);
    const duplicates = redelivered.outcome === "duplicate" ? 1 : 0;

    const record = await store.get(fixtureEventId("order.shipped"));
    log(`Event ${record?.eventId}: ${record?.status} by ${record?.handledBy}, ${record?.deliveries} deliveries, ${record?.attempts.length} attempt(s)`);
    log(`History of order ${FIXTURE_ORDER.id}:`);
    const timeline = await store.fold(
      FIXTURE_ORDER.id,
      (lines: string[], event) => [...lines, `${event.type} (${event.id})`],
      [],
    );
    for (const [index, line] of timeline.entries()) log(`  ${index + 1}. ${line}`);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM shipments");
    const shipments = rows[0]?.n ?? 0;
    log(`Shipments table: ${shipments} row(s), written in the events' transactions`);
    return { handled, duplicates, timeline, shipments };
  } finally {
    await emulator.close();
    await db.close();
  }
}

/** Throws unless the demo handled every event, answered the redelivery as a duplicate and printed the order's history. */
export function assertStoreDemo(result: StoreDemoResult): void {
  const expected = cactusEventTypes.length + 1;
  if (result.handled !== expected || result.duplicates !== 1 || result.timeline.length < 2 || result.shipments !== 1) {
    throw new Error(`The store demo went wrong: ${JSON.stringify(result)}`);
  }
}
