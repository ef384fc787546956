// `cactus saga show <name> <objectId>`: on PGlite through its core, on a real server through the command line.
import { PGlite } from "@electric-sql/pglite";
import { CactusClient } from "../../lib";
import { runCli } from "../../lib/cli/main";
import { showSaga, type SagaShowSource } from "../../lib/cli/saga-command";
import { PostgresEventStore, type EventStoreDb } from "../../lib/postgres";
import { sagaEvent, sagaTest } from "../../lib/testing";
import { Fulfilment, RecordingServices } from "../../examples/saga/fulfilment";
import { capture } from "../cli/capture";
import { describePostgres } from "./describe-postgres";
import { useRealPostgres } from "./store-under-test";

const client = new CactusClient({ apiKey: "sk_test_saga", baseUrl: "http://127.0.0.1:9" });

/** Two fulfilment orders in `schema`: ord_7 lost, its refund failing for good (failed, the re-shipment compensated); ord_1 shipped and waiting. */
async function twoOrders(db: EventStoreDb, schema: string): Promise<void> {
  const services = new RecordingServices();
  services.lastSeen.set("Reims", "ord_7");
  services.failRefunds = 3;
  await sagaTest(new Fulfilment(client, services), { db, schema }).given(
    sagaEvent("order.shipped", { objectId: "ord_7", id: "evt_ship_7" }),
    sagaEvent("order.lost", { id: "evt_lost_7", data: { last_seen_city: "Reims" } }),
    sagaEvent("order.shipped", { objectId: "ord_1", id: "evt_ship_1" }),
  );
}

describe("cactus saga show, on PGlite", () => {
  let db: PGlite;
  let source: SagaShowSource;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = new PGlite();
    await twoOrders(db, "cactus");
    store = new PostgresEventStore({ db });
    source = { store, query: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows };
  }, 120_000);
  afterAll(() => db.close());

  const show = async (name: string, objectId: string, json = false, of: SagaShowSource = source) => {
    const out = capture();
    const status = await showSaga(of, name, objectId, { json }, out.io);
    return { status, out: out.out };
  };

  it("prints state, status, failure, steps with their compensations, history and deadlines", async () => {
    const { status, out } = await show("fulfilment", "ord_7");
    expect(status).toBe(0);
    expect(out[0]).toBe("saga fulfilment  instance ord_7  failed  version 2");
    expect(out[1]).toBe('failure: step "refund-lost" failed: refund of ord_7 declined');
    const state = out.slice(out.indexOf("state:") + 1, out.findIndex((line) => line.startsWith("steps (")));
    expect(JSON.parse(state.join("\n"))).toEqual({ shipped: true, failedAttempts: 0, refundId: null, reshipments: 0, ticketId: null });
    expect(out).toContain("steps (3):");
    expect(out).toContain("  notify-shipped  event evt_ship_7  result null  compensation missing");
    expect(out).toContain('  reship  event evt_lost_7  result "shp_1"  compensation compensated (1 try)');
    expect(out).toContain("  refund-lost  event evt_lost_7  failed: refund of ord_7 declined");
    expect(out.filter((line) => / {2}evt_(ship|lost)_7 {2}/.test(line)).map((line) => line.trim().split(/\s+/).slice(1))).toEqual([
      ["evt_ship_7", "order.shipped", "onOrderShipped", "applied"],
      ["evt_lost_7", "order.lost", "onOrderLost", "failed"],
    ]);
    expect(out.at(-1)).toBe("deadlines (0):");
    const waiting = await show("fulfilment", "ord_1");
    expect(waiting.out[0]).toBe("saga fulfilment  instance ord_1  running  version 1");
    expect(waiting.out.at(-2)).toBe("deadlines (1):");
    expect(waiting.out.at(-1)).toMatch(/^ {2}delivery-news {2}waits for order\.delivery_attempted {2}due 2026-01-04T00:00:00\.000Z$/);
  });

  it("--json prints what store.saga(name, objectId) reads, as one JSON object", async () => {
    const { status, out } = await show("fulfilment", "ord_7", true);
    expect(status).toBe(0);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? "{}")).toEqual(JSON.parse(JSON.stringify(await store.saga("fulfilment", "ord_7"))));
  });

  it("names what is unknown: the instance (of a saga it has), or the saga (listing those it has)", async () => {
    await expect(show("fulfilment", "ord_404")).rejects.toMatchObject({ code: "invalid_argument", argument: "objectId", message: expect.stringContaining('saga "fulfilment" has no instance "ord_404" in schema "cactus"') });
    await expect(show("Fulfilment", "ord_7")).rejects.toMatchObject({ code: "invalid_argument", argument: "name", message: expect.stringContaining('no saga named "Fulfilment" in schema "cactus": the sagas it has: "fulfilment"') });
    // An id from the command line is printed safely.
    await expect(show("fulfilment", "ord_\u001b[2J")).rejects.toMatchObject({ message: expect.stringContaining('"ord_\\\\x1b[2J"') });
  });

  it("says how to create the saga tables when the schema has none", async () => {
    const bare = { store: new PostgresEventStore({ db, schema: "nothing_here" }), query: source.query };
    await expect(show("fulfilment", "ord_7", false, bare)).rejects.toMatchObject({ code: "invalid_config", message: expect.stringMatching(/no saga tables in schema "nothing_here": run `npx cactus db migrate --database-url \.\.\. --schema nothing_here`/) });
  });
});

