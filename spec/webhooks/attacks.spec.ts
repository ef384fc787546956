import { createNodeMiddleware } from "../../lib";
import { signWebhook } from "../../lib/webhooks";
import { nowSeconds, OTHER_SECRET, SECRET, shippedBody, signedDelivery } from "./helpers/fixtures";
import { RecordingHandler } from "./helpers/recording-handler";
import { listen, type TestServer } from "./helpers/server";
import { delay, repeatChunks, streamRequest } from "./helpers/stream-request";

// Issue 5's attack list, against a real node:http server with the default 1 MiB limit. Each attack
// gets its row of the status table, and no handler method runs.
describe("attacks on the webhook endpoint", () => {
  const handler = new RecordingHandler();
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
  let server: TestServer;

  beforeAll(async () => {
    server = await listen(createNodeMiddleware(handler, { secret: SECRET, bodyTimeoutMs: 500, onError: () => undefined }));
  });
  afterAll(() => server.close());
  afterEach(() => {
    expect(handler.calls).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
    const probe: Record<string, unknown> = {};
    expect(probe["polluted"]).toBeUndefined();
  });

  async function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>): Promise<{ status: number; type: unknown; text: string }> {
    const response = await fetch(`${server.url}/webhooks`, { method: "POST", headers, body });
    const text = await response.text();
    const json: unknown = JSON.parse(text);
    const type = typeof json === "object" && json !== null && "error" in json && typeof json.error === "object" && json.error !== null && "type" in json.error ? json.error.type : undefined;
    return { status: response.status, type, text };
  }

  it("wrong secret -> 401 no_matching_signature", async () => {
    const { body, headers } = signedDelivery(shippedBody(), { secret: OTHER_SECRET });
    expect(await post(body, headers)).toMatchObject({ status: 401, type: "no_matching_signature" });
  });

  it("signature of another body -> 401 no_matching_signature", async () => {
    const { headers } = signedDelivery(shippedBody("evt_1"));
    const forged = shippedBody("evt_1").replace("ord_456", "ord_999");
    expect(await post(forged, headers)).toMatchObject({ status: 401, type: "no_matching_signature" });
  });

  it("replay of an old delivery -> 401 timestamp_too_old", async () => {
    const { body, headers } = signedDelivery(shippedBody(), { timestamp: nowSeconds() - 600 });
    expect(await post(body, headers)).toMatchObject({ status: 401, type: "timestamp_too_old" });
  });

  it("timestamp in the future -> 401 timestamp_too_new", async () => {
    const { body, headers } = signedDelivery(shippedBody(), { timestamp: nowSeconds() + 600 });
    expect(await post(body, headers)).toMatchObject({ status: 401, type: "timestamp_too_new" });
  });

  it("truncated and doubled signatures -> 401 no_matching_signature", async () => {
    const { body, headers } = signedDelivery();
    const signature = headers["webhook-signature"];
    for (const forged of [signature.slice(0, 20), `${signature}${signature.slice(3)}`, `v1,${signature.slice(3).repeat(2)}`]) {
      expect(await post(body, { ...headers, "webhook-signature": forged })).toMatchObject({ status: 401, type: "no_matching_signature" });
    }
  });

  it("a 50 MB body with a declared length -> 413 before reading it", async () => {
    const { headers } = signedDelivery();
    const result = await streamRequest({
      url: `${server.url}/webhooks`,
      headers: { ...headers, "content-length": String(50 * 1024 * 1024) },
      chunks: repeatChunks(800, 64 * 1024),
    });
    expect(result.status).toBe(413);
    expect(result.bytesWritten).toBeLessThan(50 * 1024 * 1024);
  });

  it("a 50 MB streamed (chunked) body -> 413, reading stops at the limit", async () => {
    const { headers } = signedDelivery();
    const result = await streamRequest({
      url: `${server.url}/webhooks`,
      headers: { ...headers, "transfer-encoding": "chunked" },
      chunks: repeatChunks(800, 64 * 1024),
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.text)).toMatchObject({ error: { type: "payload_too_large" } });
    expect(result.bytesWritten).toBeLessThan(50 * 1024 * 1024);
  });

  it("a slow-drip body that never finishes -> 408", async () => {
    const { body, headers } = signedDelivery();
    const result = await streamRequest({
      url: `${server.url}/webhooks`,
      headers: { ...headers, "content-length": String(Buffer.byteLength(body) + 1000) },
      chunks: [body.slice(0, 5), body.slice(5, 10), body.slice(10, 15), "never"],
      pause: (index, answer) => (index < 3 ? delay(10) : answer),
    });
    expect(result.status).toBe(408);
  });

  it("deeply nested JSON (signed) -> 400 parse_failed", async () => {
    const deep = `{"id":"evt_1","type":"order.shipped","related_object":{"id":"ord_1","type":"order","x":${"[".repeat(5000)}${"]".repeat(5000)}}}`;
    const { body, headers } = signedDelivery(deep, { id: "evt_1" });
    expect(await post(body, headers)).toMatchObject({ status: 400, type: "parse_failed" });
  });

  it("duplicate keys (signed) -> 400 parse_failed", async () => {
    const duplicate = '{"id":"evt_1","type":"order.lost","type":"order.shipped","related_object":{"id":"ord_456","type":"order"}}';
    const { body, headers } = signedDelivery(duplicate, { id: "evt_1" });
    expect(await post(body, headers)).toMatchObject({ status: 400, type: "parse_failed" });
  });

  it("non-UTF-8 bytes (signed) -> 400 parse_failed", async () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"evt_1","type":"order.lost","x":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const body = new Uint8Array(new ArrayBuffer(bytes.length));
    body.set(bytes);
    const headers = signWebhook({ id: "evt_1", body, webhookSecret: SECRET });
    expect(await post(body, headers)).toMatchObject({ status: 400, type: "parse_failed" });
  });

  it("prototype keys: forged -> 401; signed -> 400, and Object.prototype stays clean", async () => {
    const polluting = '{"id":"evt_1","type":"order.shipped","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    expect(await post(polluting, { ...signedDelivery().headers })).toMatchObject({ status: 401 });
    const signedPolluting = signedDelivery(polluting, { id: "evt_1" });
    expect(await post(signedPolluting.body, signedPolluting.headers)).toMatchObject({ status: 400, type: "validation_failed" });
    // A related object that tries to inherit its fields through __proto__ has none of its own.
    const inherited = '{"id":"evt_1","type":"order.shipped","related_object":{"__proto__":{"id":"ord_456","type":"order"}}}';
    const signedInherited = signedDelivery(inherited, { id: "evt_1" });
    expect(await post(signedInherited.body, signedInherited.headers)).toMatchObject({ status: 400, type: "validation_failed" });
  });

  it("never echoes the secret in any answer", async () => {
    const { body, headers } = signedDelivery(shippedBody(), { secret: OTHER_SECRET });
    const answer = await post(body, headers);
    expect(answer.text).not.toContain(SECRET.slice(6));
    expect(answer.text).not.toContain(OTHER_SECRET.slice(6));
  });
});
