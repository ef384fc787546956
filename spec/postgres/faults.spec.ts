import { PGlite } from "@electric-sql/pglite";
import { Pool } from "pg";
import { PostgresEventStore } from "../../lib/postgres";
import { errorAnswer, handledAnswer } from "../../lib/webhooks/status-table";
import { describePostgres } from "./describe-postgres";
import { body, EffectHandler, freshId } from "./event-handlers";
import { startPostgres } from "./postgres-server";
import { useRealPostgres } from "./store-under-test";

const answerOf = (handler: EffectHandler, text: string) => handler.handle(text).then(handledAnswer, errorAnswer);

describePostgres("PostgresEventStore when PostgreSQL is down or slow", () => {
  const database = useRealPostgres();

  it("answers 503 event_store_unavailable with Retry-After when the server is gone, and runs nothing", async () => {
    const server = await startPostgres();
    const pool = new Pool({ connectionString: server.url, connectionTimeoutMillis: 1_000 });
    const store = new PostgresEventStore({ db: pool, retryAfterSeconds: 5 });
    await store.migrate();
    await server.stop();
    pool.on("error", () => undefined);
    const handler = new EffectHandler({ idempotency: store });
    const answer = await answerOf(handler, body(freshId()));
    expect(answer.status).toBe(503);
    expect(answer.outcome).toBe("event_store_unavailable");
    expect(answer.headers["retry-after"]).toBe("5");
    expect(JSON.parse(answer.body).error.message).toBe("The event store is unavailable; Cactus will redeliver the event");
    expect(handler.runs.size).toBe(0);
    await pool.end();
  });

  it("answers 503 once a claim takes longer than the deadline, and gives the late claim back", async () => {
    const locker = await database.pool.connect();
    const store = new PostgresEventStore({ db: database.pool, timeoutMs: 300 });
    await store.ready();
    const handler = new EffectHandler({ idempotency: store });
    const id = freshId();
    try {
      // Another session holds the table: every claim waits behind it.
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE cactus.events IN ACCESS EXCLUSIVE MODE");
      const answer = await answerOf(handler, body(id));
      expect(answer.status).toBe(503);
      expect(answer.outcome).toBe("event_store_unavailable");
      expect(JSON.parse(answer.body).error.type).toBe("event_store_unavailable");
    } finally {
      await locker.query("ROLLBACK");
      locker.release();
    }
    expect(handler.runs.size).toBe(0);
    // The claim that landed after the answer was released: the redelivery runs at once.
    let answer = await answerOf(handler, body(id));
    for (let tries = 0; answer.status === 409 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await answerOf(handler, body(id));
    }
    expect(answer.status).toBe(200);
    expect(handler.runsOf(id)).toBe(1);
  });

  it("uses the default 2 s deadline when none is given", async () => {
    const locker = await database.pool.connect();
    const store = new PostgresEventStore({ db: database.pool });
    await store.ready();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE cactus.events IN ACCESS EXCLUSIVE MODE");
      const answer = await answerOf(new EffectHandler({ idempotency: store }), body(freshId()));
      expect(answer.outcome).toBe("event_store_unavailable");
    } finally {
      await locker.query("ROLLBACK");
      locker.release();
    }
  });
});

describe("PostgresEventStore on a closed PGlite", () => {
  it("answers 503 event_store_unavailable and runs nothing", async () => {
    const db = new PGlite();
    const store = new PostgresEventStore({ db });
    await store.migrate();
    await db.close();
    const handler = new EffectHandler({ idempotency: store });
    const answer = await answerOf(handler, body(freshId()));
    expect(answer.status).toBe(503);
    expect(answer.outcome).toBe("event_store_unavailable");
    expect(answer.headers["retry-after"]).toBe("30");
    expect(handler.runs.size).toBe(0);
  });
});
