// Sagas on a real PostgreSQL server: the step journal's own connections, two stores (as two
// processes) on one database, and deadlines fired by several runners at once.
import { Pool } from "pg";
import { CactusClient, type OrderShippedPushedEvent } from "../../lib";
import { CactusConfigError } from "../../lib/errors";
import { PostgresEventStore } from "../../lib/postgres";
import { CactusSaga, type SagaContext } from "../../lib/saga";
import { describePostgres } from "./describe-postgres";
import { useRealPostgres } from "./store-under-test";

const client = new CactusClient({ apiKey: "sk_test_saga", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
const quiet = (): void => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Count {
  readonly n: number;
  readonly ids: readonly string[];
  readonly timeouts: number;
}

/** Counts `order.shipped` events; each runs one step; some throw once after it; each expects news within 1 h. */
class Counter extends CactusSaga<Count> {
  override readonly sagaName = "counter";
  /** @param effects the keys of every step run (shared by the "processes" of a test) */
  constructor(
    readonly effects: string[],
    options: ConstructorParameters<typeof CactusSaga>[1],
    readonly throwOnceAfterStep = new Set<string>(),
  ) {
    super(client, { logger: silent, onError: quiet, ...options });
  }
  override initialState(): Count {
    return { n: 0, ids: [], timeouts: 0 };
  }
  override async onOrderShipped(event: OrderShippedPushedEvent, state: Count, context: SagaContext<Count>): Promise<Count> {
    await context.step("effect", (key) => {
      this.effects.push(key);
      return key;
    });
    if (this.throwOnceAfterStep.delete(event.id)) throw new CactusConfigError(`${event.id} fails after its step`);
    context.expect("order.delivery_attempted", { within: "1h", name: "news" });
    // Held a moment: the events of one order overlap across the two stores.
    await sleep(Math.random() * 3);
    return { ...state, n: state.n + 1, ids: [...state.ids, event.id] };
  }
  override async onTimeout(name: string, state: Count, context: SagaContext<Count>): Promise<Count> {
    this.effects.push(`timeout ${context.objectId} ${name}`);
    await sleep(Math.random() * 3);
    return { ...state, timeouts: state.timeouts + 1 };
  }
}

const shipped = (id: string, orderId: string) => ({ id, type: "order.shipped", related_object: { id: orderId, type: "order" } });

// As Cactus does: redelivered until it is handled (a copy in progress elsewhere, or a failure, is tried again).
async function deliver(saga: Counter, body: ReturnType<typeof shipped>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    try {
      await saga.handle(body);
      return;
    } catch {
      await sleep(5 + Math.random() * 10);
    }
  }
  throw new CactusConfigError(`${body.id} was not handled after 200 deliveries`);
}

describePostgres("sagas on a real PostgreSQL server", () => {
  const database = useRealPostgres();
  let schemas = 0;
  const opened: { end(): Promise<void> }[] = [];
  const stores: PostgresEventStore[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const pool of opened) await pool.end();
  });
  /** A migrated schema of its own, and `count` stores on it, each on a pool of its own (as separate processes). */
  const fresh = async (count: number, poolOptions: { readonly max?: number; readonly password?: string; readonly user?: string } = {}) => {
    const schema = `saga_pg_${++schemas}`;
    await new PostgresEventStore({ db: database.pool, schema }).migrate();
    const made = Array.from({ length: count }, () => {
      const { port } = new URL(database.url);
      const pool = new Pool({ host: "127.0.0.1", port: Number(port), database: "postgres", user: poolOptions.user ?? "postgres", max: poolOptions.max ?? 5, ...(poolOptions.password === undefined ? {} : { password: poolOptions.password }) });
      pool.on("error", quiet);
      opened.push(pool);
      const store = new PostgresEventStore({ db: pool, schema, transactional: true });
      stores.push(store);
      return store;
    });
    const [store] = made;
    if (store === undefined) throw new Error("fresh(count) needs count >= 1");
    return { schema, store, stores: made };
  };

  describe("the step journal: step records written on connections of their own", () => {
    it("keeps a step's record through its event's rollback, so the redelivery does not run it again", async () => {
      const { schema, store } = await fresh(1);
      const effects: string[] = [];
      const saga = new Counter(effects, { idempotency: store }, new Set(["evt_journal_1"]));
      await expect(saga.handle(shipped("evt_journal_1", "ord_j"))).rejects.toThrow(/fails after its step/);
      // The event rolled back (no instance), the step's record did not.
      expect(await database.query(`SELECT count(*)::int AS n FROM ${schema}.saga_instances`)).toEqual([{ n: 0 }]);
      expect(await database.query(`SELECT event_id, step, error FROM ${schema}.saga_steps`)).toEqual([{ event_id: "evt_journal_1", step: "effect", error: null }]);
      await saga.handle(shipped("evt_journal_1", "ord_j"));
      expect(effects).toEqual(["counter:ord_j:evt_journal_1:effect"]);
      expect(await store.saga("counter", "ord_j")).toMatchObject({ state: { n: 1, ids: ["evt_journal_1"] }, steps: [{ name: "effect", result: "counter:ord_j:evt_journal_1:effect" }] });
    });

    it("works on a pool of one connection (the event's transaction holds it; the journal does not wait for it)", async () => {
      const { store } = await fresh(1, { max: 1 });
      const effects: string[] = [];
      const saga = new Counter(effects, { idempotency: store });
      await saga.handle(shipped("evt_one_conn", "ord_one"));
      expect((await store.saga<Count>("counter", "ord_one"))?.state.n).toBe(1);
    });

    it("connects as the pool's user with the pool's password (given as an option, not in a URL)", async () => {
      const user = `saga_pw_${process.pid}`;
      await database.query(`CREATE ROLE ${user} LOGIN SUPERUSER PASSWORD 'the-pw-${process.pid}'`);
      // This role must give its password on 127.0.0.1; every other role stays trusted.
      const hba = (await database.query("SHOW hba_file"))[0]?.["hba_file"];
      const lines = ["local all all trust", `host all ${user} 127.0.0.1/32 scram-sha-256`, "host all all 127.0.0.1/32 trust"];
      await database.query(`COPY (SELECT unnest(ARRAY[${lines.map((line) => `'${line}'`).join(", ")}])) TO '${String(hba)}'`);
      await database.query("SELECT pg_reload_conf()");
      const wrong = new Pool({ connectionString: `postgres://${user}:nope@127.0.0.1:${new URL(database.url).port}/postgres`, max: 1 });
      await expect(wrong.query("SELECT 1")).rejects.toThrow(/password authentication failed/);
      await wrong.end();
      const { store } = await fresh(1, { user, password: `the-pw-${process.pid}`, max: 2 });
      const effects: string[] = [];
      const saga = new Counter(effects, { idempotency: store }, new Set(["evt_pw"]));
      await expect(saga.handle(shipped("evt_pw", "ord_pw"))).rejects.toThrow(/fails after its step/);
      await saga.handle(shipped("evt_pw", "ord_pw"));
      expect(effects).toEqual(["counter:ord_pw:evt_pw:effect"]);
    });

    it("store.close() ends the journal's connections; a later step opens them again", async () => {
      const { store } = await fresh(1);
      const journalConnections = async () =>
        (await database.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'postgres' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"))[0]?.["n"];
      const saga = new Counter([], { idempotency: store });
      await saga.handle(shipped("evt_close_1", "ord_close"));
      const before = Number(await journalConnections());
      await store.close();
      let after = Number(await journalConnections());
      for (let waited = 0; after >= before && waited < 100; waited++) {
        await sleep(20);
        after = Number(await journalConnections());
      }
      expect(after).toBeLessThan(before);
      await saga.handle(shipped("evt_close_2", "ord_close"));
      expect((await store.saga<Count>("counter", "ord_close"))?.state.n).toBe(2);
    });
  });

  it("two stores on one database (as two processes), every event delivered to both at once: each applied once, none lost", async () => {
    const { stores } = await fresh(2);
    const [a, b] = stores as [PostgresEventStore, PostgresEventStore];
    const effects: string[] = [];
    const failOnce = new Set<string>();
    const sagas = [new Counter(effects, { idempotency: a }, failOnce), new Counter(effects, { idempotency: b }, failOnce)];
    const orders = ["ord_two_1", "ord_two_2", "ord_two_3"];
    const events = orders.flatMap((order) => Array.from({ length: 12 }, (_, i) => shipped(`evt_two_${order}_${i}`, order)));
    for (const event of events.filter((_, i) => i % 4 === 0)) failOnce.add(event.id);
    await Promise.all(events.flatMap((event) => sagas.map((saga) => deliver(saga, event))));
    for (const order of orders) {
      const instance = await a.saga<Count>("counter", order);
      const mine = events.filter((event) => event.related_object.id === order).map((event) => event.id);
      expect(instance?.state.n).toBe(12);
      expect([...(instance?.state.ids ?? [])].sort()).toEqual([...mine].sort());
      // The state's order of application is the history's.
      expect(instance?.history.map((line) => line.eventId)).toEqual(instance?.state.ids);
      expect(instance?.version).toBe(12);
    }
    // Each step ran once, even for the events that failed after it and were redelivered.
    expect(effects.length).toBe(events.length);
    expect(new Set(effects).size).toBe(events.length);
  });

  it("a due deadline fires once with four runners on four stores at once (FOR UPDATE SKIP LOCKED)", async () => {
    const { stores: four } = await fresh(4);
    const effects: string[] = [];
    const sagas = four.map((store) => new Counter(effects, { idempotency: store }));
    const orders = Array.from({ length: 40 }, (_, i) => `ord_due_${i}`);
    for (const order of orders) await (sagas[0] as Counter).handle(shipped(`evt_due_${order}`, order));
    effects.length = 0;
    const later = new Date(Date.now() + 2 * 3_600_000);
    const results = await Promise.all(four.map((store) => store.runDueTimeouts({ now: later })));
    expect(results.reduce((total, result) => total + result.fired, 0)).toBe(orders.length);
    expect(results.every((result) => result.failed === 0)).toBe(true);
    expect([...effects].sort()).toEqual(orders.map((order) => `timeout ${order} news`).sort());
    for (const order of orders) expect(await four[1]?.saga<Count>("counter", order)).toMatchObject({ state: { timeouts: 1 }, deadlines: [] });
    // Nothing left: another round fires nothing.
    expect((await Promise.all(four.map((store) => store.runDueTimeouts({ now: later })))).map((result) => result.fired)).toEqual([0, 0, 0, 0]);
    expect(sagas.reduce((total, saga) => total + saga.metrics.timeouts, 0)).toBe(orders.length);
  });

  it("a runner skips an instance an event holds, without waiting, and fires it once released", async () => {
    const { schema, store } = await fresh(1);
    const effects: string[] = [];
    const saga = new Counter(effects, { idempotency: store });
    await saga.handle(shipped("evt_held", "ord_held"));
    const holder = await database.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM ${schema}.saga_instances WHERE object_id = 'ord_held' FOR UPDATE`);
      const later = new Date(Date.now() + 2 * 3_600_000);
      expect(await store.runDueTimeouts({ now: later })).toEqual({ fired: 0, failed: 0 });
      await holder.query("COMMIT");
      expect(await store.runDueTimeouts({ now: later })).toEqual({ fired: 1, failed: 0 });
    } finally {
      holder.release();
    }
    expect(effects.filter((effect) => effect.startsWith("timeout"))).toEqual(["timeout ord_held news"]);
  });

  it("store.fireSagaDeadline (what a BullMQ deadline job calls) answers busy while an event holds the instance, never waiting for it", async () => {
    const { schema, store } = await fresh(1);
    const effects: string[] = [];
    const saga = new Counter(effects, { idempotency: store });
    await saga.handle(shipped("evt_busy", "ord_busy"));
    const pending = (await store.saga("counter", "ord_busy"))?.deadlines[0];
    if (pending === undefined) throw new Error("the saga set no deadline");
    const trigger = { saga: "counter", objectId: "ord_busy", name: pending.name, dueMs: pending.dueAt.getTime() };
    const holder = await database.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM ${schema}.saga_instances WHERE object_id = 'ord_busy' FOR UPDATE`);
      expect(await store.fireSagaDeadline(trigger)).toBe("busy");
      await holder.query("COMMIT");
    } finally {
      holder.release();
    }
    // Released: found, but due in an hour; another due time is not this deadline.
    expect(await store.fireSagaDeadline(trigger)).toBe("early");
    expect(await store.fireSagaDeadline({ ...trigger, dueMs: trigger.dueMs + 1 })).toBe("gone");
    expect(effects.filter((effect) => effect.startsWith("timeout"))).toEqual([]);
  });
});
