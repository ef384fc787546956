// The fulfilment example, tested with the saga harness: in memory, then the same cases on PGlite
// and on a real PostgreSQL server (skipped, saying so once, where PostgreSQL is not installed).
import { PGlite } from "@electric-sql/pglite";
import { CactusClient } from "../../lib";
import { sagaEvent, sagaTest, type SagaTestOptions } from "../../lib/testing";
import { Fulfilment, RecordingServices } from "../../examples/saga/fulfilment";
import { postgresAvailable } from "../postgres/postgres-server";
import { usePostgres } from "../postgres/describe-postgres";

const client = new CactusClient({ apiKey: "sk_test_saga", baseUrl: "http://127.0.0.1:9" });
const shipped = (objectId: string) => sagaEvent("order.shipped", { objectId });
const attempt = (objectId: string, success: boolean, n = 1) => sagaEvent("order.delivery_attempted", { objectId, data: { success, attempt_num: n, delivery_location: "Lyon" } });

// One PGlite for the file (it takes seconds to start), a fresh schema per test.
let db: PGlite | undefined;
let schemas = 0;
afterAll(() => db?.close());
const onPGlite = (): SagaTestOptions => ({ db: (db ??= new PGlite()), schema: `saga_test_${++schemas}` });
// One server for the file, started only when its cases run.
const server = postgresAvailable ? usePostgres() : undefined;
const onPostgres = (): SagaTestOptions => {
  if (server === undefined) throw new Error("PostgreSQL is not installed");
  return { db: server.pool, schema: `saga_test_${++schemas}` };
};

describe.each<[string, () => SagaTestOptions]>([
  ["in memory", () => ({})],
  ["on PGlite", onPGlite],
  ...(postgresAvailable ? [["on PostgreSQL", onPostgres] as [string, () => SagaTestOptions]] : []),
])("Fulfilment saga (%s)", (_where, options) => {
  let services: RecordingServices;
  let saga: Fulfilment;
  beforeEach(() => {
    services = new RecordingServices();
    saga = new Fulfilment(client, services);
  });

  it("notifies on shipping and waits 3 days for delivery news", async () => {
    const result = await sagaTest(saga, options())
      .given(shipped("ord_1"))
      .expectState({ shipped: true, failedAttempts: 0, refundId: null, reshipments: 0, ticketId: null })
      .expectStatus("running")
      .expectSteps(["notify-shipped"])
      .expectDeadlines(["delivery-news"]);
    expect(services.calls).toEqual(["notify ord_1: Your order ord_1 is on its way"]);
    expect((await result.instance()).history.map((line) => [line.type, line.outcome])).toEqual([["order.shipped", "applied"]]);
  });

  it("refunds after three failed delivery attempts, then ignores later events", async () => {
    const result = await sagaTest(saga, options())
      .given(shipped("ord_1"), attempt("ord_1", false, 1), attempt("ord_1", false, 2), attempt("ord_1", false, 3), attempt("ord_1", true, 4))
      .expectStatus("completed")
      .expectSteps(["notify-shipped", "refund"])
      .expectDeadlines([]);
    const instance = await result.instance();
    expect(instance.state).toMatchObject({ failedAttempts: 3, refundId: "re_1" });
    expect(instance.history.map((line) => line.outcome)).toEqual(["applied", "applied", "applied", "completed", "ignored"]);
    expect(services.calls.filter((call) => call.startsWith("refund"))).toEqual(["refund ord_1"]);
  });

  it("completes on a successful delivery, and the deadline is gone", async () => {
    await sagaTest(saga, options()).given(shipped("ord_1"), attempt("ord_1", true)).expectStatus("completed").expectDeadlines([]).advance("4d").expectState(
      { shipped: true, failedAttempts: 0, refundId: null, reshipments: 0, ticketId: null },
    );
    expect(services.calls).toEqual(["notify ord_1: Your order ord_1 is on its way", "notify ord_1: Delivered to Lyon"]);
  });

  it("opens a ticket when nothing happens for 3 days (fake clock), once", async () => {
    const result = await sagaTest(saga, options()).given(shipped("ord_1")).advance("2d").expectDeadlines(["delivery-news"]).advance("1d").advance("10d");
    const instance = await result.instance();
    expect(instance.state.ticketId).toBe("tkt_1");
    expect(instance.deadlines).toEqual([]);
    expect(services.calls.filter((call) => call.startsWith("ticket"))).toEqual(["ticket ord_1: no delivery news for 3 days"]);
    expect(result.metrics.timeouts).toBe(1);
  });

  it("re-ships and refunds a lost parcel, routed to its order by objectIdOf", async () => {
    services.lastSeen.set("Reims", "ord_7");
    const result = await sagaTest(saga, options()).given(shipped("ord_7"), sagaEvent("order.lost", { data: { last_seen_city: "Reims" } })).expectSteps(["notify-shipped", "reship", "refund-lost"]);
    expect((await result.instance("ord_7")).state).toMatchObject({ reshipments: 1, refundId: "re_2" });
  });

  it("sends a lost parcel it cannot place to onOther, touching no instance", async () => {
    const result = await sagaTest(saga, options()).given(shipped("ord_1"), sagaEvent("order.lost", { data: { last_seen_city: "Nowhere" } }));
    expect((await result.instance("ord_1")).history).toHaveLength(1);
  });

  it("fails when the refund of a lost parcel fails past its retries, and cancels the re-shipment once", async () => {
    services.lastSeen.set("Reims", "ord_7");
    services.failRefunds = 3;
    const result = await sagaTest(saga, options())
      .given(shipped("ord_7"), sagaEvent("order.lost", { data: { last_seen_city: "Reims" } }))
      .expectStatus("failed", "ord_7")
      .expectCompensated(["reship"], "ord_7");
    const instance = await result.instance("ord_7");
    expect(instance.failure).toBe('step "refund-lost" failed: refund of ord_7 declined');
    // notify-shipped has no compensation (it ran in an earlier event and the saga names none for it).
    expect(instance.steps.map((step) => [step.name, step.compensation ?? "-"])).toEqual([["notify-shipped", "missing"], ["reship", "compensated"], ["refund-lost", "-"]]);
    expect(services.calls.filter((call) => call.startsWith("cancel"))).toEqual(["cancel shp_1"]);
    expect(result.metrics).toMatchObject({ failed: 1, compensated: 1 });
  });

  it("applies a redelivered event once", async () => {
    const again = attempt("ord_1", false);
    const event = { ...again, id: "evt_same" };
    const result = await sagaTest(saga, options()).given(shipped("ord_1"), event, event);
    expect((await result.instance()).state.failedAttempts).toBe(1);
  });
});
