// `npm run demo -- --saga`: the order fulfilment saga on the event store, embedded (PGlite in memory)
// with the Cactus API emulator. Four orders, each through a transactional PostgresEventStore:
// one delivered, one refunded after three failed attempts, one lost (re-shipped and refunded), one
// with no news for 3 days (a ticket, fired by store.runDueTimeouts()). A redelivery is answered
// as a duplicate and changes nothing. Then each instance is read back with store.saga().
import { PGlite } from "@electric-sql/pglite";
import { CactusClient } from "../../lib";
import { CactusEmulator } from "../../lib/emulator";
import { PostgresEventStore } from "../../lib/postgres";
import { Fulfilment, RecordingServices, type FulfilmentState } from "./fulfilment";

/** What the saga demo did. */
export interface SagaDemoResult {
  /** Each order's status and state, from the store. */
  readonly orders: Readonly<Record<string, { readonly status: string; readonly state: FulfilmentState }>>;
  /** Every call the saga made to the outside world. */
  readonly calls: readonly string[];
  /** Redeliveries answered as duplicates. */
  readonly duplicates: number;
}

const DAY = 86_400_000;

/** Runs the saga demo, printing through `log`. */
export async function runSagaDemo(log: (line: string) => void = console.log): Promise<SagaDemoResult> {
  const db = new PGlite();
  const emulator = await CactusEmulator.start();
  try {
    const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const store = new PostgresEventStore({ db, transactional: true, client });
    await store.migrate();
    log(`Event store on PGlite (in memory), schema "${store.schema}" migrated (event and saga tables)`);
    const services = new RecordingServices();
    const saga = new Fulfilment(client, services, { idempotency: store });
    const send = async (type: string, orderId: string | null, data: Record<string, string | number | boolean> = {}) => {
      const event = emulator.createEvent(type, { data, ...(orderId === null ? {} : { related_object: { id: orderId, type: "order" } }) });
      const body = JSON.stringify(emulator.thinEventOf(event.id));
      const result = await saga.handle(body);
      log(`-> ${type}${orderId === null ? "" : ` ${orderId}`}: ${result.outcome} by ${result.handledBy}`);
      return body;
    };
    for (const id of ["ord_delivered", "ord_refunded", "ord_lost", "ord_silent"]) {
      emulator.addOrder({ id, created: "2026-12-01T10:00:00.000Z", num_items: 1, cost_cents: 1999, delivery_date: "2026-12-08" });
      await send("order.shipped", id, { shipping_service: "usps" });
    }
    await send("order.delivery_attempted", "ord_delivered", { success: true, attempt_num: 1, delivery_location: "front door" });
    for (let n = 1; n <= 3; n++) await send("order.delivery_attempted", "ord_refunded", { success: false, attempt_num: n, delivery_location: "depot" });
    services.lastSeen.set("Reims", "ord_lost");
    const lost = await send("order.lost", null, { last_seen_city: "Reims" });
    const again = await saga.handle(lost);
    log(`-> (redelivery of order.lost) ${again.outcome}: nothing ran`);
    await send("order.delivery_attempted", "ord_lost", { success: true, attempt_num: 1, delivery_location: "mailbox" });
    const { fired } = await store.runDueTimeouts({ now: new Date(Date.now() + 3 * DAY + 1_000) });
    log(`3 days later: store.runDueTimeouts() fired ${fired} deadline(s)`);
    const orders: Record<string, { status: string; state: FulfilmentState }> = {};
    log("Instances (store.saga(\"fulfilment\", id)):");
    for (const id of ["ord_delivered", "ord_refunded", "ord_lost", "ord_silent"]) {
      const instance = await store.saga<FulfilmentState>("fulfilment", id);
      if (instance === undefined) continue;
      orders[id] = { status: instance.status, state: instance.state };
      log(`  ${id}: ${instance.status}, ${JSON.stringify(instance.state)}, steps ${instance.steps.map((step) => step.name).join(", ")}`);
    }
    log("Calls to the outside world:");
    for (const call of services.calls) log(`  ${call}`);
    await store.close();
    return { orders, calls: services.calls, duplicates: again.outcome === "duplicate" ? 1 : 0 };
  } finally {
    await emulator.close();
    await db.close();
  }
}

/** Throws unless the demo did what it says (the demo's exit status). */
export function assertSagaDemo(result: SagaDemoResult): void {
  const expected: Record<string, [string, Partial<FulfilmentState>]> = {
    ord_delivered: ["completed", { shipped: true, failedAttempts: 0 }],
    ord_refunded: ["completed", { failedAttempts: 3 }],
    ord_lost: ["completed", { reshipments: 1 }],
    ord_silent: ["running", {}],
  };
  for (const [id, [status, state]] of Object.entries(expected)) {
    const found = result.orders[id];
    const matches = found !== undefined && found.status === status && Object.entries(state).every(([key, value]) => Reflect.get(found.state, key) === value);
    if (!matches) throw new Error(`saga demo: ${id} is ${JSON.stringify(found)}, expected ${status} ${JSON.stringify(state)}`);
  }
  if (result.orders["ord_silent"]?.state.ticketId === null) throw new Error("saga demo: no ticket for the silent order");
  if (result.duplicates !== 1) throw new Error("saga demo: the redelivery was not answered as a duplicate");
}
