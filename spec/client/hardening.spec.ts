import { CactusClient, CactusConfigError, CactusServerError, Order } from "../../lib";
import { CactusInvalidIdError, CactusResponseMismatchError, CactusResponseTooLargeError } from "../../lib/errors/public";
import { CactusEmulator } from "../../lib/emulator";
import { endlessBody, startRawServer, type EndlessBody, type RawServer } from "./raw-server";
import { failureOf } from "../helpers/failure-of";

const API_KEY = "sk_test_hardening";
const MiB = 1024 * 1024;

describe("response size cap", () => {
  let server: RawServer | undefined;
  afterEach(() => server?.close());

  it("stops reading an endless 200 body at the default 1 MiB and closes the connection", async () => {
    let body: EndlessBody | undefined;
    server = await startRawServer((_req, res) => {
      body = endlessBody(res, 200);
    });
    const client = new CactusClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 2, timeoutMs: 10_000 });
    const error = await failureOf(client.retrieveEvent("evt_1"));
    expect(error).toBeInstanceOf(CactusResponseTooLargeError);
    expect(error).toMatchObject({ code: "response_too_large", status: 200, limitBytes: MiB, path: "/v2/events/evt_1" });
    await body?.closed; // the client hung up rather than draining the stream
    expect(server.paths).toHaveLength(1); // a body too large is not retried
    // Socket buffers let a few MiB through before the close lands; an uncapped reader takes everything.
    expect(body?.bytesWritten).toBeLessThan(64 * MiB);
  });

  it("refuses a 200 whose Content-Length is over the cap, and accepts one exactly at it", async () => {
    const exact = JSON.stringify({ id: "ord_1", created: "2024-01-01T00:00:00Z", num_items: 1, cost_cents: 1, delivery_date: "2024-01-02", pad: "" });
    const limit = exact.length + 100;
    const padded = (size: number): string => exact.replace('"pad":""', `"pad":"${"x".repeat(size - exact.length)}"`);
    let size = limit + 1;
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(padded(size));
    });
    const client = new CactusClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0, maxResponseBytes: limit });
    expect(await failureOf(client.retrieveOrder("ord_1"))).toMatchObject({ code: "response_too_large", limitBytes: limit });
    size = limit;
    await expect(client.retrieveOrder("ord_1")).resolves.toBeInstanceOf(Order);
  });

  it("refuses a default-cap 2 MiB answer that is valid JSON", async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "mov_1", title: "x".repeat(2 * MiB), release_year: 2020 }));
    });
    const client = new CactusClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0 });
    expect(await failureOf(client.retrieveMovie("mov_1"))).toBeInstanceOf(CactusResponseTooLargeError);
  });

  it("reads at most 64 KiB of an endless 503 page on each attempt, and still throws CactusServerError", async () => {
    const bodies: EndlessBody[] = [];
    server = await startRawServer((_req, res) => {
      bodies.push(endlessBody(res, 503, "text/html"));
    });
    const client = new CactusClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 2, timeoutMs: 10_000 });
    const error = await failureOf(client.retrieveOrder("ord_1"));
    expect(error).toBeInstanceOf(CactusServerError);
    expect(error).toMatchObject({ status: 503, errorType: undefined });
    expect(server.paths).toHaveLength(3);
    await Promise.all(bodies.map((body) => body.closed));
  });

  it("still reads a small Cactus JSON error's type and message", async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { type: "api_error", message: "boom" } }));
    });
    const client = new CactusClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0 });
    expect(await failureOf(client.retrieveOrder("ord_1"))).toMatchObject({ status: 500, errorType: "api_error", message: expect.stringContaining("boom") });
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects maxResponseBytes %p at construction", (maxResponseBytes) => {
    expect(() => new CactusClient({ apiKey: API_KEY, maxResponseBytes })).toThrow(CactusConfigError);
  });
});

