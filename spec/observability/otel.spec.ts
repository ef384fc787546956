import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { CactusClient, CactusHandler, createFetchHandler, getEventContext, type BaseThinEvent, type EventBody, type HandleResult, type OrderShippedPushedEvent, type WebhookReceiver } from "../../lib";
import { type DeliveryContext } from "../../lib/handler";
import { cactusTracing } from "../../lib/otel";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const SENDER_SPAN = "b7ad6b7169203331";
const TRACEPARENT = `00-${TRACE_ID}-${SENDER_SPAN}-01`;
const client = new CactusClient({ apiKey: "sk_test_otel", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });

class Handler extends CactusHandler {
  fail = false;
  readonly correlationIds: string[] = [];
  override async onOrderShipped(_event: OrderShippedPushedEvent): Promise<void> {
    this.correlationIds.push(getEventContext()?.correlationId ?? "none");
    if (this.fail) throw new Error("label printer jammed");
  }
  override async onOther(_event: BaseThinEvent): Promise<void> {}
}

/** Stores verified events as jobs, as a queue receiver does, and answers `queued`. */
class FakeQueue implements WebhookReceiver {
  readonly jobs: { body: EventBody; context: DeliveryContext }[] = [];
  async receive(body: EventBody, context: DeliveryContext = {}): Promise<HandleResult> {
    const { deliveryId, traceparent, correlationId } = context;
    this.jobs.push({ body, context: { deliveryId, traceparent, correlationId } });
    return { event: client.parseEventV2(body), outcome: "queued", handledBy: "", handlers: [] };
  }
}

function tracing(): { exporter: InMemorySpanExporter; instrumentation: ReturnType<typeof cactusTracing> } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, instrumentation: cactusTracing({ tracer: provider.getTracer("test") }) };
}