describePostgres("cactus saga show, on a real PostgreSQL server", () => {
  const database = useRealPostgres();
  beforeAll(async () => {
    await twoOrders(database.pool, "cactus");
  }, 60_000);

  const run = async (args: string[]) => {
    const out = capture();
    const status = await runCli(args, out.io);
    return { status, out: out.out, err: out.err.join("\n") };
  };

  it("shows an instance from --database-url, in text and as JSON", async () => {
    const text = await run(["saga", "show", "fulfilment", "ord_7", "--database-url", database.url]);
    expect(text.status).toBe(0);
    expect(text.out[0]).toBe("saga fulfilment  instance ord_7  failed  version 2");
    const json = await run(["saga", "show", "fulfilment", "ord_1", "--database-url", database.url, "--json"]);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.out[0] ?? "{}")).toMatchObject({ saga: "fulfilment", objectId: "ord_1", status: "running", version: 1, deadlines: [{ name: "delivery-news" }] });
  });

  it("exits 1 naming an unknown saga or instance", async () => {
    const instance = await run(["saga", "show", "fulfilment", "ord_404", "--database-url", database.url]);
    expect(instance.status).toBe(1);
    expect(instance.err).toContain('saga "fulfilment" has no instance "ord_404"');
    const saga = await run(["saga", "show", "shipping", "ord_7", "--database-url", database.url]);
    expect(saga.status).toBe(1);
    expect(saga.err).toContain('no saga named "shipping" in schema "cactus": the sagas it has: "fulfilment"');
  });

  it("refuses a missing or wrong URL or schema with exit status 2, never printing a password", async () => {
    const saved = process.env["DATABASE_URL"];
    delete process.env["DATABASE_URL"];
    try {
      const missing = await run(["saga", "show", "fulfilment", "ord_7"]);
      expect(missing.status).toBe(2);
      expect(missing.err).toContain("cactus saga show needs --database-url <url> (or DATABASE_URL)");
      const wrong = await run(["saga", "show", "fulfilment", "ord_7", "--database-url", "mysql://root:hunter2@db/app"]);
      expect(wrong.status).toBe(2);
      expect(wrong.err).toContain("mysql://***@db/app");
      expect(wrong.err).not.toContain("hunter2");
      const at = await run(["saga", "show", "fulfilment", "ord_7", "--database-url", "mysql://root:hun@ter/2@db/app"]);
      expect(at.err).toContain("mysql://***@db/app");
      expect(at.err).not.toMatch(/hun|ter/);
      const schema = await run(["saga", "show", "fulfilment", "ord_7", "--database-url", database.url, "--schema", "Bad-Name"]);
      expect(schema.status).toBe(2);
      expect(schema.err).toContain('--schema must be a lower-case SQL identifier');
      const args = await run(["saga", "show", "fulfilment", "--database-url", database.url]);
      expect(args.status).toBe(2);
    } finally {
      if (saved !== undefined) process.env["DATABASE_URL"] = saved;
    }
  });

  it("exits 1 with the database's refusal when the server is unreachable, never printing the password", async () => {
    const answer = await run(["saga", "show", "fulfilment", "ord_7", "--database-url", "postgres://postgres:secret-pw@127.0.0.1:1/postgres"]);
    expect(answer.status).toBe(1);
    expect(answer.err).toMatch(/ECONNREFUSED|connect/);
    expect(answer.err).not.toContain("secret-pw");
  });
});
