import { SpanKind } from "@opentelemetry/api";
import { INCOMING_TRACEPARENT, runEndToEnd } from "../../examples/observability/end-to-end";

// The example docs/observability.md prints, run for real: emulator, HTTP, signatures, retries.
describe("examples/observability/end-to-end", () => {
  it("produces the log lines, the metrics and the trace of one event", async () => {
    const printed: string[] = [];
    const { logLines, metrics, spans, status } = await runEndToEnd((line) => printed.push(line));
    expect(status).toBe(200);

    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const traceId = INCOMING_TRACEPARENT.split("-")[1];
    const ids = { eventId: "evt_order_shipped", eventType: "order.shipped", deliveryId: "evt_order_shipped", correlationId: traceId };
    expect(lines).toEqual([
      { level: "info", msg: "shipping label printed", ...ids, shippingService: "usps" },
      expect.objectContaining({ level: "debug", ...ids, outcome: "handled", handledBy: "onOrderShipped" }),
    ]);

    expect(metrics).toContain('cactus_events_received_total{type="order.shipped",outcome="handled"} 1');
    expect(metrics).toContain('cactus_event_handling_duration_seconds_count{type="order.shipped"} 1');
    // The first pull answered 503 and was retried: both attempts are counted, by route template.
    expect(metrics).toContain('cactus_api_requests_total{endpoint="/v2/events/{id}",status="503"} 1');
    expect(metrics).toContain('cactus_api_requests_total{endpoint="/v2/events/{id}",status="200"} 1');
    expect(metrics.join("\n")).not.toContain("evt_order_shipped");

    const receive = spans.find((span) => span.name === "cactus.receive order.shipped");
    expect(receive?.kind).toBe(SpanKind.SERVER);
    expect(receive?.spanContext().traceId).toBe(traceId);
    expect(receive?.parentSpanContext?.spanId).toBe(INCOMING_TRACEPARENT.split("-")[2]);
    expect(printed.join("\n")).toContain("# trace");
    expect(printed.filter((line) => /^\s*(cactus\.|GET )/.test(line))).toEqual([
      expect.stringMatching(/^cactus\.receive order\.shipped \[SERVER\] .*parent=00f067aa0ba902b7 \(remote\).*cactus\.outcome=handled/),
      expect.stringMatching(/^ {2}cactus\.verify \[INTERNAL\]/),
      expect.stringMatching(/^ {2}cactus\.parse \[INTERNAL\]/),
      expect.stringMatching(/^ {2}cactus\.handler \[INTERNAL\]/),
      expect.stringMatching(/^ {4}GET \/v2\/events\/\{id\} \[CLIENT\] .*http\.response\.status_code=503$/),
      expect.stringMatching(/^ {4}GET \/v2\/events\/\{id\} \[CLIENT\] .*http\.response\.status_code=200 http\.request\.resend_count=1$/),
    ]);
  });
});
