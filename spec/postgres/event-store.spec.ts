import { CactusConfigError } from "../../lib/errors";
import { CURRENT_API_VERSION } from "../../lib/events";
import { PostgresEventStore } from "../../lib/postgres";
import { errorAnswer, handledAnswer } from "../../lib/webhooks/status-table";
import { describePostgres } from "./describe-postgres";
import { body, CREATE_EFFECTS, EFFECTS_TABLE, EffectHandler, freshId } from "./event-handlers";
import { usePGlite, useRealPostgres, type DatabaseUnderTest } from "./store-under-test";

const answerOf = (handler: EffectHandler, text: string, context = {}) => handler.receive(text, context).then(handledAnswer, errorAnswer);

function eventStoreSuite(database: DatabaseUnderTest): void {
  beforeAll(async () => {
    await database.query(CREATE_EFFECTS);
  });

  describe("records every event and attempt", () => {
    it("records the event, its deliveries and the attempt, and answers a redelivery as a duplicate", async () => {
      const handler = new EffectHandler({ idempotency: database.store() });
      const id = freshId();
      const first = await answerOf(handler, body(id, "order.shipped", "ord_rec"), { deliveryId: id });
      expect(first.status).toBe(200);
      const again = await answerOf(handler, body(id, "order.shipped", "ord_rec"), { deliveryId: id });
      expect(JSON.parse(again.body)).toMatchObject({ ok: true, duplicate: true });
      expect(handler.runsOf(id)).toBe(1);
      const record = await database.store().get(id);
      expect(record).toMatchObject({
        eventId: id,
        type: "order.shipped",
        objectType: "order",
        objectId: "ord_rec",
        status: "handled",
        handledBy: "onOrderShipped",
        deliveries: 2,
        attemptCount: 1,
        lastError: undefined,
      });
      // The thin event as received, with the API version it was read as.
      expect(JSON.parse(record?.body ?? "{}")).toEqual({ id, type: "order.shipped", related_object: { id: "ord_rec", type: "order" }, api_version: CURRENT_API_VERSION });
      expect(record?.firstReceivedAt.getTime()).toBeLessThanOrEqual(record?.lastReceivedAt.getTime() ?? 0);
      expect(record?.attempts).toEqual([
        { attempt: 1, startedAt: expect.any(Date), durationMs: expect.any(Number), outcome: "handled", source: "webhook", handledBy: "onOrderShipped", error: undefined },
      ]);
    });

    it("records a failed attempt with the handler's message and code, then the redelivery that succeeds", async () => {
      const handler = new EffectHandler({ idempotency: database.store() });
      handler.failuresLeft = 1;
      const id = freshId();
      const failed = await answerOf(handler, body(id), { attempt: 1 });
      expect(failed.status).toBe(500);
      expect(await database.store().get(id)).toMatchObject({ status: "failed", lastError: { message: `planned failure of ${id}`, code: "PLANNED" } });
      expect((await answerOf(handler, body(id), { attempt: 2 })).status).toBe(200);
      const record = await database.store().get(id);
      expect(record?.status).toBe("handled");
      expect(record?.attempts.map(({ attempt, outcome, source, error }) => ({ attempt, outcome, source, code: error?.code }))).toEqual([
        { attempt: 1, outcome: "failed", source: "queue", code: "PLANNED" },
        { attempt: 2, outcome: "handled", source: "queue", code: undefined },
      ]);
    });

    it("answers 409 in_progress with Retry-After while another delivery holds the event", async () => {
      const handler = new EffectHandler({ idempotency: database.store() });
      handler.hold();
      const id = freshId();
      const started = handler.started();
      const running = handler.handle(body(id));
      await started;
      const second = await answerOf(handler, body(id));
      expect(second.status).toBe(409);
      expect(Number(second.headers["retry-after"])).toBeGreaterThan(0);
      handler.releaseHeld();
      await running;
      expect(handler.runsOf(id)).toBe(1);
    });
  });

  describe("transactional handling", () => {
    const effectsOf = async (id: string) => (await database.query(`SELECT event_id FROM ${EFFECTS_TABLE} WHERE event_id = $1`, [id])).length;

    it("commits the handler's insert with the handled mark", async () => {
      const handler = new EffectHandler({ idempotency: database.store({ transactional: true }) });
      const id = freshId();
      expect((await answerOf(handler, body(id))).status).toBe(200);
      expect(handler.transactions[0]).toEqual(expect.objectContaining({ query: expect.any(Function) }));
      expect(await effectsOf(id)).toBe(1);
      expect((await database.store().get(id))?.status).toBe("handled");
      expect(JSON.parse((await answerOf(handler, body(id))).body)).toMatchObject({ duplicate: true });
      expect(await effectsOf(id)).toBe(1);
    });

    it("rolls the insert back when the handler throws, and the redelivery inserts once", async () => {
      const handler = new EffectHandler({ idempotency: database.store({ transactional: true }) });
      handler.failuresLeft = 1;
      const id = freshId();
      expect((await answerOf(handler, body(id))).status).toBe(500);
      expect(await effectsOf(id)).toBe(0);
      expect((await database.store().get(id))?.status).toBe("failed");
      expect((await answerOf(handler, body(id))).status).toBe(200);
      expect(await effectsOf(id)).toBe(1);
      expect(handler.runsOf(id)).toBe(2);
    });

    it("gives plain stores' handlers no transaction", async () => {
      const handler = new EffectHandler({ idempotency: database.store() });
      await handler.handle(body(freshId()));
      expect(handler.transactions).toEqual([undefined]);
    });

    it("answers non-2xx and marks nothing handled when the transaction cannot commit", async () => {
      // A deferred constraint is checked at COMMIT: the handler's insert passes, the COMMIT fails.
      await database.query("CREATE TABLE IF NOT EXISTS app_deferred (note text UNIQUE DEFERRABLE INITIALLY DEFERRED)");
      await database.query("CREATE OR REPLACE FUNCTION app_copy_note() RETURNS trigger AS $$ BEGIN IF NEW.note IS NOT NULL THEN INSERT INTO app_deferred VALUES (NEW.note), (NEW.note); END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
      await database.query(`DROP TRIGGER IF EXISTS app_copy_note ON ${EFFECTS_TABLE}`);
      await database.query(`CREATE TRIGGER app_copy_note AFTER INSERT ON ${EFFECTS_TABLE} FOR EACH ROW EXECUTE FUNCTION app_copy_note()`);
      const handler = new EffectHandler({ idempotency: database.store({ transactional: true }), onError: () => undefined });
      handler.note = "twice";
      const id = freshId();
      const answer = await answerOf(handler, body(id));
      expect(answer.status).toBe(503);
      expect(answer.outcome).toBe("event_store_unavailable");
      expect(answer.headers["retry-after"]).toBe("30");
      expect(await effectsOf(id)).toBe(0);
      expect(await database.store().get(id)).toMatchObject({ status: "failed", lastError: { code: "23505" } });
      // Once the cause is gone, the redelivery commits.
      handler.note = null;
      expect((await answerOf(handler, body(id))).status).toBe(200);
      expect(await effectsOf(id)).toBe(1);
    });

    it("refuses a transaction kept past its handler", async () => {
      const store = database.store({ transactional: true });
      const handler = new EffectHandler({ idempotency: store });
      const id = freshId();
      await handler.handle(body(id));
      await expect(handler.transactions[0]?.query("SELECT 1")).rejects.toThrow(CactusConfigError);
    });
  });

  describe("history, fold, get, list and prune", () => {
    const order = `ord_${freshId("h")}`;
    const ids = [freshId("h1"), freshId("h2"), freshId("h3")];

    beforeAll(async () => {
      const handler = new EffectHandler({ idempotency: database.store() });
      await handler.handle(body(ids[0] ?? "", "order.shipped", order));
      await handler.handle(body(ids[1] ?? "", "order.delivery_attempted", order));
      await handler.handle(body(ids[2] ?? "", "order.shipped", `${order}_other`));
    });

    it("gives an object's events parsed, oldest first, and only the types asked for", async () => {
      const store = database.store();
      const history = await store.history(order);
      expect(history.map((event) => [event.constructor.name, event.id])).toEqual([
        ["OrderShippedPushedEvent", ids[0]],
        ["OrderDeliveryAttemptedPushedEvent", ids[1]],
      ]);
      const shipped = await store.history(order, { types: ["order.shipped"] });
      expect(shipped.map((event) => event.relatedObject.id)).toEqual([order]);
      expect(await store.history(order, { limit: 1 })).toHaveLength(1);
      expect(await store.history("ord_never_seen")).toEqual([]);
    });

    it("folds an object's history into a state", async () => {
      const timeline = await database.store().fold(order, (lines: string[], event) => [...lines, event.type], []);
      expect(timeline).toEqual(["order.shipped", "order.delivery_attempted"]);
    });

    it("answers undefined for an event it never saw", async () => {
      expect(await database.store().get("evt_never_seen")).toBeUndefined();
    });

    it("lists by filters, one keyset page at a time", async () => {
      const store = database.store();
      const first = await store.list({ objectId: order, limit: 1 });
      expect(first.events.map((event) => event.eventId)).toEqual([ids[1]]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await store.list({ objectId: order, limit: 1, cursor: first.nextCursor ?? "" });
      expect(second.events.map((event) => event.eventId)).toEqual([ids[0]]);
      expect(second.nextCursor).toBeUndefined();
      const ascending = await store.list({ objectId: order, order: "asc" });
      expect(ascending.events.map((event) => event.eventId)).toEqual([ids[0], ids[1]]);
      expect((await store.list({ objectId: order, type: "order.delivery_attempted" })).events).toHaveLength(1);
      expect((await store.list({ objectId: order, status: "failed" })).events).toHaveLength(0);
      expect((await store.list({ objectId: order, since: new Date(Date.now() + 60_000) })).events).toHaveLength(0);
      expect((await store.list({ objectId: order, until: new Date(Date.now() + 60_000) })).events).toHaveLength(2);
      await expect(store.list({ cursor: "x'; drop table" })).rejects.toThrow(/cursor/);
      await expect(store.list({ limit: 0 })).rejects.toThrow(/limit/);
    });

    it("pages in receipt order past ten events (the cursor is a number, not text)", async () => {
      const store = database.store();
      const object = `ord_${freshId("page")}`;
      const handler = new EffectHandler({ idempotency: store });
      const sent: string[] = [];
      for (let index = 0; index < 12; index++) {
        const id = freshId(`p${index}`);
        sent.push(id);
        await handler.handle(body(id, "order.delivery_attempted", object));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ objectId: object, order: "asc", limit: 5, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.events.map((event) => event.eventId));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual(sent);
      expect((await store.list({ objectId: object })).events.map((event) => event.eventId)).toEqual([...sent].reverse());
    });

    it("prunes events older than the keep window with their attempts, and refuses a window shorter than the done TTL", async () => {
      const store = database.store({ doneTtlMs: 1 });
      const old = freshId("old");
      await new EffectHandler({ idempotency: store }).handle(body(old, "order.shipped", "ord_old"));
      await database.query(`UPDATE cactus.events SET first_received_at = now() - interval '40 days' WHERE event_id = $1`, [old]);
      const { deleted } = await store.prune();
      expect(deleted).toBeGreaterThanOrEqual(1);
      expect(await store.get(old)).toBeUndefined();
      expect(await database.query("SELECT 1 FROM cactus.attempts WHERE event_id = $1", [old])).toEqual([]);
      expect(await store.get(ids[0] ?? "")).toBeDefined();
      await expect(database.store().prune({ olderThan: 60_000 })).rejects.toThrow(/doneTtlMs/);
    });
  });

  describe("bad input", () => {
    it("stores a body with \\u0000 and unpaired surrogates in fields it does not key on", async () => {
      const handler = new EffectHandler({ idempotency: database.store() });
      const id = freshId();
      const text = body(id, "order.shipped", "ord_nul", { note: "a\u0000b", lone: "\ud800" });
      expect((await answerOf(handler, text)).status).toBe(200);
      expect((await database.store().get(id))?.status).toBe("handled");
    });

    it.each([
      ["a 10 KB id", "evt_" + "x".repeat(10_240), "ord_1", /id is 10244 bytes long/],
      ["an id with \\u0000", "evt_\u0000nul", "ord_1", /NUL/],
      ["an id with an unpaired surrogate", "evt_\ud800x", "ord_1", /surrogate/],
      ["a related object id with \\u0000", "evt_ok_related", "ord_\u0000", /related_object.id contains a NUL/],
    ])("answers %s with 400 validation_failed, runs nothing, and answers the same again", async (_what, id, objectId, message) => {
      const handler = new EffectHandler({ idempotency: database.store({ transactional: true }) });
      for (let round = 0; round < 2; round++) {
        const answer = await answerOf(handler, body(id, "order.shipped", objectId));
        expect(answer.status).toBe(400);
        expect(answer.outcome).toBe("validation_failed");
        expect(JSON.parse(answer.body).error.message).toMatch(message);
      }
      expect(handler.runs.size).toBe(0);
    });

    it("refuses an id it cannot store through the bare claim too", async () => {
      await expect(database.store().claim("evt_\u0000", 1_000)).rejects.toThrow(/id contains a NUL character/);
    });
  });

  describe("schema versions", () => {
    it("migrates once when several stores start at once, and a second migrate finds nothing to do", async () => {
      const schema = `s_${process.pid}_${Date.now()}`;
      const results = await Promise.all([1, 2, 3].map(() => database.store({ schema }).migrate()));
      expect(results.filter((result) => result.from === 0)).toHaveLength(1);
      expect(results.every((result) => result.to === 2)).toBe(true);
      expect(await database.store({ schema }).migrate()).toEqual({ from: 2, to: 2 });
    });

    it("refuses a schema without tables, or older or newer, naming the command", async () => {
      const schema = `v_${process.pid}_${Date.now()}`;
      const store = database.store({ schema });
      await expect(store.ready()).rejects.toThrow(/no event store tables in schema "v_.*npx cactus db migrate --database-url <url>` --schema v_/);
      const handler = new EffectHandler({ idempotency: store });
      const answer = await answerOf(handler, body(freshId()));
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body).error.message).toContain("invalid_config");
      await store.migrate();
      await database.query(`UPDATE ${schema}.schema_version SET version = 99`);
      await expect(database.store({ schema }).ready()).rejects.toThrow(/version 99, newer than this cactus-sdk's 2: upgrade cactus-sdk/);
      await expect(database.store({ schema }).migrate()).rejects.toThrow(CactusConfigError);
    });
  });

  it("refuses bad options", () => {
    expect(() => new PostgresEventStore({ db: database.db, schema: "Robert'); drop" })).toThrow(/schema must be a lower-case SQL identifier/);
    expect(() => new PostgresEventStore({ db: database.db, timeoutMs: 0 })).toThrow(/timeoutMs must be an integer > 0/);
  });

  it("lets exactly one of two stores (two processes) claiming one event at once run it", async () => {
    const [a, b] = [new EffectHandler({ idempotency: database.store({ transactional: true }) }), new EffectHandler({ idempotency: database.store({ transactional: true }) })];
    const id = freshId();
    const answers = await Promise.all([answerOf(a, body(id)), answerOf(b, body(id))]);
    expect(a.runsOf(id) + b.runsOf(id)).toBe(1);
    // The other one answers 409 (lease held) or, when it came after the commit, 200 duplicate.
    expect(answers.filter((answer) => answer.outcome === "handled")).toHaveLength(1);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 409)).toBe(true);
  });
}

describe("PostgresEventStore on PGlite", () => {
  eventStoreSuite(usePGlite());
});

describePostgres("PostgresEventStore on a real PostgreSQL server", () => {
  eventStoreSuite(useRealPostgres());
});