/** `name [kind]` of every span, indented under its parent. */
function tree(spans: readonly ReadableSpan[]): string[] {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number): void => {
    for (const span of spans.filter((item) => {
      const id = item.parentSpanContext?.spanId;
      return (id !== undefined && ids.has(id) ? id : undefined) === parent;
    })) {
      lines.push(`${"  ".repeat(depth)}${span.name} [${SpanKind[span.kind]}]`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

function named(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const span = spans.find((item) => item.name === name);
  if (span === undefined) throw new Error(`no span ${name} in ${spans.map((item) => item.name).join(", ")}`);
  return span;
}

function post(headers: Record<string, string>, body: string): Request {
  return new Request("http://x.test/webhooks", { method: "POST", headers, body });
}

describe("cactus-sdk/otel", () => {
  it("a handled event: one SERVER span continuing the incoming trace, with verify, parse and handler children", async () => {
    const { exporter, instrumentation } = tracing();
    const webhooks = createFetchHandler(new Handler(client), { webhookSecret: SECRET, instrumentation });
    const { body, headers } = signedDelivery(shippedBody("evt_ok"));
    expect((await webhooks(post({ ...headers, traceparent: TRACEPARENT }, body))).status).toBe(200);
    const spans = exporter.getFinishedSpans();
    expect(tree(spans)).toEqual(["cactus.receive order.shipped [SERVER]", "  cactus.verify [INTERNAL]", "  cactus.parse [INTERNAL]", "  cactus.handler [INTERNAL]"]);
    const receive = named(spans, "cactus.receive order.shipped");
    expect(receive.spanContext().traceId).toBe(TRACE_ID);
    expect(receive.parentSpanContext).toMatchObject({ spanId: SENDER_SPAN, isRemote: true });
    expect(receive.attributes).toMatchObject({
      "messaging.system": "cactus",
      "messaging.operation.type": "receive",
      "messaging.message.id": "evt_ok",
      "messaging.destination.name": "order.shipped",
      "cactus.outcome": "handled",
    });
    expect(receive.status.code).toBe(SpanStatusCode.UNSET);
    for (const span of spans) expect(span.spanContext().traceId).toBe(TRACE_ID);
  });

  it("a failed event: the handler span and the delivery span are errors, with the exception recorded", async () => {
    const { exporter, instrumentation } = tracing();
    const handler = new Handler(client);
    handler.fail = true;
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, instrumentation, onError: () => undefined });
    const { body, headers } = signedDelivery(shippedBody("evt_fail"));
    expect((await webhooks(post(headers, body))).status).toBe(500);
    const spans = exporter.getFinishedSpans();
    expect(tree(spans)).toEqual(["cactus.receive order.shipped [SERVER]", "  cactus.verify [INTERNAL]", "  cactus.parse [INTERNAL]", "  cactus.handler [INTERNAL]"]);
    const handlerSpan = named(spans, "cactus.handler");
    expect(handlerSpan.status.code).toBe(SpanStatusCode.ERROR);
    expect(handlerSpan.events.map((event) => event.name)).toEqual(["exception"]);
    expect(String(handlerSpan.events[0]?.attributes?.["exception.message"])).toContain("label printer jammed");
    const receive = named(spans, "cactus.receive order.shipped");
    expect(receive.status.code).toBe(SpanStatusCode.ERROR);
    expect(receive.attributes).toMatchObject({ "cactus.outcome": "handler_failed", "error.type": "handler_failed" });
    // Without an incoming traceparent the delivery starts a trace of its own.
    expect(receive.parentSpanContext).toBeUndefined();
  });

  it("a queued event: the worker's CONSUMER span joins the trace, child of and linked to the receiving span", async () => {
    const { exporter, instrumentation } = tracing();
    const queue = new FakeQueue();
    const webhooks = createFetchHandler(queue, { webhookSecret: SECRET, instrumentation });
    const { body, headers } = signedDelivery(shippedBody("evt_q"));
    expect((await webhooks(post({ ...headers, traceparent: TRACEPARENT }, body))).status).toBe(202);
    const received = named(exporter.getFinishedSpans(), "cactus.receive order.shipped");
    expect(received.kind).toBe(SpanKind.SERVER);
    expect(received.attributes["cactus.outcome"]).toBe("queued");
    const job = queue.jobs[0];
    expect(job?.context.traceparent).toBe(`00-${TRACE_ID}-${received.spanContext().spanId}-01`);

    // The worker, later: what a queue passes to receive().
    exporter.reset();
    const handler = new Handler(client, { instrumentation });
    await handler.receive(job!.body, { ...job!.context, attempt: 1 });
    const spans = exporter.getFinishedSpans();
    expect(tree(spans)).toEqual(["cactus.receive order.shipped [CONSUMER]", "  cactus.parse [INTERNAL]", "  cactus.handler [INTERNAL]"]);
    const consumer = named(spans, "cactus.receive order.shipped");
    expect(consumer.spanContext().traceId).toBe(TRACE_ID);
    expect(consumer.parentSpanContext?.spanId).toBe(received.spanContext().spanId);
    expect(consumer.links.map((link) => link.context.spanId)).toEqual([received.spanContext().spanId]);
    expect(consumer.attributes).toMatchObject({ "messaging.operation.type": "process", "cactus.delivery.attempt": 1, "cactus.outcome": "handled" });
    // The worker's logs carry the receiving side's correlation id (the trace id here).
    expect(handler.correlationIds).toEqual([TRACE_ID]);
  });

  it("handle(body) is an INTERNAL span; with no SDK registered the global tracer records nothing and nothing breaks", async () => {
    const { exporter, instrumentation } = tracing();
    await new Handler(client, { instrumentation }).handle(shippedBody());
    expect(tree(exporter.getFinishedSpans())).toEqual(["cactus.receive order.shipped [INTERNAL]", "  cactus.parse [INTERNAL]", "  cactus.handler [INTERNAL]"]);

    const queue = new FakeQueue();
    const webhooks = createFetchHandler(queue, { webhookSecret: SECRET, instrumentation: cactusTracing() });
    const { body, headers } = signedDelivery(shippedBody("evt_noop"));
    expect((await webhooks(post({ ...headers, traceparent: TRACEPARENT }, body))).status).toBe(202);
    // A no-op tracer still hands the incoming trace on to the queue.
    expect(queue.jobs[0]?.context.traceparent).toBe(TRACEPARENT);
    await expect(new Handler(client, { instrumentation: cactusTracing() }).handle(shippedBody())).resolves.toMatchObject({ outcome: "handled" });
  });
});
