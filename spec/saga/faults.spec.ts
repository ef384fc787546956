// Bad input and faults of a saga: each tested in memory (the harness) and, where the store matters, on PGlite and a real PostgreSQL server.
import { PGlite } from "@electric-sql/pglite";
import { CactusClient, CactusHandlerTimeoutError, MemoryIdempotencyStore, type OrderDeliveryAttemptedPushedEvent, type OrderShippedPushedEvent } from "../../lib";
import { CactusConfigError, CactusSagaError } from "../../lib/errors";
import { PostgresEventStore, type EventStoreDb } from "../../lib/postgres";
import { usePostgres } from "../postgres/describe-postgres";
import { postgresAvailable } from "../postgres/postgres-server";
import { CactusSaga, type SagaContext } from "../../lib/saga";
import { sagaEvent, sagaTest } from "../../lib/testing";

const client = new CactusClient({ apiKey: "sk_test_saga", baseUrl: "http://127.0.0.1:9" });
const silent = { debug() {}, info() {}, warn() {}, error() {} };
// A throwaway PostgreSQL server for the file, when it is installed (the PGlite cases run either way).
const server = postgresAvailable ? usePostgres() : undefined;

interface OpenedDatabase {
  readonly db: EventStoreDb;
  close(): Promise<void>;
}
const onPGlite = (): OpenedDatabase => {
  const db = new PGlite();
  return { db, close: () => db.close() };
};
const onPostgres = (): OpenedDatabase => {
  if (server === undefined) throw new Error("PostgreSQL is not installed");
  return { db: server.pool, close: async () => undefined };
};
const databases: [string, () => OpenedDatabase][] = [["on PGlite", onPGlite], ...(postgresAvailable ? [["on PostgreSQL", onPostgres] as [string, () => OpenedDatabase]] : [])];

interface Tracking {
  readonly events: number;
  readonly lastSeen?: unknown;
}

class DateState extends CactusSaga<Tracking> {
  override initialState(): Tracking {
    return { events: 0 };
  }
  override async onOrderShipped(_event: OrderShippedPushedEvent, state: Tracking): Promise<Tracking> {
    return { events: state.events + 1, lastSeen: new Date() };
  }
}

/** charge, then a later event fails; the refund (compensation) throws `refundFailures` times first. */
class Charging extends CactusSaga<Tracking> {
  readonly calls: string[] = [];
  refundFailures = 0;
  crashAfterCharge = 0;
  override readonly compensations = {
    charge: async (result: unknown) => {
      this.calls.push(`refund ${String(result)}`);
      if (this.refundFailures > 0) {
        this.refundFailures -= 1;
        throw new CactusConfigError("payments down");
      }
    },
  };
  override initialState(): Tracking {
    return { events: 0 };
  }
  override async onOrderShipped(_event: OrderShippedPushedEvent, state: Tracking, context: SagaContext<Tracking>): Promise<Tracking> {
    await context.step("charge", async () => {
      this.calls.push("charge");
      return "ch_1";
    });
    if (this.crashAfterCharge > 0) {
      this.crashAfterCharge -= 1;
      throw new CactusConfigError("crashed after the charge");
    }
    return { events: state.events + 1 };
  }
  override async onOrderDeliveryAttempted(_event: OrderDeliveryAttemptedPushedEvent, state: Tracking, context: SagaContext<Tracking>): Promise<Tracking> {
    context.fail("delivery refused");
    return { events: state.events + 1 };
  }
}

