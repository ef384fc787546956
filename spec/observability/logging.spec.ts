import {
  CactusClient,
  CactusHandler,
  createFetchHandler,
  getEventContext,
  MemoryIdempotencyStore,
  type BaseThinEvent,
  type CactusEventContext,
  type CactusReceiverOptions,
  type OrderShippedPushedEvent,
} from "../../lib";
import { OTHER_SECRET, SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { RecordingLogger } from "./helpers/recording-logger";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

class Handler extends CactusHandler {
  readonly seen: CactusEventContext[] = [];
  failWith: Error | undefined;
  delayMs = 0;

  constructor(options: CactusReceiverOptions = {}) {
    // eventContext: its handler reads getEventContext() after an await, deep in its call tree.
    super(new CactusClient({ apiKey: "sk_test_logging", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), { eventContext: true, ...options });
  }

  override async onOrderShipped(_event: OrderShippedPushedEvent): Promise<void> {
    const context = getEventContext();
    if (context !== undefined) this.seen.push(context);
    await nested();
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failWith !== undefined) throw this.failWith;
  }

  override async onOther(_event: BaseThinEvent): Promise<void> {}
}

// A helper far from the handler: it logs through the event context, with nothing passed down.
async function nested(): Promise<void> {
  await Promise.resolve();
  getEventContext()?.logger.info({ step: "nested" }, "deep inside the handler");
}

function post(headers: Record<string, string>, body: string): Request {
  return new Request("http://example.test/webhooks", { method: "POST", headers, body });
}

describe("structured logs", () => {
  afterEach(() => jest.restoreAllMocks());

  it("handled: one debug line with the event id, type, delivery id and correlation id (the event id by default)", async () => {
    const logger = new RecordingLogger();
    const webhooks = createFetchHandler(new Handler(), { webhookSecret: SECRET, logger });
    const { body, headers } = signedDelivery(shippedBody("evt_9"));
    expect((await webhooks(post(headers, body))).status).toBe(200);
    const outcome = logger.lines.filter((line) => line.fields["outcome"] !== undefined);
    expect(outcome).toEqual([
      {
        level: "debug",
        message: "order.shipped evt_9 handled by onOrderShipped",
        fields: expect.objectContaining({ eventId: "evt_9", eventType: "order.shipped", deliveryId: "evt_9", correlationId: "evt_9", outcome: "handled", handledBy: "onOrderShipped" }),
      },
    ]);
    expect(typeof outcome[0]?.fields["durationMs"]).toBe("number");
  });

  it("the correlation id is x-correlation-id when sent, else the traceparent's trace id", async () => {
    const logger = new RecordingLogger();
    const webhooks = createFetchHandler(new Handler(), { webhookSecret: SECRET, logger });
    const first = signedDelivery(shippedBody("evt_a"));
    await webhooks(post({ ...first.headers, traceparent: TRACEPARENT }, first.body));
    const second = signedDelivery(shippedBody("evt_b"));
    await webhooks(post({ ...second.headers, traceparent: TRACEPARENT, "x-correlation-id": "order-flow-17" }, second.body));
    const third = signedDelivery(shippedBody("evt_c"));
    await webhooks(post({ ...third.headers, traceparent: "not-a-traceparent", "x-correlation-id": "has spaces" }, third.body));
    const byEvent = Object.fromEntries(logger.lines.filter((line) => line.fields["outcome"]).map((line) => [line.fields["eventId"], line.fields["correlationId"]]));
    expect(byEvent).toEqual({ evt_a: TRACE_ID, evt_b: "order-flow-17", evt_c: "evt_c" });
  });

  it("a handler's own lines (getEventContext().logger) carry the same fields, without passing anything down", async () => {
    const logger = new RecordingLogger();
    const handler = new Handler();
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, logger });
    const { body, headers } = signedDelivery(shippedBody("evt_ctx"));
    await webhooks(post({ ...headers, traceparent: TRACEPARENT }, body));
    expect(logger.lines[0]).toEqual({
      level: "info",
      message: "deep inside the handler",
      fields: { eventId: "evt_ctx", eventType: "order.shipped", deliveryId: "evt_ctx", correlationId: TRACE_ID, step: "nested" },
    });
    expect(handler.seen[0]).toMatchObject({ eventId: "evt_ctx", eventType: "order.shipped", attempt: 1, correlationId: TRACE_ID, deliveryId: "evt_ctx" });
    expect(getEventContext()).toBeUndefined();
  });

  it("a forged signature: one warn line with the reason code, never the secret or the body", async () => {
    const logger = new RecordingLogger();
    const webhooks = createFetchHandler(new Handler(), { webhookSecret: SECRET, logger });
    const { body, headers } = signedDelivery(shippedBody("evt_forged"), { secret: OTHER_SECRET });
    expect((await webhooks(post(headers, body))).status).toBe(401);
    expect(logger.lines).toEqual([
      {
        level: "warn",
        message: "delivery evt_forged rejected: no_matching_signature",
        fields: expect.objectContaining({ deliveryId: "evt_forged", outcome: "rejected_signature", reason: "no_matching_signature" }),
      },
    ]);
    const text = JSON.stringify(logger.lines);
    for (const secret of [SECRET, OTHER_SECRET]) expect(text).not.toContain(secret.slice(6, 20));
    expect(text).not.toContain("ord_456");
    expect(text).not.toContain(headers["webhook-signature"].slice(3, 20));
  });

  it("a bad payload: one warn line with the field paths and rules, not the values", async () => {
    const logger = new RecordingLogger();
    const webhooks = createFetchHandler(new Handler(), { webhookSecret: SECRET, logger });
    const bad = JSON.stringify({ id: "evt_bad", type: "order.shipped", related_object: { id: 12345, type: "order" } });
    const { body, headers } = signedDelivery(bad);
    expect((await webhooks(post(headers, body))).status).toBe(400);
    expect(logger.lines).toEqual([
      {
        level: "warn",
        message: "order.shipped evt_bad rejected: invalid payload",
        fields: expect.objectContaining({ eventId: "evt_bad", outcome: "invalid", reason: "validation_failed", issues: [{ path: "related_object.id", rule: "isString" }] }),
      },
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain("12345");
  });

  it("a failed handler: one error line with the stack and the cause chain", async () => {
    const logger = new RecordingLogger();
    const handler = new Handler();
    handler.failWith = new Error("warehouse API down", { cause: new Error("ECONNREFUSED 10.0.0.7:443") });
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, logger });
    const { body, headers } = signedDelivery(shippedBody("evt_fail"));
    expect((await webhooks(post(headers, body))).status).toBe(500);
    const errors = logger.lines.filter((line) => line.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe("order.shipped evt_fail handler failed: warehouse API down");
    expect(errors[0]?.fields).toMatchObject({
      eventId: "evt_fail",
      outcome: "handler_failed",
      err: {
        type: "CactusHandlerError",
        code: "handler_failed",
        stack: expect.stringContaining("CactusHandlerError"),
        cause: { type: "Error", message: "warehouse API down", stack: expect.stringContaining("logging.spec.ts"), cause: { message: "ECONNREFUSED 10.0.0.7:443" } },
      },
    });
  });

  it("a timed-out handler: one error line; duplicates are debug lines", async () => {
    const logger = new RecordingLogger();
    const handler = new Handler({ idempotency: new MemoryIdempotencyStore() });
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, logger, handlerTimeoutMs: 20 });
    handler.delayMs = 200;
    const slow = signedDelivery(shippedBody("evt_slow"));
    expect((await webhooks(post(slow.headers, slow.body))).status).toBe(503);
    handler.delayMs = 0;
    const once = signedDelivery(shippedBody("evt_twice"));
    await webhooks(post(once.headers, once.body));
    await webhooks(post(once.headers, once.body));
    const outcomes = logger.lines.filter((line) => line.fields["outcome"] !== undefined).map((line) => [line.level, line.fields["eventId"], line.fields["outcome"]]);
    expect(outcomes).toEqual([
      ["error", "evt_slow", "timeout"],
      ["debug", "evt_twice", "handled"],
      ["debug", "evt_twice", "duplicate"],
    ]);
  });

  it("a handler that fails after its delivery timed out: one more error line, with the event's fields", async () => {
    const logger = new RecordingLogger();
    const handler = new Handler();
    handler.delayMs = 60;
    handler.failWith = new Error("too late and broken");
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, logger, handlerTimeoutMs: 10 });
    const { body, headers } = signedDelivery(shippedBody("evt_late"));
    expect((await webhooks(post(headers, body))).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const errors = logger.lines.filter((line) => line.level === "error");
    expect(errors.map((line) => [line.fields["eventId"], line.fields["outcome"] ?? line.fields["status"]])).toEqual([
      ["evt_late", "timeout"],
      ["evt_late", 500],
    ]);
    expect(errors[1]?.fields).toMatchObject({ correlationId: "evt_late", err: { type: "CactusHandlerError", cause: { message: "too late and broken" } } });
  });

  it("by default: silent, except one console.error line per server error, with the stack and cause", async () => {
    const errors: string[] = [];
    const warnings: string[] = [];
    jest.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
    jest.spyOn(console, "warn").mockImplementation((line: unknown) => void warnings.push(String(line)));
    const handler = new Handler();
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET });
    const ok = signedDelivery(shippedBody("evt_ok"));
    await webhooks(post(ok.headers, ok.body));
    const forged = signedDelivery(shippedBody("evt_forged"), { secret: OTHER_SECRET });
    await webhooks(post(forged.headers, forged.body));
    expect(errors).toEqual([]);
    // A rejected signature is a warning (once per cause a minute), not an error.
    expect(warnings).toEqual([expect.stringMatching(/^\[cactus-sdk\] delivery evt_forged rejected: no_matching_signature/)]);
    handler.failWith = new Error("disk full", { cause: new Error("ENOSPC") });
    const failing = signedDelivery(shippedBody("evt_fail"));
    await webhooks(post(failing.headers, failing.body));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\[cactus-sdk\] order\.shipped evt_fail handler failed: disk full \(eventId=evt_fail .*outcome=handler_failed/);
    expect(errors[0]).toContain("CactusHandlerError: Handler for order.shipped event evt_fail failed: disk full\n    at ");
    expect(errors[0]).toMatch(/Caused by: Error: disk full\n {4}at [^]*Caused by: Error: ENOSPC/);
  });

  it("handle(body) leaves failures to its caller by default, and logs them when a logger is given", async () => {
    const errors = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const quiet = new Handler();
    quiet.failWith = new Error("nope");
    await expect(quiet.handle(shippedBody("evt_direct"))).rejects.toThrow("nope");
    expect(errors).not.toHaveBeenCalled();
    const logger = new RecordingLogger();
    const logged = new Handler({ logger });
    logged.failWith = new Error("nope");
    await expect(logged.handle(shippedBody("evt_direct"))).rejects.toThrow("nope");
    expect(logger.lines.filter((line) => line.level === "error").map((line) => line.fields["outcome"])).toEqual(["handler_failed"]);
  });

  it("the event context survives a queue: a worker's receive() restores attempt and correlation id", async () => {
    const logger = new RecordingLogger();
    const handler = new Handler({ logger });
    await handler.receive(JSON.parse(shippedBody("evt_q")) as Record<string, unknown>, { deliveryId: "evt_q", attempt: 3, traceparent: TRACEPARENT, correlationId: "order-flow-17" });
    expect(handler.seen[0]).toMatchObject({ eventId: "evt_q", attempt: 3, correlationId: "order-flow-17", deliveryId: "evt_q" });
    expect(logger.lines.map((line) => line.fields)).toEqual([
      expect.objectContaining({ step: "nested", attempt: 3, correlationId: "order-flow-17" }),
      expect.objectContaining({ outcome: "handled", attempt: 3, correlationId: "order-flow-17" }),
    ]);
  });

  it("a logger that throws changes no answer", async () => {
    const throwing = new RecordingLogger();
    throwing.debug = () => {
      throw new Error("log sink down");
    };
    const webhooks = createFetchHandler(new Handler(), { webhookSecret: SECRET, logger: throwing });
    const { body, headers } = signedDelivery(shippedBody("evt_t"));
    expect((await webhooks(post(headers, body))).status).toBe(200);
  });

  it("a middleware without a logger uses its receiver's", async () => {
    const logger = new RecordingLogger();
    const webhooks = createFetchHandler(new Handler({ logger }), { webhookSecret: SECRET });
    const { body, headers } = signedDelivery(shippedBody("evt_r"));
    await webhooks(post(headers, body));
    expect(logger.lines.some((line) => line.fields["outcome"] === "handled")).toBe(true);
  });

  it("rejects a logger without the four methods at construction", () => {
    expect(() => new Handler({ logger: { info: () => undefined } as never })).toThrow("logger must have debug, info, warn and error methods");
  });
});
