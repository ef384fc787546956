// The /metrics recipe: one registry, the SDK's metrics in it, served next to the webhook endpoint.
//   CACTUS_WEBHOOK_SECRET=whsec_... node dist/examples/observability/metrics-server.js
import { createServer, type Server } from "node:http";
import express, { type Express } from "express";
import { Registry } from "prom-client";
import { createNodeMiddleware } from "../../lib";
import { type CactusEventReceiver } from "../../lib/handler";
import { cactusPrometheus, metricsHandler } from "../../lib/prometheus";
import { exampleEnv, ExampleHandler } from "../webhooks/example-handler";

/** node:http: `/metrics` for Prometheus, every other path to the webhook middleware. */
export function createNodeMetricsServer(receiver: CactusEventReceiver, webhookSecret: string, registry: Registry): Server {
  const webhooks = createNodeMiddleware(receiver, { webhookSecret, instrumentation: cactusPrometheus({ registry }) });
  const metrics = metricsHandler(registry);
  return createServer((req, res) => (req.method === "GET" && req.url === "/metrics" ? metrics(req, res) : void webhooks(req, res)));
}

/** Express: the same two routes. The webhook route must come before any body parser. */
export function createExpressMetricsApp(receiver: CactusEventReceiver, webhookSecret: string, registry: Registry): Express {
  const app = express();
  app.post("/webhooks", createNodeMiddleware(receiver, { webhookSecret, instrumentation: cactusPrometheus({ registry }) }));
  app.get("/metrics", metricsHandler(registry));
  return app;
}

if (require.main === module) {
  const { client, secret, port } = exampleEnv();
  const registry = new Registry();
  createNodeMetricsServer(new ExampleHandler(client), secret, registry).listen(port, () => console.log(`webhooks on :${port}/webhooks, metrics on :${port}/metrics`));
}