describe("saga faults", () => {
  it("refuses a state that is not JSON: the error names the saga and the field, nothing is written", async () => {
    const result = await sagaTest(new DateState(client)).attempt(sagaEvent("order.shipped", { objectId: "ord_1", id: "evt_1" }));
    const [failure] = result.errors;
    expect(failure?.error).toBeInstanceOf(CactusSagaError);
    expect(failure?.error).toMatchObject({ code: "saga_state_invalid", saga: "DateState", objectId: "ord_1", field: "state.lastSeen" });
    expect(String((failure?.error as Error).message)).toMatch(/Saga DateState \(instance ord_1\).*state\.lastSeen is a Date/);
    await expect(result.instance("ord_1")).rejects.toThrow("no instance for ord_1");
  });

  it("records a compensation that throws, retries it on the redelivery, and keeps the original failure", async () => {
    const saga = new Charging(client);
    saga.refundFailures = 3; // its 3 tries in the first delivery all throw
    const failing = sagaEvent("order.delivery_attempted", { objectId: "ord_1", id: "evt_fail", data: { success: false } });
    const result = await sagaTest(saga).given(sagaEvent("order.shipped", { objectId: "ord_1" })).attempt(failing).expectStatus("running").attempt(failing).expectStatus("failed");
    const [first] = result.errors;
    expect(result.errors).toHaveLength(1);
    expect(first?.error).toMatchObject({ code: "saga_compensation_failed" });
    expect(String((first?.error as Error).message)).toContain("failed (delivery refused)");
    expect(String((first?.error as Error).message)).toContain("charge: payments down");
    const instance = await result.instance();
    expect(instance.failure).toBe("delivery refused");
    expect(instance.steps).toEqual([expect.objectContaining({ name: "charge", compensation: "compensated", compensationAttempts: 4, compensationError: "payments down" })]);
    expect(saga.calls).toEqual(["charge", "refund ch_1", "refund ch_1", "refund ch_1", "refund ch_1"]);
  });

  it("does not run a step again when its event is retried after a throw", async () => {
    const saga = new Charging(client);
    saga.crashAfterCharge = 1;
    const event = sagaEvent("order.shipped", { objectId: "ord_1", id: "evt_ship" });
    const result = await sagaTest(saga).attempt(event).attempt(event).expectState({ events: 1 }).expectSteps(["charge"]);
    expect(result.errors).toHaveLength(1);
    expect(saga.calls).toEqual(["charge"]);
  });

  it("refuses a store that cannot keep saga state, when constructed", () => {
    expect(() => new Charging(client, { idempotency: new MemoryIdempotencyStore() })).toThrow(/saga: its state lives in the event store/);
    const db = { query: async () => ({ rows: [] }), transaction: async <T>(fn: (tx: never) => Promise<T>) => fn(undefined as never) };
    expect(() => new Charging(client, { idempotency: new PostgresEventStore({ db }) })).toThrow(/needs transactional: true/);
  });

  describe.each(databases)("%s, through the receiver", (where, open) => {
    let opened: OpenedDatabase;
    let store: PostgresEventStore;
    beforeAll(async () => {
      opened = open();
      store = new PostgresEventStore({ db: opened.db, transactional: true, schema: `saga_faults_${where === "on PGlite" ? "pglite" : "pg"}` });
      await store.migrate();
    }, 120_000);
    afterAll(async () => {
      await store.close();
      await opened.close();
    });

    it("a state that is not JSON leaves the event not handled", async () => {
      const saga = new DateState(client, { idempotency: store, logger: silent });
      await expect(saga.handle({ id: "evt_date", type: "order.shipped", related_object: { id: "ord_d", type: "order" } })).rejects.toMatchObject({ cause: expect.objectContaining({ code: "saga_state_invalid" }) });
      expect(await store.get("evt_date")).toMatchObject({ status: "failed", lastError: { code: "saga_state_invalid" } });
      expect(await store.saga("DateState", "ord_d")).toBeUndefined();
    });

    it("a method that never resolves: the handler deadline applies", async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      class Stuck extends CactusSaga<Tracking> {
        override initialState(): Tracking {
          return { events: 0 };
        }
        override async onOrderShipped(): Promise<Tracking> {
          await gate;
          throw new CactusConfigError("released");
        }
      }
      const saga = new Stuck(client, { idempotency: store, logger: silent, onError: () => undefined });
      // As the webhook middleware delivers it, with the receiver's handler deadline.
      const body = { id: "evt_stuck", type: "order.shipped", related_object: { id: "ord_s", type: "order" } };
      await expect(saga.receive(body, { deliveryId: "evt_stuck", handlerTimeoutMs: 50 })).rejects.toBeInstanceOf(CactusHandlerTimeoutError);
      release();
      // The method ends (throws) once released: its transaction rolls back, nothing was written.
      while ((await store.get("evt_stuck"))?.status !== "failed") await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.saga("Stuck", "ord_s")).toBeUndefined();
    });
  });
});
