import { CactusConfigError } from "../../lib";
import { verifyWebhook } from "../../lib/webhooks";
import { DeliveryLog, forwardEmulatorEvents, WebhookForwarder, retryDelayMs, MAX_RETRY_DELAY_MS } from "../../lib/emulator";
import { SECRET } from "../webhooks/helpers/fixtures";
import { eventually, startEmulator, startEndpoint, type Endpoint } from "./helpers";

const thin = { id: "evt_fwd_1", type: "order.lost" };

describe("WebhookForwarder", () => {
  let endpoint: Endpoint;
  let forwarder: WebhookForwarder | undefined;

  beforeEach(async () => {
    endpoint = await startEndpoint();
  });
  afterEach(async () => {
    await forwarder?.close();
    forwarder = undefined;
    await endpoint.close();
  });

  function start(options: Partial<ConstructorParameters<typeof WebhookForwarder>[0]> = {}): WebhookForwarder {
    forwarder = new WebhookForwarder({ url: `${endpoint.url}/webhooks`, secret: SECRET, backoffMs: 1, ...options });
    return forwarder;
  }

  it("POSTs the thin event byte for byte, signed so the SDK's verifier accepts it, and records what was sent and answered", async () => {
    const attempt = await start().forward(thin);
    expect(endpoint.received).toHaveLength(1);
    const [request] = endpoint.received;
    expect(request?.body).toBe(JSON.stringify(thin));
    expect(verifyWebhook(request?.body ?? "", request?.headers ?? {}, SECRET)).toMatchObject({ id: "evt_fwd_1" });
    expect(attempt).toMatchObject({ attempt: 1, trigger: "delivery", succeeded: true, error: null, nextRetryAt: null, response: { status: 200, body: '{"received":true}', bodyTruncated: false } });
    expect(attempt.request.headers["webhook-signature"]).toBe(request?.headers["webhook-signature"]);
    expect(JSON.stringify(attempt)).not.toContain(SECRET.slice("whsec_".length));
    expect(forwarder?.log.get("evt_fwd_1")).toMatchObject({ outcome: "delivered", attemptCount: 1, lastStatus: 200 });
  });

  it("redelivers a 500 with backoff until a 2xx, and shows the scheduled retry while it waits", async () => {
    let failures = 2;
    endpoint.answer = () => (failures-- > 0 ? { status: 500, body: '{"error":"boom"}' } : { status: 204 });
    const first = await start({ backoffMs: 50 }).forward(thin);
    expect(first.succeeded).toBe(false);
    expect(first.nextRetryAt).not.toBeNull();
    expect(forwarder?.log.get(thin.id)).toMatchObject({ outcome: "retrying", lastStatus: 500, nextRetryAt: first.nextRetryAt });
    const detail = await eventually("delivery", () => {
      const event = forwarder?.log.get(thin.id);
      return event?.outcome === "delivered" ? event : undefined;
    });
    expect(detail.attempts.map((a) => [a.attempt, a.trigger, a.response?.status])).toEqual([[1, "delivery", 500], [2, "retry", 500], [3, "retry", 204]]);
    expect(detail.nextRetryAt).toBeNull();
    // Each attempt is signed afresh: a new signature header per request is at least well-formed and verifies.
    for (const request of endpoint.received) expect(() => verifyWebhook(request.body, request.headers, SECRET)).not.toThrow();
  });

  it("stops after maxAttempts automatic attempts and marks the event failed", async () => {
    endpoint.answer = () => ({ status: 503 });
    start({ maxAttempts: 3 });
    await forwarder?.forward(thin);
    const detail = await eventually("3 attempts", () => {
      const event = forwarder?.log.get(thin.id);
      return event?.outcome === "failed" ? event : undefined;
    });
    expect(detail.attempts).toHaveLength(3);
    expect(detail.attempts[2]?.nextRetryAt).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(endpoint.received).toHaveLength(3);
  });

  it("does not follow a redirect: a 3xx is a failure, and the target is never called", async () => {
    endpoint.answer = (request) => (request.path === "/webhooks" ? { status: 302, headers: { location: "/elsewhere" } } : { status: 200 });
    const attempt = await start({ maxAttempts: 1 }).forward(thin);
    expect(attempt.succeeded).toBe(false);
    expect(attempt.response?.status).toBe(302);
    expect(attempt.error).toContain("redirect to /elsewhere not followed");
    expect(endpoint.received.map((r) => r.path)).toEqual(["/webhooks"]);
    expect(forwarder?.log.get(thin.id)?.outcome).toBe("failed");
  });

  it("keeps only the first maxResponseBodyBytes of an answer and says it cut it", async () => {
    endpoint.answer = () => ({ status: 200, body: "x".repeat(5000) });
    const attempt = await start({ maxResponseBodyBytes: 100 }).forward(thin);
    expect(attempt.response?.body).toBe("x".repeat(100));
    expect(attempt.response?.bodyTruncated).toBe(true);
  });

  it("records no answer (the error code) when the endpoint is down", async () => {
    await endpoint.close();
    const attempt = await start({ maxAttempts: 1 }).forward(thin);
    expect(attempt).toMatchObject({ response: null, succeeded: false, error: "ECONNREFUSED" });
    endpoint = await startEndpoint(); // for afterEach
  });

  it("replays a recorded event with a new, freshly signed attempt; a success cancels the scheduled retry", async () => {
    endpoint.answer = () => ({ status: 500 });
    start({ backoffMs: 60_000 });
    await forwarder?.forward(thin);
    expect(forwarder?.log.get(thin.id)?.outcome).toBe("retrying");
    endpoint.answer = () => ({ status: 200 });
    const replayed = await forwarder?.replay(thin.id);
    expect(replayed).toMatchObject({ attempt: 2, trigger: "replay", succeeded: true });
    expect(forwarder?.log.get(thin.id)).toMatchObject({ outcome: "delivered", nextRetryAt: null, attemptCount: 2 });
    expect(verifyWebhook(endpoint.received[1]?.body ?? "", endpoint.received[1]?.headers ?? {}, SECRET).id).toBe(thin.id);
  });

  it("keeps the scheduled retry when a replay fails", async () => {
    endpoint.answer = () => ({ status: 500 });
    start({ backoffMs: 60_000 });
    const first = await forwarder?.forward(thin);
    const replayed = await forwarder?.replay(thin.id);
    expect(replayed?.nextRetryAt).toBeNull();
    expect(forwarder?.log.get(thin.id)).toMatchObject({ outcome: "retrying", nextRetryAt: first?.nextRetryAt });
  });

  it("refuses to replay an event it never recorded", async () => {
    await expect(start().replay("evt_nope")).rejects.toMatchObject({ code: "forwarder_unknown_event" });
  });

  it("refuses a bad configuration when constructed, without echoing the secret", () => {
    expect(() => new WebhookForwarder({ url: "ftp://x", secret: SECRET })).toThrow(CactusConfigError);
    expect(() => new WebhookForwarder({ url: endpoint.url, secret: SECRET, maxAttempts: 0 })).toThrow(/maxAttempts/);
    const notASecret = "sk_live_abcdefghijklmnop";
    expect(() => new WebhookForwarder({ url: endpoint.url, secret: notASecret })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(notASecret) }));
  });

  it("forwards every event stored in the emulator once wired, and stops when unwired", async () => {
    const emulator = await startEmulator();
    try {
      start();
      const stop = forwardEmulatorEvents(emulator, forwarder as WebhookForwarder);
      const created = emulator.createEvent("order.shipped");
      await eventually("delivery", () => forwarder?.log.get(created.id)?.outcome === "delivered");
      expect(JSON.parse(endpoint.received[0]?.body ?? "{}")).toEqual({ id: created.id, type: "order.shipped", created: created.created, related_object: { id: "ord_456", type: "order" } });
      stop();
      emulator.createEvent("order.lost");
      await forwarder?.idle();
      expect(endpoint.received).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });
});

