import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { answerDashboardApi, DeliveryLog, thinOf, WebhookForwarder, type CactusEmulator, type DashboardContext, type DashboardCurlAnswer, type DashboardEventContext, type DashboardEventPage, type DashboardRoute } from "../../lib/emulator";
import { verifyWebhook } from "../../lib/webhooks";
import { SECRET } from "../webhooks/helpers/fixtures";
import { startEmulator, startEndpoint, type Endpoint } from "./helpers";
import { eventCatalog } from "../../lib/events/catalog";

describe("the dashboard's JSON API (no browser, no server of its own)", () => {
  let emulator: CactusEmulator;
  let context: DashboardContext;
  let unsubscribe: () => void;

  beforeEach(async () => {
    emulator = await startEmulator();
    const log = new DeliveryLog();
    unsubscribe = emulator.onEventStored((event) => log.addEvent(thinOf(event), "not_forwarded"));
    context = { emulator, log, forwarder: undefined };
  });
  afterEach(async () => {
    unsubscribe();
    await emulator.close();
  });

  const call = (method: string, path: string, body?: unknown, query = "") =>
    answerDashboardApi(context, { method, path, query: new URLSearchParams(query), body });

  describe("POST /trigger", () => {
    it("stores a valid event with a fresh id, which the emulator then serves and the log lists", async () => {
      const answer = await call("POST", "/trigger", { type: "order.delivery_attempted", data: { success: true, attempt_num: 2, delivery_location: "porch" } });
      expect(answer.status).toBe(201);
      const { event } = answer.body as { event: { id: string } };
      expect(event.id).toMatch(/^evt_[0-9a-f]{16}$/);
      expect(emulator.thinEventOf(event.id)).toEqual({ id: event.id, type: "order.delivery_attempted", created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), related_object: { id: "ord_456", type: "order" } });
      const response = await fetch(`${emulator.url}/v2/events/${event.id}`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
      expect(await response.json()).toMatchObject({ data: { success: true, attempt_num: 2, delivery_location: "porch" } });
      expect((await call("GET", "/events")).body).toMatchObject({ total: 1, data: [{ id: event.id, outcome: "not_forwarded" }] });
    });

    it("refuses data the SDK would refuse, with the SDK's messages and the wire field path, and stores nothing", async () => {
      const answer = await call("POST", "/trigger", { type: "order.delivery_attempted", data: { success: "yes", attempt_num: 0, delivery_location: "porch" } });
      expect(answer.status).toBe(400);
      const { error } = answer.body as { error: { type: string; issues: { path: string; message: string }[] } };
      expect(error.type).toBe("validation_failed");
      expect(error.issues.map((issue) => issue.path).sort()).toEqual(["data.attempt_num", "data.success"]);
      expect(error.issues.find((issue) => issue.path === "data.attempt_num")?.message).toContain("data.attempt_num must not be less than 1");
      expect(context.log.size).toBe(0);
    });

    it("checks the related object against the type, and fills the fixture one when none is given", async () => {
      const wrong = await call("POST", "/trigger", { type: "movie.completed", data: { user: "ada", rating: 3 }, related_object: { id: "ord_456", type: "order" } });
      expect(wrong.body).toMatchObject({ error: { issues: [{ path: "related_object.type" }] } });
      const lost = await call("POST", "/trigger", { type: "order.lost", data: { last_seen_city: "Yuma" }, related_object: { id: "ord_1", type: "order" } });
      expect(lost.body).toMatchObject({ error: { issues: [{ path: "related_object" }] } });
      const fine = await call("POST", "/trigger", { type: "movie.completed", data: { user: "ada", rating: 5 } });
      expect(fine.body).toMatchObject({ event: { related_object: { id: "mov_789", type: "movie" } } });
    });

    it("accepts a type this SDK does not know (handlers send it to onOther) and refuses a body without a type", async () => {
      expect((await call("POST", "/trigger", { type: "order.refunded", data: { amount_cents: 5 } })).status).toBe(201);
      expect((await call("POST", "/trigger", { data: {} })).body).toMatchObject({ error: { type: "validation_failed", issues: [{ path: "type" }] } });
      expect((await call("POST", "/trigger", { type: "order.lost", data: [] })).body).toMatchObject({ error: { issues: [{ path: "data" }] } });
    });
  });

  describe("GET /events and /events/{id}", () => {
    it("filters by type and outcome, pages with before, and answers 400 for a bad filter", async () => {
      for (let n = 0; n < 7; n++) emulator.createEvent(n % 2 === 0 ? "order.shipped" : "movie.started");
      const page = await call("GET", "/events", undefined, "type=order.shipped&limit=3");
      expect(page.body).toMatchObject({ total: 4, hasMore: true });
      const data = (page.body as { data: { seq: number; type: string }[] }).data;
      expect(data.every((event) => event.type === "order.shipped")).toBe(true);
      const rest = await call("GET", "/events", undefined, `type=order.shipped&limit=3&before=${data[2]?.seq}`);
      expect(rest.body).toMatchObject({ total: 4, hasMore: false, data: [{ type: "order.shipped" }] });
      expect((await call("GET", "/events", undefined, "outcome=delivered")).body).toMatchObject({ total: 0 });
      expect((await call("GET", "/events", undefined, "outcome=exploded")).status).toBe(400);
      expect((await call("GET", "/events", undefined, "limit=1000")).status).toBe(400);
    });

    it("searches by event id or related object id, and lists the types seen (unknown ones too) and the log's size", async () => {
      const shipped = emulator.createEvent("order.shipped");
      emulator.createEvent("movie.started");
      emulator.createEvent("order.refunded", { data: { amount_cents: 5 }, related_object: { id: "ord_zz9", type: "order" } });
      const byId = (await call("GET", "/events", undefined, `search=${shipped.id.slice(4, 14).toUpperCase()}`)).body as DashboardEventPage;
      expect(byId.data.map((event) => event.id)).toEqual([shipped.id]);
      const byObject = (await call("GET", "/events", undefined, "search=ord_zz")).body as DashboardEventPage;
      expect(byObject.data.map((event) => event.type)).toEqual(["order.refunded"]);
      const none = (await call("GET", "/events", undefined, "search=nothing-like-it&type=movie.started")).body as DashboardEventPage;
      expect(none).toMatchObject({ total: 0, all: 3, data: [] });
      expect(none.types).toEqual(["movie.started", "order.refunded", "order.shipped"]);
    });

    it("answers the pulled event and its related object from the emulator, or nulls", async () => {
      const created = emulator.createEvent("order.delivery_attempted", { data: { attempt_num: 4 } });
      const { body } = await call("GET", `/events/${created.id}/context`);
      const answer = body as DashboardEventContext;
      expect(answer.event).toMatchObject({ id: created.id, data: { attempt_num: 4 } });
      expect(answer.relatedObject).toMatchObject({ id: "ord_456" });
      const orphan = emulator.createEvent("order.refunded", { data: {}, related_object: { id: "ord_none", type: "order" } });
      expect((await call("GET", `/events/${orphan.id}/context`)).body).toMatchObject({ event: { id: orphan.id }, relatedObject: null });
      context.log.addEvent({ id: "evt_only_in_log", type: "order.lost" }, "delivered");
      expect((await call("GET", "/events/evt_only_in_log/context")).body).toEqual({ event: null, relatedObject: null });
      expect((await call("GET", "/events/evt_missing/context")).status).toBe(404);
    });

    it("answers one event with its body and attempts, or 404", async () => {
      const created = emulator.createEvent("order.lost");
      expect((await call("GET", `/events/${created.id}`)).body).toMatchObject({ id: created.id, body: JSON.stringify({ id: created.id, type: "order.lost", created: created.created }), attempts: [] });
      expect((await call("GET", "/events/evt_missing")).status).toBe(404);
    });
  });

  describe("POST /events/{id}/replay", () => {
    let endpoint: Endpoint;
    beforeEach(async () => {
      endpoint = await startEndpoint();
    });
    afterEach(() => endpoint.close());

    it("answers 409 when nothing forwards events, and 404 for an unknown event", async () => {
      const created = emulator.createEvent("order.lost");
      expect((await call("POST", `/events/${created.id}/replay`, {})).body).toMatchObject({ error: { type: "not_forwarding" } });
      expect((await call("POST", "/events/evt_missing/replay", {})).status).toBe(404);
    });

    it("makes a new attempt through the forwarder and answers it", async () => {
      const forwarder = new WebhookForwarder({ url: endpoint.url, secret: SECRET, backoffMs: 1 });
      context = { emulator, log: forwarder.log, forwarder };
      await forwarder.forward({ id: "evt_r", type: "order.lost" });
      const answer = await call("POST", "/events/evt_r/replay", {});
      expect(answer).toMatchObject({ status: 200, body: { attempt: { attempt: 2, trigger: "replay", succeeded: true } } });
      expect(endpoint.received).toHaveLength(2);
      await forwarder.close();
    });
  });

  describe("POST /events/{id}/curl and Replay with edits", () => {
    let endpoint: Endpoint;
    let forwarder: WebhookForwarder;
    beforeEach(async () => {
      endpoint = await startEndpoint();
      forwarder = new WebhookForwarder({ url: `${endpoint.url}/webhooks`, secret: SECRET, backoffMs: 1 });
      context = { emulator, log: forwarder.log, forwarder };
      await forwarder.forward({ id: "evt_c", type: "order.lost" });
    });
    afterEach(async () => {
      await forwarder.close();
      await endpoint.close();
    });

    it("makes a curl command signed now, whose only trace of the secret is the signature, and which the endpoint verifies", async () => {
      const answer = await call("POST", "/events/evt_c/curl", {});
      expect(answer.status).toBe(200);
      const { command, timestamp } = answer.body as DashboardCurlAnswer;
      expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
      expect(command).toMatch(/^curl -sS -X POST 'http:\/\/127\.0\.0\.1:\d+\/webhooks' -H 'webhook-id: evt_c' /);
      expect(command).not.toContain(SECRET);
      expect(command).not.toContain(SECRET.slice("whsec_".length));
      // An edited body is signed as given, quoted for the shell.
      const edited = (await call("POST", "/events/evt_c/curl", { body: `{"id":"evt_c","type":"order.lost","note":"it's"}` })).body as DashboardCurlAnswer;
      expect(edited.command).toContain(`--data-raw '{"id":"evt_c","type":"order.lost","note":"it'\\''s"}'`);
      if (!existsSync("/usr/bin/curl")) return; // the command's shape is checked above; running it needs curl
      const before = endpoint.received.length;
      await promisify(execFile)("/bin/sh", ["-c", edited.command]);
      const received = endpoint.received[before];
      expect(received?.body).toBe(`{"id":"evt_c","type":"order.lost","note":"it's"}`);
      const headers = Object.fromEntries(Object.entries(received?.headers ?? {}).map(([name, value]) => [name, String(value)]));
      expect(verifyWebhook(received?.body ?? "", headers, SECRET, { toleranceSeconds: 60 }).id).toBe("evt_c");
    });

    it("replays an edited body, freshly signed, as a new attempt marked edited; a later replay sends the event's own", async () => {
      const body = JSON.stringify({ id: "evt_c", type: "order.lost", related_object: { id: "ord_x", type: "order" } });
      const answer = await call("POST", "/events/evt_c/replay", { body });
      expect(answer.body).toMatchObject({ attempt: { attempt: 2, trigger: "replay", edited: true, request: { body } } });
      const sent = endpoint.received[1];
      const headers = Object.fromEntries(Object.entries(sent?.headers ?? {}).map(([name, value]) => [name, String(value)]));
      expect(verifyWebhook(sent?.body ?? "", headers, SECRET, { toleranceSeconds: 5 }).id).toBe("evt_c");
      expect(forwarder.log.get("evt_c")?.attempts.map((attempt) => attempt.edited ?? false)).toEqual([false, true]);
      await call("POST", "/events/evt_c/replay", {});
      expect(endpoint.received[2]?.body).toBe(JSON.stringify({ id: "evt_c", type: "order.lost" }));
      expect((await call("POST", "/events/evt_c/replay", { body: 42 })).body).toMatchObject({ error: { type: "invalid_request", message: expect.stringContaining("body must be a string") } });
    });

    it("answers 409 for curl when nothing forwards (no secret to sign with)", async () => {
      context = { emulator, log: forwarder.log, forwarder: undefined };
      expect((await call("POST", "/events/evt_c/curl", {})).body).toMatchObject({ error: { type: "not_forwarding" } });
    });
  });

  describe("POST /fail-next", () => {
    it("makes the emulator's API fail the next requests with the status and Retry-After, then recover", async () => {
      const answer = await call("POST", "/fail-next", { status: 503, times: 2, retryAfter: "7" });
      expect(answer).toMatchObject({ status: 200, body: { failNext: { status: 503, times: 2, retryAfter: "7" }, latencyMs: null } });
      const get = () => fetch(`${emulator.url}/v2/events/evt_order_lost`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
      const first = await get();
      expect([first.status, first.headers.get("retry-after")]).toEqual([503, "7"]);
      expect((await get()).status).toBe(503);
      expect((await get()).status).toBe(200);
    });

    it("sets the latency, and refuses nonsense with a 400 naming the field", async () => {
      expect((await call("POST", "/fail-next", { latencyMs: 30 })).body).toMatchObject({ failNext: null, latencyMs: 30 });
      // A lower bound only (a timer never fires early), so a slow machine cannot make it fail.
      const started = performance.now();
      await fetch(`${emulator.url}/v1/orders/ord_456`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
      expect(performance.now() - started).toBeGreaterThanOrEqual(25);
      expect((await call("POST", "/fail-next", { status: 42 })).body).toMatchObject({ error: { type: "invalid_request", message: expect.stringContaining("status") } });
      expect((await call("POST", "/fail-next", { latencyMs: -1 })).body).toMatchObject({ error: { message: expect.stringContaining("latencyMs") } });
      expect((await call("POST", "/fail-next", {})).status).toBe(400);
    });
  });

  it("answers 404 for an unknown path, 405 for a wrong method, and serves extra routes", async () => {
    expect((await call("GET", "/nope")).status).toBe(404);
    expect((await call("GET", "/trigger")).status).toBe(405);
    const extra: DashboardRoute = { method: "GET", pattern: /^\/dead-letters$/, answer: () => ({ status: 200, body: { data: [] } }) };
    expect(await answerDashboardApi(context, { method: "GET", path: "/dead-letters", query: new URLSearchParams(), body: undefined }, [extra])).toEqual({ status: 200, body: { data: [] } });
  });

  it("describes the forwarding target and every known type with valid sample data", async () => {
    const { body } = await call("GET", "/config");
    expect(body).toMatchObject({ forwardingTo: null, maxEvents: 10_000 });
    const types = (body as { eventTypes: { type: string; sampleData: object }[] }).eventTypes;
    // Every catalog type, in catalog order (the documented first one included), and nothing else.
    expect(types.map((t) => t.type)).toEqual(Object.keys(eventCatalog));
    expect(types[0]?.type).toBe("order.shipped");
    for (const { type, sampleData } of types) expect((await call("POST", "/trigger", { type, data: sampleData })).status).toBe(201);
  });
});
