import { spawn } from "node:child_process";
import { join } from "node:path";
import { CactusClient, CactusHandler, type BaseThinEvent, type CactusEventContext, type CactusReceiverOptions } from "../../lib";
import type { OrderDeliveryAttemptedPushedEvent, OrderShippedPushedEvent } from "../../lib";
import { CactusConfigError, CactusObjectBusyError } from "../../lib/errors";
import { MemoryIdempotencyStore } from "../../lib";
import { cactusPrometheus } from "../../lib/prometheus";
import { Registry } from "prom-client";
import { errorAnswer, handledAnswer } from "../../lib/webhooks/status-table";
import { eventually } from "../delivery/controlled-handler";
import { describePostgres } from "./describe-postgres";
import { body, CREATE_EFFECTS, EFFECTS_TABLE, EffectHandler, freshId } from "./event-handlers";
import type { OrderingProcessConfig } from "./ordering/ordering-process";
import { usePGlite, useRealPostgres, type DatabaseUnderTest } from "./store-under-test";

const quiet = (): void => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };

/** What one handler run saw. */
interface Seen {
  readonly id: string;
  readonly type: string;
  readonly outOfOrder: boolean | undefined;
  readonly newerHandled: CactusEventContext["newerHandled"];
}

/** The shipping example's handler: it records each run's place in its order's history. */
class ShippingHandler extends CactusHandler {
  readonly seen: Seen[] = [];
  readonly active = new Map<string, number>();
  overlaps = 0;
  maxRunning = 0;
  #running = 0;
  holdMs = 0;
  /** While set, runs wait for it (after recording that they started). */
  gate: Promise<void> | undefined;

  constructor(options: CactusReceiverOptions) {
    super(new CactusClient({ apiKey: "sk_test_ordering", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), { logger: silent, onError: quiet, ...options });
  }

  async #run(event: BaseThinEvent, context: CactusEventContext): Promise<void> {
    const key = event.relatedObject?.id ?? "(none)";
    const active = (this.active.get(key) ?? 0) + 1;
    this.active.set(key, active);
    if (active > 1) this.overlaps += 1;
    this.#running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.#running);
    this.seen.push({ id: event.id, type: event.type, outOfOrder: context.outOfOrder, newerHandled: context.newerHandled });
    if (this.holdMs > 0) await new Promise((resolve) => setTimeout(resolve, this.holdMs));
    if (this.gate !== undefined) await this.gate;
    this.#running -= 1;
    this.active.set(key, (this.active.get(key) ?? 1) - 1);
  }

  override onOrderShipped(event: OrderShippedPushedEvent, context: CactusEventContext): Promise<void> {
    return this.#run(event, context);
  }

  override onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent, context: CactusEventContext): Promise<void> {
    return this.#run(event, context);
  }

  override onOther(event: BaseThinEvent, context: CactusEventContext): Promise<void> {
    return this.#run(event, context);
  }
}

function thin(id: string, type: string, orderId: string | undefined, created?: string): string {
  return JSON.stringify({ id, type, ...(created === undefined ? {} : { created }), ...(orderId === undefined ? {} : { related_object: { id: orderId, type: "order" } }) });
}

const answerOf = (handler: ShippingHandler, text: string) => handler.receive(text, { deliveryId: "d" }).then(handledAnswer, errorAnswer);