describe("retryDelayMs", () => {
  it("doubles from backoffMs and caps at a minute", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000)).toBe(MAX_RETRY_DELAY_MS);
  });
});

describe("DeliveryLog", () => {
  const event = (n: number, type = "order.lost") => ({ id: `evt_${n}`, type });

  it("keeps the newest maxEvents events", () => {
    const log = new DeliveryLog({ maxEvents: 3 });
    for (let n = 1; n <= 5; n++) log.addEvent(event(n), "not_forwarded");
    expect(log.size).toBe(3);
    expect(log.get("evt_2")).toBeUndefined();
    expect(log.list().data.map((e) => e.id)).toEqual(["evt_5", "evt_4", "evt_3"]);
  });

  it("pages newest first with a before cursor, within the filters", () => {
    const log = new DeliveryLog();
    for (let n = 1; n <= 250; n++) log.addEvent(event(n, n % 2 === 0 ? "order.shipped" : "order.lost"), n % 5 === 0 ? "failed" : "delivered");
    const first = log.list({ type: "order.shipped", limit: 50 });
    expect(first).toMatchObject({ total: 125, hasMore: true });
    expect(first.data[0]?.id).toBe("evt_250");
    const seen = [...first.data];
    let page = first;
    while (page.hasMore) {
      page = log.list({ type: "order.shipped", limit: 50, before: page.data[page.data.length - 1]?.seq });
      seen.push(...page.data);
    }
    expect(seen.map((e) => e.id)).toEqual(Array.from({ length: 125 }, (_, i) => `evt_${250 - 2 * i}`));
    expect(log.list({ type: "order.shipped", outcome: "failed" }).total).toBe(25);
  });

  it("moves an id recorded again to the front, and tells subscribers about every change", () => {
    const log = new DeliveryLog();
    const seen: string[] = [];
    log.subscribe((summary) => seen.push(`${summary.id}:${summary.outcome}`));
    log.addEvent(event(1), "pending");
    log.addEvent(event(2), "pending");
    log.addEvent(event(1), "pending");
    expect(log.list().data.map((e) => e.id)).toEqual(["evt_1", "evt_2"]);
    expect(seen).toEqual(["evt_1:pending", "evt_2:pending", "evt_1:pending"]);
  });

  it("keeps at most maxAttemptsPerEvent attempts, dropping the oldest", () => {
    const log = new DeliveryLog({ maxAttemptsPerEvent: 2 });
    log.addEvent(event(1), "pending");
    const attempt = (n: number) => ({ attempt: n, trigger: "replay" as const, startedAt: "", latencyMs: 1, request: { method: "POST" as const, url: "", headers: {}, body: "" }, response: null, error: "x", succeeded: false, nextRetryAt: null });
    for (let n = 1; n <= 3; n++) log.addAttempt("evt_1", attempt(n), "failed");
    expect(log.get("evt_1")?.attempts.map((a) => a.attempt)).toEqual([2, 3]);
    expect(log.get("evt_1")?.attemptCount).toBe(3);
  });

  it("refuses a page size outside 1-100", () => {
    expect(() => new DeliveryLog().list({ limit: 101 })).toThrow(CactusConfigError);
  });
});
