import { CactusEmulator } from "../../lib/emulator";
import { CURRENT_API_VERSION } from "../../lib/events/api-versions";
import { CactusConfigError, CactusError } from "../../lib/errors";

// The emulator stamps every event with `created`: ISO 8601, UTC, milliseconds.
const ISO_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe("CactusEmulator HTTP API", () => {
  let emulator: CactusEmulator;
  let auth: Record<string, string>;

  beforeAll(async () => {
    emulator = await CactusEmulator.start({ apiKey: "sk_test_emulator_spec" });
    auth = { authorization: "Bearer sk_test_emulator_spec" };
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  function get(path: string, headers: Record<string, string> = auth): Promise<Response> {
    return fetch(emulator.url + path, { headers });
  }

  it("listens on 127.0.0.1 on a free port and uses the default key when none is given", async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const other = new CactusEmulator();
    expect(other.apiKey).toBe("sk_test_emulator");
    expect(() => other.url).toThrow(CactusError);
    await other.close(); // closing an emulator that never listened is fine
  });

  it("serves the seeded event, order and movie as wire JSON", async () => {
    const event = await get("/v2/events/evt_movie_completed");
    expect(event.status).toBe(200);
    expect(event.headers.get("content-type")).toBe("application/json");
    expect(await event.json()).toEqual({
      id: "evt_movie_completed",
      type: "movie.completed",
      created: ISO_TIME,
      related_object: { id: "mov_789", type: "movie" },
      data: { user: "ada", rating: 4.5 },
      api_version: CURRENT_API_VERSION,
    });
    expect(await (await get("/v1/orders/ord_456")).json()).toMatchObject({ id: "ord_456", num_items: 3, delivery_date: "2024-05-04" });
    expect(await (await get("/v1/movies/mov_789")).json()).toEqual({ id: "mov_789", title: "The Prickly Pear", release_year: 2021 });
  });

  it("answers 401 without echoing the key, for a missing or wrong key", async () => {
    const missing = await get("/v2/events/evt_order_shipped", {});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { type: "authentication_error", message: expect.stringContaining("No API key") } });
    const wrong = await get("/v2/events/evt_order_shipped", { authorization: "Bearer sk_test_guess_123" });
    expect(wrong.status).toBe(401);
    const text = await wrong.text();
    expect(JSON.parse(text)).toEqual({ error: { type: "authentication_error", message: "Invalid API key provided" } });
    expect(text).not.toContain("sk_test_guess_123");
    expect(text).not.toContain("sk_test_emulator_spec");
    expect((await get("/v2/events/evt_order_shipped", { authorization: "sk_test_emulator_spec" })).status).toBe(401);
    expect(emulator.requests.map((request) => request.authorized)).toEqual([false, false, false]);
    expect(JSON.stringify(emulator.requests)).not.toContain("sk_test");
  });

  it("answers 404 with the Cactus error shape for an unknown id", async () => {
    const response = await get("/v2/events/evt_x");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { type: "not_found", message: "No such event: evt_x" } });
    expect(await (await get("/v1/orders/ord_x")).json()).toEqual({ error: { type: "not_found", message: "No such order: ord_x" } });
    expect(await (await get("/v1/movies/mov_x")).json()).toEqual({ error: { type: "not_found", message: "No such movie: mov_x" } });
    expect((await get("/v2/events/__proto__")).status).toBe(404);
    expect((await get("/v2/events/%E0%A4%A")).status).toBe(404);
  });

  it("answers 404 for other paths", async () => {
    for (const path of ["/", "/v2/event", "/v2/events/evt_order_shipped/extra", "/v1/events/evt_order_shipped", "/v3/orders/ord_456"]) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { type: "not_found", message: expect.stringContaining("Unknown path") } });
    }
  });

  it("answers 405 to anything but GET", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const response = await fetch(`${emulator.url}/v2/events/evt_order_shipped`, { method, headers: auth, body: method === "DELETE" ? null : "{}" });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET");
      expect(await response.json()).toEqual({ error: { type: "method_not_allowed", message: expect.stringContaining(method) } });
    }
  });

  it("numbers every answer with a request-id header", async () => {
    const ids = [];
    for (const path of ["/v2/events/evt_order_lost", "/nope", "/v1/orders/ord_456"]) {
      const response = await get(path);
      await response.arrayBuffer();
      ids.push(response.headers.get("request-id"));
    }
    expect(ids).toEqual([expect.stringMatching(/^req_\d+$/), expect.stringMatching(/^req_\d+$/), expect.stringMatching(/^req_\d+$/)]);
    expect(new Set(ids).size).toBe(3);
  });

  it("logs every request with method, path and whether it was authorized", async () => {
    await (await get("/v1/orders/ord_456?expand=1")).arrayBuffer();
    await (await get("/v1/orders/ord_456", {})).arrayBuffer();
    expect(emulator.requests).toEqual([
      { method: "GET", path: "/v1/orders/ord_456?expand=1", authorized: true },
      { method: "GET", path: "/v1/orders/ord_456", authorized: false },
    ]);
  });

  it("serves what addEvent, addOrder and addMovie store", async () => {
    emulator.addEvent({ id: "evt_added", type: "order.lost", data: { last_seen_city: "Reno" } });
    emulator.addOrder({ id: "ord_added", created: "2024-01-01T00:00:00Z", num_items: 0, cost_cents: 0, delivery_date: "2024-01-02" });
    emulator.addMovie({ id: "mov_added", title: "Saguaro", release_year: 1999 });
    expect(await (await get("/v2/events/evt_added")).json()).toEqual({ id: "evt_added", type: "order.lost", created: ISO_TIME, data: { last_seen_city: "Reno" }, api_version: CURRENT_API_VERSION });
    expect(await (await get("/v1/orders/ord_added")).json()).toMatchObject({ id: "ord_added" });
    expect(await (await get("/v1/movies/mov_added")).json()).toMatchObject({ title: "Saguaro" });
  });

  describe("failure injection", () => {
    it("failNext answers the status the given number of times, with Retry-After", async () => {
      emulator.failNext({ status: 429, times: 2, retryAfter: "3" });
      for (let i = 0; i < 2; i += 1) {
        const response = await get("/v1/movies/mov_789");
        expect(response.status).toBe(429);
        expect(response.headers.get("retry-after")).toBe("3");
        expect(response.headers.get("request-id")).toMatch(/^req_\d+$/);
        expect(await response.json()).toEqual({ error: { type: "rate_limit_error", message: expect.any(String) } });
      }
      expect((await get("/v1/movies/mov_789")).status).toBe(200);
    });

    it("failNext with pathPrefix only fails matching paths", async () => {
      emulator.failNext({ status: 503, pathPrefix: "/v1/orders/" });
      expect((await get("/v2/events/evt_order_shipped")).status).toBe(200);
      expect((await get("/v1/orders/ord_456")).status).toBe(503);
      expect((await get("/v1/orders/ord_456")).status).toBe(200);
    });

    it("failNext can send a raw body", async () => {
      emulator.failNext({ status: 502, body: "<html>Bad Gateway</html>" });
      expect(await (await get("/v1/orders/ord_456")).text()).toBe("<html>Bad Gateway</html>");
    });

    it("failNext rejects nonsense", () => {
      expect(() => emulator.failNext({ status: 42 })).toThrow(CactusConfigError);
      expect(() => emulator.failNext({ status: 500, times: 0 })).toThrow(CactusConfigError);
      expect(() => emulator.dropNext(-1)).toThrow(CactusConfigError);
    });

    it("dropNext destroys the socket without an answer", async () => {
      emulator.dropNext();
      await expect(get("/v1/orders/ord_456")).rejects.toThrow();
      expect((await get("/v1/orders/ord_456")).status).toBe(200);
      expect(emulator.requests).toHaveLength(2);
    });

    it("setLatency delays answers and still answers", async () => {
      emulator.setLatency(20);
      expect((await get("/v1/orders/ord_456")).status).toBe(200);
    });

    it("reset clears pending failures, drops, latency and the log", async () => {
      emulator.failNext({ status: 500, times: 5 });
      emulator.dropNext(5);
      emulator.setLatency(10_000);
      emulator.reset();
      expect(emulator.requests).toEqual([]);
      expect((await get("/v1/orders/ord_456")).status).toBe(200);
    });
  });
});

describe("CactusEmulator lifecycle", () => {
  it("can start unseeded", async () => {
    const emulator = await CactusEmulator.start({ seed: false });
    try {
      const response = await fetch(`${emulator.url}/v2/events/evt_order_shipped`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
      expect(response.status).toBe(404);
    } finally {
      await emulator.close();
    }
  });

  it("closes with idle keep-alive sockets and answers still pending behind latency", async () => {
    const emulator = await CactusEmulator.start();
    const headers = { authorization: `Bearer ${emulator.apiKey}` };
    await (await fetch(`${emulator.url}/v1/orders/ord_456`, { headers })).arrayBuffer(); // leaves an idle keep-alive socket
    emulator.setLatency(60_000);
    const pending = fetch(`${emulator.url}/v1/orders/ord_456`, { headers });
    while (emulator.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await emulator.close();
    await expect(pending).rejects.toThrow();
  });

  it("rejects listen on a port already in use", async () => {
    const first = await CactusEmulator.start();
    const port = Number(new URL(first.url).port);
    try {
      await expect(CactusEmulator.start({ port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
