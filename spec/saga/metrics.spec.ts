// Sagas in the metrics (prom-client registry output), the traces (span events) and the logs (the
// object id on every line), on PGlite through the receiver, as a program runs them.
import { AsyncLocalStorage } from "node:async_hooks";
import { PGlite } from "@electric-sql/pglite";
import { context, ROOT_CONTEXT, type Context, type ContextManager } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Registry } from "prom-client";
import { CactusClient, type OrderDeliveryAttemptedPushedEvent, type OrderShippedPushedEvent } from "../../lib";
import { CactusConfigError } from "../../lib/errors";
import { cactusTracing } from "../../lib/otel";
import { PostgresEventStore } from "../../lib/postgres";
import { cactusPrometheus } from "../../lib/prometheus";
import { CactusSaga, type SagaContext } from "../../lib/saga";

const client = new CactusClient({ apiKey: "sk_test_saga", baseUrl: "http://127.0.0.1:9" });

interface Order {
  readonly events: number;
}

/** ord_fail* fail on their delivery attempt (the charge is compensated), the others complete; ord_t* wait for a deadline. */
class Orders extends CactusSaga<Order> {
  override readonly sagaName = "orders";
  crashes = 0;
  override readonly compensations = { charge: async () => undefined };
  override initialState(): Order {
    return { events: 0 };
  }
  override async onOrderShipped(_event: OrderShippedPushedEvent, state: Order, context: SagaContext<Order>): Promise<Order> {
    await context.step("charge", () => `ch_${context.objectId}`);
    if (this.crashes > 0) {
      this.crashes -= 1;
      throw new CactusConfigError("crashed before the commit");
    }
    if (context.objectId.startsWith("ord_t")) context.expect("order.delivery_attempted", { within: 1_000, name: "delivery-news" });
    return { events: state.events + 1 };
  }
  override async onOrderDeliveryAttempted(_event: OrderDeliveryAttemptedPushedEvent, state: Order, context: SagaContext<Order>): Promise<Order> {
    if (context.objectId.startsWith("ord_fail")) context.fail("delivery refused");
    else context.complete();
    return { events: state.events + 1 };
  }
}

const shipped = (objectId: string) => ({ id: `evt_ship_${objectId}`, type: "order.shipped", related_object: { id: objectId, type: "order" } });
const attempted = (objectId: string) => ({ id: `evt_try_${objectId}`, type: "order.delivery_attempted", related_object: { id: objectId, type: "order" } });

/** The context manager an OpenTelemetry Node SDK registers, in a few lines (AsyncLocalStorage). */
class AsyncContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(active: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#storage.run(active, () => fn.apply(thisArg, args));
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

describe("sagas in metrics, traces and logs (PGlite)", () => {
  let db: PGlite;
  beforeAll(() => {
    db = new PGlite();
  });
  afterAll(async () => {
    await db.close();
  });

  it("counts started, applied, completed, failed, compensated and timeout once each was committed", async () => {
    const registry = new Registry();
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const at = (level: string) => (fields: Record<string, unknown>, message = "") => void lines.push({ level, fields, message });
    const logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
    const store = new PostgresEventStore({ db, transactional: true, schema: "saga_metrics" });
    await store.migrate();
    const saga = new Orders(client, { idempotency: store, logger, instrumentation: cactusPrometheus({ registry }) });

    await saga.handle(shipped("ord_ok"));
    await saga.handle(attempted("ord_ok"));
    await saga.handle(shipped("ord_ok")); // a redelivery: duplicate, counts nothing
    await saga.handle(shipped("ord_fail"));
    await saga.handle(attempted("ord_fail"));
    await saga.handle(shipped("ord_t"));
    expect(await store.runDueTimeouts({ now: new Date(Date.now() + 60_000) })).toEqual({ fired: 1, failed: 0 });
    saga.crashes = 1; // the first delivery of ord_x rolls back: nothing of it is counted
    await expect(saga.handle(shipped("ord_x"))).rejects.toThrow();
    await saga.handle(shipped("ord_x"));

    const text = await registry.metrics();
    const count = (transition: string): number => {
      const match = new RegExp(`^cactus_saga_transitions_total\\{saga="orders",transition="${transition}"\\} (\\d+)$`, "m").exec(text);
      return match === null ? 0 : Number(match[1]);
    };
    expect(text).toContain("# TYPE cactus_saga_transitions_total counter");
    expect({
      started: count("started"),
      applied: count("applied"),
      completed: count("completed"),
      failed: count("failed"),
      compensated: count("compensated"),
      timeout: count("timeout"),
    }).toEqual({ started: 4, applied: 6, completed: 1, failed: 1, compensated: 1, timeout: 1 });
    expect(saga.metrics).toEqual({ started: 4, applied: 6, completed: 1, failed: 1, compensated: 1, timeouts: 1 });

    // The transitions are logged with the saga and the object id.
    expect(lines.find((line) => line.message === "saga orders ord_ok completed")?.fields).toMatchObject({ saga: "orders", objectId: "ord_ok", eventId: "evt_try_ord_ok" });
    expect(lines.find((line) => line.level === "warn" && line.message.startsWith("saga orders ord_fail failed"))?.fields).toMatchObject({ saga: "orders", objectId: "ord_fail", reason: "delivery refused" });
  });

  it("adds each transition as an event of the delivery's handler span, with the object id", async () => {
    const manager = new AsyncContextManager();
    context.setGlobalContextManager(manager);
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    try {
      const store = new PostgresEventStore({ db, transactional: true, schema: "saga_traces" });
      await store.migrate();
      const saga = new Orders(client, { idempotency: store, instrumentation: [cactusTracing({ tracer: provider.getTracer("test") }), cactusPrometheus({ registry: new Registry() })] });
      await saga.handle(shipped("ord_span"));
      await saga.handle(attempted("ord_span"));
      const handlerSpans = exporter.getFinishedSpans().filter((span) => span.name === "cactus.handler");
      expect(handlerSpans.map((span) => span.events.map((event) => event.name))).toEqual([
        ["cactus.saga.started", "cactus.saga.applied"],
        ["cactus.saga.applied", "cactus.saga.completed"],
      ]);
      expect(handlerSpans[1]?.events[1]?.attributes).toEqual({ "cactus.saga.name": "orders", "cactus.saga.object_id": "ord_span" });
    } finally {
      await provider.shutdown();
      context.disable();
    }
  });
});