function orderingSuite(database: DatabaseUnderTest): void {
  describe("the stale-event guard (the shipping example)", () => {
    it("delivers a late order.shipped with context.outOfOrder and the newer event it lost to", async () => {
      const handler = new ShippingHandler({ idempotency: database.store() });
      const order = freshId("ord");
      const attempted = freshId();
      const shipped = freshId();
      expect((await answerOf(handler, thin(attempted, "order.delivery_attempted", order, "2026-12-06T10:05:00.000Z"))).status).toBe(200);
      const late = await answerOf(handler, thin(shipped, "order.shipped", order, "2026-12-06T10:00:00.000Z"));
      expect(JSON.parse(late.body)).toEqual({ ok: true, id: shipped, handledBy: "onOrderShipped" });
      expect(handler.seen).toEqual([
        { id: attempted, type: "order.delivery_attempted", outOfOrder: false, newerHandled: undefined },
        { id: shipped, type: "order.shipped", outOfOrder: true, newerHandled: { id: attempted, type: "order.delivery_attempted", created: new Date("2026-12-06T10:05:00.000Z") } },
      ]);
      // The late one did not become the newest: a third, older still, is out of order against the same one.
      const older = freshId();
      await handler.handle(thin(older, "order.shipped", order, "2026-12-06T09:00:00.000Z"));
      expect(handler.seen[2]?.newerHandled?.id).toBe(attempted);
    });

    it("skips it with stale: skip, answering 200 stale, recorded stale, counted and kept in the history", async () => {
      const store = database.store();
      const metrics = cactusPrometheus({ registry: new Registry() });
      const handler = new ShippingHandler({ idempotency: store, stale: { "order.shipped": "skip" }, instrumentation: metrics });
      const order = freshId("ord");
      const attempted = freshId();
      const shipped = freshId();
      await handler.handle(thin(attempted, "order.delivery_attempted", order, "2026-12-06T10:05:00.000Z"));
      const late = await answerOf(handler, thin(shipped, "order.shipped", order, "2026-12-06T10:00:00.000Z"));
      expect(late.status).toBe(200);
      expect(late.outcome).toBe("stale");
      expect(JSON.parse(late.body)).toEqual({ ok: true, id: shipped, handledBy: "", stale: true });
      expect(handler.seen.map(({ id }) => id)).toEqual([attempted]);
      const record = await store.get(shipped);
      expect(record).toMatchObject({ status: "stale", created: new Date("2026-12-06T10:00:00.000Z") });
      expect(record?.attempts.map(({ outcome, source }) => ({ outcome, source }))).toEqual([{ outcome: "stale", source: "webhook" }]);
      expect((await store.history(order)).map(({ id }) => id)).toEqual([shipped, attempted]);
      expect((await store.list({ status: "stale", objectId: order })).events.map(({ eventId }) => eventId)).toEqual([shipped]);
      // Other types keep the default (deliver), and a redelivery of the stale one is stale again.
      const olderAttempt = freshId();
      await handler.handle(thin(olderAttempt, "order.delivery_attempted", order, "2026-12-06T09:00:00.000Z"));
      expect(handler.seen.map(({ id, outOfOrder }) => [id, outOfOrder])).toEqual([[attempted, false], [olderAttempt, true]]);
      expect((await handler.handle(thin(shipped, "order.shipped", order, "2026-12-06T10:00:00.000Z"))).outcome).toBe("stale");
      const counted = (await metrics.registry.getSingleMetricAsString("cactus_events_received_total")).split("\n");
      expect(counted).toContain('cactus_events_received_total{type="order.shipped",outcome="stale"} 2');
    });

    it("falls back to the time of receipt for an event without created", async () => {
      const handler = new ShippingHandler({ idempotency: database.store() });
      const order = freshId("ord");
      const past = freshId();
      const plain = freshId();
      await handler.handle(thin(past, "order.delivery_attempted", order, "2020-01-01T00:00:00.000Z"));
      await handler.handle(thin(plain, "order.shipped", order));
      expect(handler.seen.map(({ outOfOrder }) => outOfOrder)).toEqual([false, false]);
      // Received now, it is newer than 2020 and older than an event created next year.
      const future = freshId();
      const later = freshId();
      await handler.handle(thin(future, "order.delivery_attempted", order, new Date(Date.now() + 365 * 86_400_000).toISOString()));
      await handler.handle(thin(later, "order.shipped", order));
      expect(handler.seen.map(({ id, outOfOrder }) => [id, outOfOrder])).toEqual([[past, false], [plain, false], [future, false], [later, true]]);
      expect((await database.store().get(plain))?.created).toBeUndefined();
    });

    it("keeps objects apart, and leaves events without a related object alone", async () => {
      const handler = new ShippingHandler({ idempotency: database.store(), stale: "skip" });
      const [a, b] = [freshId("ord"), freshId("ord")];
      await handler.handle(thin(freshId(), "order.shipped", a, "2026-12-06T12:00:00.000Z"));
      await handler.handle(thin(freshId(), "order.shipped", b, "2026-12-06T08:00:00.000Z"));
      await handler.handle(thin(freshId(), "order.lost", undefined, "2026-12-06T07:00:00.000Z"));
      expect(handler.seen.map(({ outOfOrder }) => outOfOrder)).toEqual([false, false, false]);
    });
  });

  describe('ordering: "per-object" in one process', () => {
    it("never runs two events of one order at once, and runs different orders in parallel", async () => {
      const handler = new ShippingHandler({ idempotency: database.store(), ordering: "per-object" });
      const orders = [freshId("ord"), freshId("ord"), freshId("ord"), freshId("ord")];
      const bodies = Array.from({ length: 40 }, (_, i) => thin(freshId(), i % 2 === 0 ? "order.shipped" : "order.delivery_attempted", orders[i % orders.length]));
      // The first run of each order waits until all four run at once: only then are the rest let go.
      let open!: () => void;
      handler.gate = new Promise((resolve) => (open = resolve));
      const all = Promise.all(bodies.map((text) => handler.handle(text)));
      await eventually(() => handler.seen.length === 4, 10_000, "one run per order");
      expect(handler.maxRunning).toBe(4);
      expect(new Set(handler.seen.map(({ id }) => bodies.findIndex((text) => text.includes(id)) % 4)).size).toBe(4);
      handler.gate = undefined;
      open();
      const results = await all;
      expect(results.every(({ outcome }) => outcome === "handled")).toBe(true);
      expect(handler.seen).toHaveLength(40);
      expect(handler.overlaps).toBe(0);
      // Without the option the same load does overlap (all forty run at once): the check above can see it.
      const unordered = new ShippingHandler({ idempotency: database.store() });
      let release!: () => void;
      unordered.gate = new Promise((resolve) => (release = resolve));
      const loose = Promise.all(bodies.map((text) => unordered.handle(text.replace(/"id":"/, '"id":"u'))));
      await eventually(() => unordered.seen.length === 40, 10_000, "every unordered run");
      release();
      await loose;
      expect(unordered.overlaps).toBeGreaterThan(0);
    });

    it("answers a queue delivery that finds its order busy with a busy error (the worker delays the job)", async () => {
      const store = database.store();
      const handler = new ShippingHandler({ idempotency: store, ordering: "per-object" });
      let open!: () => void;
      handler.gate = new Promise((resolve) => (open = resolve));
      const order = freshId("ord");
      const first = handler.handle(thin(freshId(), "order.shipped", order));
      await eventually(() => handler.seen.length === 1, 10_000, "the first run to start");
      const queued = freshId();
      await expect(handler.receive(thin(queued, "order.shipped", order), { attempt: 1 })).rejects.toBeInstanceOf(CactusObjectBusyError);
      handler.gate = undefined;
      open();
      await first;
      // Nothing was claimed for the busy one: it runs on its next try, as attempt 1.
      expect(await store.get(queued)).toBeUndefined();
      expect((await handler.receive(thin(queued, "order.shipped", order), { attempt: 1 })).outcome).toBe("handled");
    });

    it("with transactional: true, runs the handler in the lock's transaction: a failure rolls its writes back and is recorded", async () => {
      await database.query(CREATE_EFFECTS);
      const store = database.store({ transactional: true });
      const handler = new EffectHandler({ idempotency: store, ordering: "per-object" });
      const failing = freshId();
      handler.failuresLeft = 1;
      expect((await handler.receive(body(failing, "order.shipped", "ord_tx"), { deliveryId: failing }).then(handledAnswer, errorAnswer)).status).toBe(500);
      const effects = async (id: string) => (await database.query(`SELECT 1 FROM ${EFFECTS_TABLE} WHERE event_id = $1`, [id])).length;
      expect(await effects(failing)).toBe(0);
      expect(await store.get(failing)).toMatchObject({ status: "failed", lastError: { code: "PLANNED" } });
      expect((await handler.receive(body(failing, "order.shipped", "ord_tx"), { deliveryId: failing })).outcome).toBe("handled");
      expect(await effects(failing)).toBe(1);
      expect(handler.transactions.every((tx) => tx !== undefined)).toBe(true);
      expect((await store.get(failing))?.attempts.map(({ outcome }) => outcome)).toEqual(["failed", "handled"]);
    });

    it("is refused without the event store", () => {
      expect(() => new ShippingHandler({ idempotency: new MemoryIdempotencyStore(), ordering: "per-object" })).toThrow(CactusConfigError);
      expect(() => new ShippingHandler({ ordering: "sorted" as "per-object" })).toThrow(/ordering must be "none" or "per-object"/);
      expect(() => new ShippingHandler({ stale: { "order.shipped": "drop" as "skip" } })).toThrow(/stale\["order.shipped"\] must be "deliver" or "skip"/);
    });
  });
}

describe("ordering and staleness on PGlite", () => {
  orderingSuite(usePGlite());
});

describePostgres("ordering and staleness on PostgreSQL", () => {
  const database = useRealPostgres();
  orderingSuite(database);

  it("two processes, 200 events over 10 orders: zero overlapping runs per order, orders in parallel", async () => {
    const runsTable = `ordering_runs_${process.pid}`;
    const figures: Record<string, unknown> = {};
    for (const ordering of ["per-object", "none"] as const) {
      await database.query(`DROP TABLE IF EXISTS ${runsTable}`);
      await database.query(`CREATE TABLE ${runsTable} (event_id text PRIMARY KEY, object_id text NOT NULL, pid integer NOT NULL, started_at timestamptz NOT NULL, ended_at timestamptz)`);
      const orders = Array.from({ length: 10 }, () => freshId("ord"));
      const bodies = Array.from({ length: 200 }, (_, i) => thin(freshId(), i % 3 === 0 ? "order.delivery_attempted" : "order.shipped", orders[i % 10]));
      const config = (share: readonly string[]): OrderingProcessConfig => ({ url: database.url, schema: "cactus", runsTable, ordering, concurrency: 10, holdMs: 20, bodies: share });
      const outcomes = await runProcesses([config(bodies.slice(0, 100)), config(bodies.slice(100))]);
      expect(outcomes).toEqual([{ failed: 0 }, { failed: 0 }]);
      const [row] = await database.query(`SELECT
          (SELECT count(*)::int FROM ${runsTable}) AS runs,
          (SELECT count(*)::int FROM ${runsTable} WHERE ended_at IS NULL) AS unfinished,
          (SELECT count(*)::int FROM ${runsTable} a JOIN ${runsTable} b ON a.object_id = b.object_id AND a.event_id < b.event_id AND a.started_at < b.ended_at AND b.started_at < a.ended_at) AS same_object_overlaps,
          (SELECT count(*)::int FROM ${runsTable} a JOIN ${runsTable} b ON a.object_id <> b.object_id AND a.event_id < b.event_id AND a.started_at < b.ended_at AND b.started_at < a.ended_at) AS cross_object_overlaps,
          (SELECT count(DISTINCT pid)::int FROM ${runsTable}) AS processes,
          (SELECT max(c)::int FROM (SELECT (SELECT count(*) FROM ${runsTable} b WHERE b.started_at <= a.started_at AND b.ended_at > a.started_at) AS c FROM ${runsTable} a) AS x) AS max_parallel,
          (SELECT (extract(epoch from max(ended_at) - min(started_at)) * 1000)::int FROM ${runsTable}) AS wall_ms`);
      figures[ordering] = row;
      expect(row).toMatchObject({ runs: 200, unfinished: 0, processes: 2 });
      if (ordering === "per-object") {
        expect(row?.["same_object_overlaps"]).toBe(0);
        expect(row?.["cross_object_overlaps"]).toBeGreaterThan(0);
        expect(Number(row?.["max_parallel"])).toBeGreaterThan(1);
      } else {
        // The control: the same load without the option overlaps, so the zero above means something.
        expect(Number(row?.["same_object_overlaps"])).toBeGreaterThan(0);
      }
    }
    await database.query(`DROP TABLE IF EXISTS ${runsTable}`);
    if (process.env["CACTUS_PRINT_FIGURES"] === "1") process.stdout.write(`ordering proof: ${JSON.stringify(figures)}\n`);
  }, 120_000);
});

const HOOK = join(__dirname, "..", "chaos", "require-hook.js");

// Starts one child per config, lets them all go at once, and resolves with what each said when DONE.
async function runProcesses(configs: readonly OrderingProcessConfig[]): Promise<unknown[]> {
  const children = configs.map((config) => spawn(process.execPath, ["-r", HOOK, join(__dirname, "ordering", "ordering-process.ts"), JSON.stringify(config)], { stdio: ["pipe", "pipe", "pipe"] }));
  const said = children.map(
    (child) =>
      new Promise<{ ready: Promise<void>; done: Promise<unknown> }>((resolve) => {
        let output = "";
        let errors = "";
        let ready!: () => void;
        const readyPromise = new Promise<void>((r) => (ready = r));
        const done = new Promise<unknown>((resolveDone, reject) => {
          child.stdout.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes("READY")) ready();
            const match = /DONE (.*)\n/.exec(output);
            if (match) resolveDone(JSON.parse(match[1] ?? "{}"));
          });
          child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
          child.once("exit", (code) => {
            if (!/DONE/.test(output)) reject(new Error(`an ordering process exited (${String(code)}): ${errors.slice(-2_000)}`));
          });
        });
        resolve({ ready: readyPromise, done });
      }),
  );
  const parts = await Promise.all(said);
  await Promise.all(parts.map((part) => part.ready));
  for (const child of children) child.stdin.write("go\n");
  try {
    return await Promise.all(parts.map((part) => part.done));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  }
}
