import { webhookStatusTable } from "../../lib/webhooks";
import { nowSeconds, OTHER_SECRET, SECRET, shippedBody, signedDelivery } from "./helpers/fixtures";
import { RecordingHandler } from "./helpers/recording-handler";
import { fetchShell, nodeShell, type Shell } from "./helpers/shells";

// One table, two runtime shells: every row must answer the same status and error type in both.
describe.each([
  ["Node middleware (node:http)", nodeShell],
  ["Fetch handler", fetchShell],
])("status table: %s", (_name, makeShell) => {
  let handler: RecordingHandler;
  let shell: Shell;

  beforeEach(async () => {
    handler = new RecordingHandler();
    shell = await makeShell(handler, { secret: SECRET, maxBodyBytes: 4096 });
  });
  afterEach(() => shell.close());

  it("200: handled, with the event id and the method that ran", async () => {
    const { body, headers } = signedDelivery();
    const response = await shell.send({ headers, body });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, id: "evt_1", handledBy: "onOrderShipped" });
    expect(handler.calls).toHaveLength(1);
  });

  it("200: an unknown type goes to onOther", async () => {
    const { body, headers } = signedDelivery('{"id":"evt_9","type":"order.refunded"}');
    const response = await shell.send({ headers, body });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, id: "evt_9", handledBy: "onOther" });
  });

  it("400: invalid JSON", async () => {
    const { body, headers } = signedDelivery('{"id":"evt_1",', { id: "evt_1" });
    const response = await shell.send({ headers, body });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { type: "parse_failed" } });
    expect(handler.calls).toEqual([]);
  });

  it("400: a known type with a wrong shape names the field", async () => {
    const wrong = JSON.stringify({ id: "evt_1", type: "order.shipped", related_object: { id: "mov_1", type: "movie" } });
    const { body, headers } = signedDelivery(wrong);
    const response = await shell.send({ headers, body });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      error: { type: "validation_failed", issues: [expect.objectContaining({ path: "related_object.type" })] },
    });
    expect(handler.calls).toEqual([]);
  });

  it("401: a wrong signature says which check, and never the secret or expected signature", async () => {
    const { body, headers } = signedDelivery(shippedBody(), { secret: OTHER_SECRET });
    const expected = signedDelivery(body, { timestamp: Number(headers["webhook-timestamp"]) }).headers["webhook-signature"];
    const response = await shell.send({ headers, body });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: { type: "no_matching_signature" } });
    expect(response.text).not.toContain(SECRET.slice(6));
    expect(response.text).not.toContain(expected.slice(3));
    expect(handler.calls).toEqual([]);
  });

  it("401: missing headers, and a replayed (old) delivery", async () => {
    const missing = await shell.send({ headers: { "content-type": "application/json" }, body: shippedBody() });
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ error: { type: "missing_header" } });
    const old = signedDelivery(shippedBody(), { timestamp: nowSeconds() - 3600 });
    const replay = await shell.send({ headers: old.headers, body: old.body });
    expect(replay.json).toMatchObject({ error: { type: "timestamp_too_old" } });
    expect(handler.calls).toEqual([]);
  });

  it("401: the webhook-id header must match the body's id", async () => {
    const { body, headers } = signedDelivery(shippedBody("evt_other"), { id: "evt_1" });
    const response = await shell.send({ headers, body });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: { type: "id_mismatch" } });
  });

  it("404: another path", async () => {
    const { body, headers } = signedDelivery();
    const response = await shell.send({ path: "/elsewhere", headers, body });
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ error: { type: "not_found" } });
  });

  it("405: not a POST, with Allow: POST", async () => {
    const response = await shell.send({ method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(response.json).toMatchObject({ error: { type: "method_not_allowed" } });
  });

  it("413: larger than maxBodyBytes", async () => {
    const big = JSON.stringify({ id: "evt_1", type: "order.refunded", pad: "x".repeat(5000) });
    const { body, headers } = signedDelivery(big);
    const response = await shell.send({ headers, body });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ error: { type: "payload_too_large" } });
    expect(handler.calls).toEqual([]);
  });

  it("415: not JSON", async () => {
    const { body, headers } = signedDelivery();
    const response = await shell.send({ headers: { ...headers, "content-type": "text/plain" }, body });
    expect(response.status).toBe(415);
    expect(response.json).toMatchObject({ error: { type: "unsupported_media_type" } });
    const latin1 = await shell.send({ headers: { ...headers, "content-type": "application/json; charset=latin1" }, body });
    expect(latin1.status).toBe(415);
  });

  it("500: the handler failed; generic message and event id, no cause or stack (errorDetail off, as in production)", async () => {
    handler.failWith = new Error("db password is hunter2");
    const { body, headers } = signedDelivery();
    // Outside production the answer names the cause in error.detail, with the password redacted.
    const outside = await shell.send({ headers, body });
    expect(outside.json).toMatchObject({ error: { type: "handler_failed", detail: "db password is [redacted]" } });
    expect(outside.text).not.toContain("hunter2");
    await shell.close();
    shell = await makeShell(handler, { secret: SECRET, maxBodyBytes: 4096, errorDetail: false });
    const response = await shell.send({ headers, body });
    expect(response.status).toBe(500);
    expect(response.json).toEqual({
      error: { type: "handler_failed", message: expect.stringContaining("evt_1"), eventId: "evt_1" },
    });
    expect(response.text).not.toContain("hunter2");
    expect(response.text).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("every answer's status is the table's", async () => {
    const { body, headers } = signedDelivery();
    const response = await shell.send({ headers: { ...headers, "webhook-timestamp": "soon" }, body });
    const json = response.json;
    expect(json).toMatchObject({ error: { type: "malformed_timestamp" } });
    expect(response.status).toBe(webhookStatusTable.malformed_timestamp);
  });
});