describe("answers for another object", () => {
  let server: RawServer;
  let answer: object;
  beforeAll(async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  afterAll(() => server.close());

  const client = (): CactusClient => new CactusClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0 });

  it("rejects an event whose id is not the one asked for", async () => {
    answer = { id: "evt_someone_else", type: "order.lost", data: { last_seen_city: "Reno" } };
    const error = await failureOf(client().retrieveEvent("evt_mine"));
    expect(error).toBeInstanceOf(CactusResponseMismatchError);
    expect(error).toMatchObject({ code: "response_id_mismatch", expected: "evt_mine", received: "evt_someone_else", path: "/v2/events/evt_mine" });
  });

  it("rejects pull() when the API answers with another event", async () => {
    answer = { id: "evt_someone_else", type: "order.lost", data: { last_seen_city: "Reno" } };
    const event = client().parseEventV2({ id: "evt_mine", type: "order.lost" });
    await expect(event.pull()).rejects.toMatchObject({ code: "response_id_mismatch" });
  });

  it("rejects an order or a movie whose id is not the one asked for", async () => {
    answer = { id: "ord_other", created: "2024-01-01T00:00:00Z", num_items: 1, cost_cents: 1, delivery_date: "2024-01-02" };
    await expect(client().retrieveOrder("ord_mine")).rejects.toMatchObject({ code: "response_id_mismatch", received: "ord_other" });
    answer = { id: "mov_other", title: "t", release_year: 2000 };
    await expect(client().retrieveMovie("mov_mine")).rejects.toMatchObject({ code: "response_id_mismatch", received: "mov_other" });
  });

  it("accepts the answer when the id matches", async () => {
    answer = { id: "ord_mine", created: "2024-01-01T00:00:00Z", num_items: 1, cost_cents: 1, delivery_date: "2024-01-02" };
    await expect(client().retrieveOrder("ord_mine")).resolves.toMatchObject({ id: "ord_mine" });
  });
});

describe("ids that would change the request path", () => {
  let server: RawServer;
  beforeAll(async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"type":"not_found","message":"no"}}');
    });
  });
  afterAll(() => server.close());
  beforeEach(() => server.paths.splice(0));

  const client = (): CactusClient => new CactusClient({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0 });

  it.each([
    ["empty", ""],
    ["a dot", "."],
    ["two dots", ".."],
    ["a slash", "a/b"],
    ["a climb", "../v2/events"],
    ["a backslash", "..\\x"],
    ["a query", "ord?x=1"],
    ["a fragment", "ord#x"],
    ["a newline", "ord\n1"],
    ["a NUL", "ord\u0000"],
    ["DEL", "ord\u007f"],
  ])("rejects %s before any request, naming the id", async (_name, id) => {
    for (const call of [(c: CactusClient) => c.retrieveEvent(id), (c: CactusClient) => c.retrieveOrder(id), (c: CactusClient) => c.retrieveMovie(id)]) {
      const error = await failureOf(call(client()));
      expect(error).toBeInstanceOf(CactusInvalidIdError);
      expect(error).toMatchObject({ code: "invalid_id", argument: "id" });
      expect(error instanceof Error && error.message).toContain(JSON.stringify(id));
    }
    expect(server.paths).toEqual([]);
  });

  it("rejects a non-string id and cuts a long one short in the message", async () => {
    await expect(client().retrieveOrder(42 as unknown as string)).rejects.toThrow(/Invalid order id a number/);
    const long = `../${"a".repeat(5_000)}`;
    const error = await failureOf(client().retrieveOrder(long));
    expect(error instanceof Error && error.message.length).toBeLessThan(300);
    expect(server.paths).toEqual([]);
  });

  it("still sends ids with other characters, percent-encoded", async () => {
    const emulator = await CactusEmulator.start();
    try {
      emulator.addOrder({ id: "ord_ü 1%2e", created: "2024-01-01T00:00:00Z", num_items: 1, cost_cents: 1, delivery_date: "2024-01-02" });
      const api = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
      await expect(api.retrieveOrder("ord_ü 1%2e")).resolves.toMatchObject({ id: "ord_ü 1%2e" });
      expect(emulator.requests.map((request) => request.path)).toEqual(["/v1/orders/ord_%C3%BC%201%252e"]);
    } finally {
      await emulator.close();
    }
  });
});
