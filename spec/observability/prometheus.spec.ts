import express from "express";
import { Registry } from "prom-client";
import { CactusClient, CactusHandler, CactusRouter, createFetchHandler, type BaseThinEvent, type OrderShippedPushedEvent } from "../../lib";
import { cactusPrometheus, metricsHandler, type QueueMetricsSource } from "../../lib/prometheus";
import { createExpressMetricsApp, createNodeMetricsServer } from "../../examples/observability/metrics-server";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { listen } from "../webhooks/helpers/server";

const offline = (): CactusClient => new CactusClient({ apiKey: "sk_test_metrics", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });

class Handler extends CactusHandler {
  fail = false;
  override async onOrderShipped(_event: OrderShippedPushedEvent): Promise<void> {
    if (this.fail) throw new Error("boom");
  }
  override async onOther(_event: BaseThinEvent): Promise<void> {}
}

async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  const { values } = await metric.get();
  const sample = values.find((item) => Object.entries(labels).every(([key, wanted]) => item.labels[key] === wanted) && Object.keys(item.labels).length >= Object.keys(labels).length);
  return sample?.value;
}

describe("cactus-sdk/prometheus", () => {
  it("counts deliveries by type and outcome, handler errors, and durations; unknown types are type=unknown", async () => {
    const registry = new Registry();
    const handler = new Handler(offline(), { instrumentation: cactusPrometheus({ registry }) });
    await handler.handle(shippedBody("evt_1"));
    await handler.handle(shippedBody("evt_2"));
    await handler.handle(JSON.stringify({ id: "evt_3", type: "order.refunded" }));
    await handler.handle(JSON.stringify({ id: "evt_4", type: "x".repeat(300) }));
    handler.fail = true;
    await expect(handler.handle(shippedBody("evt_5"))).rejects.toThrow("boom");
    await expect(handler.handle('{"id":"evt_6","type":"order.shipped"}')).rejects.toThrow();

    expect(await value(registry, "cactus_events_received_total", { type: "order.shipped", outcome: "handled" })).toBe(2);
    expect(await value(registry, "cactus_events_received_total", { type: "unknown", outcome: "handled" })).toBe(2);
    expect(await value(registry, "cactus_events_received_total", { type: "order.shipped", outcome: "handler_failed" })).toBe(1);
    expect(await value(registry, "cactus_events_received_total", { type: "order.shipped", outcome: "invalid" })).toBe(1);
    expect(await value(registry, "cactus_handler_errors_total", { type: "order.shipped" })).toBe(1);
    expect(await value(registry, "cactus_event_handling_duration_seconds", { type: "order.shipped", le: "+Inf" })).toBe(4);
    const page = await registry.metrics();
    expect(page).not.toContain("order.refunded");
    expect(page).not.toContain("xxxx");
  });

  it("counts rejected signatures through the middleware", async () => {
    const registry = new Registry();
    const webhooks = createFetchHandler(new Handler(offline()), { webhookSecret: SECRET, instrumentation: cactusPrometheus({ registry }), onError: () => undefined });
    const { body, headers } = signedDelivery(shippedBody("evt_1"));
    await webhooks(new Request("http://x.test/webhooks", { method: "POST", headers: { ...headers, "webhook-signature": "v1,AAAA" }, body }));
    expect(await value(registry, "cactus_events_received_total", { type: "unknown", outcome: "rejected_signature" })).toBe(1);
  });

  it("routers are counted the same way", async () => {
    const registry = new Registry();
    const router = new CactusRouter(offline(), { instrumentation: cactusPrometheus({ registry }) });
    router.on("order.shipped", () => undefined);
    await router.handle(shippedBody());
    expect(await value(registry, "cactus_events_received_total", { type: "order.shipped", outcome: "handled" })).toBe(1);
  });

  it("a second cactusPrometheus() on one registry reuses its metrics", async () => {
    const registry = new Registry();
    const first = new Handler(offline(), { instrumentation: cactusPrometheus({ registry }) });
    const second = new Handler(offline(), { instrumentation: cactusPrometheus({ registry }) });
    await first.handle(shippedBody("evt_1"));
    await second.handle(shippedBody("evt_2"));
    expect(await value(registry, "cactus_events_received_total", { type: "order.shipped", outcome: "handled" })).toBe(2);
  });

  it("queue gauges read a structural source at each scrape, with bounded state labels", async () => {
    const registry = new Registry();
    let counts: Record<string, number> = { waiting: 3, active: 1, failed: 2, "some-new-state": 4 };
    let dead = 5;
    const queue: QueueMetricsSource = { getJobCounts: async () => counts, deadLetterCount: async () => dead };
    cactusPrometheus({ registry, queue });
    expect(await value(registry, "cactus_queue_jobs", { state: "waiting" })).toBe(3);
    expect(await value(registry, "cactus_queue_jobs", { state: "other" })).toBe(4);
    expect(await value(registry, "cactus_dead_letters")).toBe(5);
    counts = { waiting: 0 };
    dead = 0;
    expect(await value(registry, "cactus_queue_jobs", { state: "active" })).toBeUndefined();
    expect(await value(registry, "cactus_dead_letters")).toBe(0);
  });

  it("an unreachable queue does not break the scrape", async () => {
    const registry = new Registry();
    cactusPrometheus({ registry, queue: { getJobCounts: () => Promise.reject(new Error("redis down")), deadLetterCount: () => Promise.reject(new Error("redis down")) } });
    await expect(registry.metrics()).resolves.toContain("cactus_queue_jobs");
  });
});

describe("the /metrics recipe", () => {
  async function deliverAndScrape(url: string): Promise<string> {
    const { body, headers } = signedDelivery(shippedBody("evt_http"));
    const answer = await fetch(`${url}/webhooks`, { method: "POST", headers, body });
    expect(answer.status).toBe(200);
    const page = await fetch(`${url}/metrics`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/plain");
    return page.text();
  }

  it("node:http", async () => {
    const registry = new Registry();
    const server = await listen(createNodeMetricsServer(new Handler(offline()), SECRET, registry));
    try {
      expect(await deliverAndScrape(server.url)).toContain('cactus_events_received_total{type="order.shipped",outcome="handled"} 1');
    } finally {
      await server.close();
    }
  });

  it("Express", async () => {
    const registry = new Registry();
    const server = await listen(createExpressMetricsApp(new Handler(offline()), SECRET, registry));
    try {
      expect(await deliverAndScrape(server.url)).toContain('cactus_events_received_total{type="order.shipped",outcome="handled"} 1');
    } finally {
      await server.close();
    }
  });

  it("answers 500 when a collector fails", async () => {
    const registry = new Registry();
    registry.registerMetric({ name: "broken", get: () => Promise.reject(new Error("x")) } as never);
    const app = express();
    app.get("/metrics", metricsHandler(registry));
    const server = await listen(app);
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(500);
    } finally {
      await server.close();
    }
  });
});
