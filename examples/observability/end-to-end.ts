// One event end to end with everything on: a structured log line per outcome (and the handler's
// own line, with the same ids), the Prometheus metrics page, and the OpenTelemetry trace.
//   npm run build && node dist/examples/observability/end-to-end.js
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { Registry } from "prom-client";
import { CactusClient, CactusHandler, createNodeMiddleware, getEventContext, type BaseThinEvent, type OrderShippedPushedEvent } from "../../lib";
import { signWebhook } from "../../lib/webhooks";
import { CactusEmulator } from "../../lib/emulator";
import { cactusTracing } from "../../lib/otel";
import { cactusPrometheus, metricsHandler } from "../../lib/prometheus";
import { jsonLineLogger } from "./json-logger";

/** Prints a shipping label: pulls the full event, and logs through the event's own logger. */
export class ShippingHandler extends CactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    const full = await event.pull();
    getEventContext()?.logger.info({ shippingService: full.data.shippingService }, "shipping label printed");
  }

  override async onOther(_event: BaseThinEvent): Promise<void> {
    // nothing to do for other types in this example
  }
}

/** The trace the sender started: the delivery continues it. */
export const INCOMING_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/** What the example produced. */
export interface EndToEndResult {
  /** The JSON log lines. */
  readonly logLines: readonly string[];
  /** The `cactus_*` samples of `/metrics` (histogram buckets left out). */
  readonly metrics: readonly string[];
  /** The finished spans. */
  readonly spans: readonly ReadableSpan[];
  /** The HTTP status of the delivery. */
  readonly status: number;
}

/**
 * Starts the emulator and a node:http server (webhooks on `/webhooks`, metrics on `/metrics`),
 * delivers `evt_order_shipped` once (the first API call answers 503, so the client retries), and
 * prints the log lines, the metrics and the span tree.
 */
export async function runEndToEnd(print: (line: string) => void = console.log): Promise<EndToEndResult> {
  const emulator = await CactusEmulator.start();
  const logLines: string[] = [];
  const registry = new Registry();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 2 });
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const handler = new ShippingHandler(client, {
    logger: jsonLineLogger((line) => logLines.push(line)),
    instrumentation: [cactusPrometheus({ registry }), cactusTracing({ tracer: provider.getTracer("example") })],
  });
  const webhooks = createNodeMiddleware(handler, { webhookSecret: secret });
  const metricsPage = metricsHandler(registry);
  const server = createServer((req, res) => (req.url === "/metrics" ? metricsPage(req, res) : void webhooks(req, res)));
  try {
    const url = await listen(server);
    emulator.failNext({ status: 503, retryAfter: "0", pathPrefix: "/v2/events" });
    const body = JSON.stringify(emulator.thinEventOf("evt_order_shipped"));
    const headers = { ...signWebhook({ id: "evt_order_shipped", body, webhookSecret: secret }), traceparent: INCOMING_TRACEPARENT };
    const answer = await fetch(`${url}/webhooks`, { method: "POST", headers, body });
    await answer.arrayBuffer();
    const page = await (await fetch(`${url}/metrics`)).text();
    const metrics = page.split("\n").filter((line) => line.startsWith("cactus_") && !line.includes("_bucket{"));
    const spans = exporter.getFinishedSpans();
    print(`delivery answered ${answer.status}`);
    print("\n# log lines");
    for (const line of logLines) print(line);
    print("\n# /metrics (cactus_*, buckets left out)");
    for (const line of metrics) print(line);
    print("\n# trace");
    for (const line of spanTree(spans)) print(line);
    return { logLines, metrics, spans, status: answer.status };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await provider.shutdown();
    await emulator.close();
  }
}

/** The spans as an indented tree, parents first: name, kind and the telling attributes. */
export function spanTree(spans: readonly ReadableSpan[]): string[] {
  const byParent = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent !== undefined && ids.has(parent) ? parent : undefined;
    byParent.set(key, [...(byParent.get(key) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number): void => {
    const children = [...(byParent.get(parent) ?? [])].sort((a, b) => compareTime(a, b));
    for (const span of children) {
      const attributes = ["cactus.outcome", "messaging.message.id", "http.response.status_code", "http.request.resend_count"]
        .filter((key) => span.attributes[key] !== undefined)
        .map((key) => `${key}=${String(span.attributes[key])}`);
      const remote = depth === 0 && span.parentSpanContext !== undefined ? ` parent=${span.parentSpanContext.spanId} (remote)` : "";
      lines.push(`${"  ".repeat(depth)}${span.name} [${KIND_NAMES[span.kind] ?? span.kind}] trace=${span.spanContext().traceId}${remote} ${attributes.join(" ")}`.trimEnd());
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

const KIND_NAMES: Readonly<Record<number, string>> = { 0: "INTERNAL", 1: "SERVER", 2: "CLIENT", 3: "PRODUCER", 4: "CONSUMER" };

function compareTime(a: ReadableSpan, b: ReadableSpan): number {
  return a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

if (require.main === module) {
  runEndToEnd().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
