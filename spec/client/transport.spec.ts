import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { HttpTransport, type TransportOptions } from "../../lib/client/transport";
import { CactusEmulator } from "../../lib/emulator";
import { CURRENT_API_VERSION } from "../../lib/events/api-versions";
import {
  CactusApiError,
  CactusAuthenticationError,
  CactusConfigError,
  CactusConnectionError,
  CactusNotFoundError,
  CactusRateLimitError,
  CactusServerError,
  CactusTimeoutError,
} from "../../lib/errors";
import { failureOf } from "../helpers/failure-of";

// The emulator stamps every event with `created`: ISO 8601, UTC, milliseconds.
const ISO_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

const API_KEY = "sk_test_transport_5ecret_K3y";

/** Records every backoff delay instead of sleeping, so retry tests assert the schedule, not the clock. */
class RecordingTransport extends HttpTransport {
  readonly delays: number[] = [];

  protected override sleep(ms: number): Promise<void> {
    this.delays.push(ms);
    return Promise.resolve();
  }
}

/** Awaits `promise`, expecting it to reject, and returns the rejection. */

describe("HttpTransport against the emulator", () => {
  let emulator: CactusEmulator;

  beforeAll(async () => {
    emulator = await CactusEmulator.start({ apiKey: API_KEY });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  function transport(overrides: Partial<TransportOptions> = {}): RecordingTransport {
    return new RecordingTransport({ apiKey: API_KEY, baseUrl: emulator.url, maxRetries: 2, timeoutMs: 2_000, retryBaseDelayMs: 1, ...overrides });
  }

  it("GETs and parses the JSON body", async () => {
    await expect(transport().getJson("/v2/events/evt_order_shipped")).resolves.toEqual({
      id: "evt_order_shipped",
      type: "order.shipped",
      created: ISO_TIME,
      related_object: { id: "ord_456", type: "order" },
      data: { shipping_service: "usps" },
      api_version: CURRENT_API_VERSION,
    });
    expect(emulator.requests).toEqual([{ method: "GET", path: "/v2/events/evt_order_shipped", authorized: true }]);
  });

  it("accepts a base URL with a trailing slash and a path without a leading one", async () => {
    const client = transport({ baseUrl: `${emulator.url}/` });
    await expect(client.getJson("v1/movies/mov_789")).resolves.toMatchObject({ title: "The Prickly Pear" });
    expect(emulator.requests.map((request) => request.path)).toEqual(["/v1/movies/mov_789"]);
  });

  it("throws CactusAuthenticationError for a wrong key, without retrying", async () => {
    const client = new RecordingTransport({ apiKey: "sk_test_wrong", baseUrl: emulator.url, maxRetries: 3, timeoutMs: 2_000 });
    const error = await failureOf(client.getJson("/v2/events/evt_order_shipped"));
    expect(error).toBeInstanceOf(CactusAuthenticationError);
    expect(error).toMatchObject({ status: 401, errorType: "authentication_error", path: "/v2/events/evt_order_shipped", code: "authentication_failed" });
    expect(emulator.requests).toEqual([{ method: "GET", path: "/v2/events/evt_order_shipped", authorized: false }]);
  });

  it("throws CactusNotFoundError with the API's message and request id", async () => {
    const error = await failureOf(transport().getJson("/v2/events/evt_nope"));
    expect(error).toBeInstanceOf(CactusNotFoundError);
    expect(error).toMatchObject({ status: 404, errorType: "not_found", path: "/v2/events/evt_nope", requestId: expect.stringMatching(/^req_\d+$/) });
    expect(error instanceof Error && error.message).toBe("Cactus API GET /v2/events/evt_nope answered 404: No such event: evt_nope");
    expect(emulator.requests).toHaveLength(1);
  });

  it("retries a 429 after exactly the Retry-After seconds, then succeeds", async () => {
    emulator.failNext({ status: 429, retryAfter: "2" });
    const client = transport();
    await expect(client.getJson("/v1/orders/ord_456")).resolves.toMatchObject({ id: "ord_456" });
    expect(emulator.requests).toHaveLength(2);
    expect(client.delays).toEqual([2_000]);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    emulator.failNext({ status: 503, retryAfter: new Date(Date.now() + 30_000).toUTCString() });
    const client = transport();
    await expect(client.getJson("/v1/orders/ord_456")).resolves.toMatchObject({ id: "ord_456" });
    expect(emulator.requests).toHaveLength(2);
    expect(client.delays).toHaveLength(1);
    // The header has one-second resolution, so the wait is between 29 and 30 seconds.
    expect(client.delays[0]).toBeGreaterThan(28_000);
    expect(client.delays[0]).toBeLessThanOrEqual(30_000);
  });

  it("caps a long Retry-After at maxRetryAfterMs", async () => {
    emulator.failNext({ status: 429, retryAfter: "3600" });
    const client = transport({ maxRetryAfterMs: 50 });
    await client.getJson("/v1/orders/ord_456");
    expect(client.delays).toEqual([50]);
  });

  it("throws CactusRateLimitError with retryAfterMs when every attempt is rate limited", async () => {
    emulator.failNext({ status: 429, retryAfter: "1", times: 3 });
    const client = transport();
    const error = await failureOf(client.getJson("/v1/orders/ord_456"));
    expect(error).toBeInstanceOf(CactusRateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 1_000, errorType: "rate_limit_error" });
    expect(emulator.requests).toHaveLength(3);
    expect(client.delays).toEqual([1_000, 1_000]);
  });

  it("retries 503 with jittered exponential backoff, then throws CactusServerError", async () => {
    emulator.failNext({ status: 503, times: 3 });
    const client = transport({ retryBaseDelayMs: 100, retryMaxDelayMs: 150 });
    const error = await failureOf(client.getJson("/v2/events/evt_order_lost"));
    expect(error).toBeInstanceOf(CactusServerError);
    expect(error).toMatchObject({
      status: 503,
      errorType: "service_unavailable",
      path: "/v2/events/evt_order_lost",
      requestId: expect.stringMatching(/^req_\d+$/),
      code: "server_error",
    });
    expect(emulator.requests).toHaveLength(3);
    const [first, second] = client.delays;
    expect(client.delays).toHaveLength(2);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(100); // base * 2^0
    expect(second).toBeGreaterThanOrEqual(0);
    expect(second).toBeLessThan(150); // min(cap, base * 2^1)
  });

  it.each([408, 409, 500, 502, 504])("retries status %i", async (status) => {
    emulator.failNext({ status });
    await expect(transport().getJson("/v1/movies/mov_789")).resolves.toMatchObject({ id: "mov_789" });
    expect(emulator.requests).toHaveLength(2);
  });

  it("does not retry a 400", async () => {
    emulator.failNext({ status: 400, times: 5 });
    const error = await failureOf(transport({ maxRetries: 4 }).getJson("/v1/movies/mov_789"));
    expect(error).toBeInstanceOf(CactusApiError);
    expect(error).not.toBeInstanceOf(CactusServerError);
    expect(error).toMatchObject({ status: 400, errorType: "invalid_request_error", code: "api_error" });
    expect(emulator.requests).toHaveLength(1);
  });

  it("maps an error answer whose body is not JSON by its status alone", async () => {
    emulator.failNext({ status: 502, body: "<html><body>Bad Gateway</body></html>" });
    const error = await failureOf(transport({ maxRetries: 0 }).getJson("/v1/movies/mov_789"));
    expect(error).toBeInstanceOf(CactusServerError);
    expect(error).toMatchObject({ status: 502, errorType: undefined });
    expect(error instanceof Error && error.message).toContain("not a Cactus JSON error");
  });

  it("throws CactusApiError invalid_response for a 2xx body that is not JSON, without retrying", async () => {
    emulator.failNext({ status: 200, body: "<html>hello</html>" });
    const error = await failureOf(transport().getJson("/v1/movies/mov_789"));
    expect(error).toBeInstanceOf(CactusApiError);
    expect(error).toMatchObject({ code: "invalid_response", status: 200, path: "/v1/movies/mov_789" });
    expect(error instanceof Error && error.message).toContain("could not be parsed as JSON");
    expect(emulator.requests).toHaveLength(1);
  });

  it("times out each attempt and throws CactusTimeoutError after maxRetries + 1 attempts", async () => {
    emulator.setLatency(1_000);
    const error = await failureOf(transport({ timeoutMs: 50, maxRetries: 2 }).getJson("/v2/events/evt_movie_started"));
    expect(error).toBeInstanceOf(CactusTimeoutError);
    expect(error).toMatchObject({ code: "timeout", path: "/v2/events/evt_movie_started", timeoutMs: 50 });
    expect(emulator.requests).toHaveLength(3);
  });

  it("retries a dropped socket", async () => {
    emulator.dropNext(1);
    await expect(transport({ maxRetries: 1 }).getJson("/v2/events/evt_movie_completed")).resolves.toMatchObject({
      data: { user: "ada", rating: 4.5 },
    });
    expect(emulator.requests).toHaveLength(2);
  });

  it("throws CactusConnectionError when every attempt is dropped", async () => {
    emulator.dropNext(2);
    const error = await failureOf(transport({ maxRetries: 1 }).getJson("/v2/events/evt_movie_completed"));
    expect(error).toBeInstanceOf(CactusConnectionError);
    expect(error).toMatchObject({ code: "connection_failed", path: "/v2/events/evt_movie_completed" });
    expect(emulator.requests).toHaveLength(2);
  });

  describe("never leaks the API key", () => {
    function expectNoKey(value: unknown): void {
      expect(value).toBeInstanceOf(Error);
      const texts = [
        inspect(value, { depth: 10, showHidden: true }),
        JSON.stringify(value),
        value instanceof Error ? `${value.message}\n${value.stack ?? ""}` : "",
        ...(typeof value === "object" && value !== null
          ? Object.getOwnPropertyNames(value).map((name) => inspect(Reflect.get(value, name), { depth: 10, showHidden: true }))
          : []),
      ];
      for (const text of texts) expect(text).not.toContain(API_KEY);
    }

    it.each([
      ["a 404", () => undefined, "/v2/events/evt_nope"],
      ["a 400", () => emulator.failNext({ status: 400 }), "/v2/events/evt_order_lost"],
      ["a rate limit", () => emulator.failNext({ status: 429, times: 3, retryAfter: "0" }), "/v2/events/evt_order_lost"],
      ["a 503", () => emulator.failNext({ status: 503, times: 3 }), "/v2/events/evt_order_lost"],
      ["a non-JSON 200", () => emulator.failNext({ status: 200, body: "nope" }), "/v2/events/evt_order_lost"],
      ["a timeout", () => emulator.setLatency(500), "/v2/events/evt_order_lost"],
      ["dropped sockets", () => emulator.dropNext(3), "/v2/events/evt_order_lost"],
    ])("in errors from %s", async (_name, arrange, path) => {
      arrange();
      expectNoKey(await failureOf(transport({ timeoutMs: 50 }).getJson(path)));
    });

    it("in an authentication error", async () => {
      const other = await CactusEmulator.start({ apiKey: "sk_test_someone_else" });
      try {
        expectNoKey(await failureOf(new HttpTransport({ apiKey: API_KEY, baseUrl: other.url, maxRetries: 0, timeoutMs: 2_000 }).getJson("/v1/orders/ord_456")));
      } finally {
        await other.close();
      }
    });

    it("even when the server echoes it back in its error body", async () => {
      emulator.failNext({ status: 400, body: JSON.stringify({ error: { type: `bad_${API_KEY}`, message: `Key ${API_KEY} is not allowed` } }) });
      const error = await failureOf(transport().getJson("/v2/events/evt_order_lost"));
      expectNoKey(error);
      expect(error instanceof Error && error.message).toContain("Key [redacted] is not allowed");
    });

    it("in the transport itself (console.log, JSON.stringify)", () => {
      const client = transport();
      expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(API_KEY);
      expect(JSON.stringify(client)).not.toContain(API_KEY);
    });

    it("in configuration errors about the key", () => {
      const badKey = `${API_KEY}\r\nX-Injected: 1`;
      let error: unknown;
      try {
        new HttpTransport({ apiKey: badKey, baseUrl: emulator.url, maxRetries: 0, timeoutMs: 100 });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CactusConfigError);
      expectNoKey(error);
    });
  });
});

describe("HttpTransport without a server", () => {
  it("throws CactusConnectionError after retrying a refused connection", async () => {
    const closed = await CactusEmulator.start();
    const baseUrl = closed.url;
    await closed.close();
    const client = new RecordingTransport({ apiKey: API_KEY, baseUrl, maxRetries: 2, timeoutMs: 2_000, retryBaseDelayMs: 1 });
    const error = await failureOf(client.getJson("/v2/events/evt_1"));
    expect(error).toBeInstanceOf(CactusConnectionError);
    expect(error).toMatchObject({ code: "connection_failed", path: "/v2/events/evt_1" });
    expect(error instanceof Error && error.message).toContain("ECONNREFUSED");
    expect(client.delays).toHaveLength(2);
  });

  it.each([
    ["an empty key", { apiKey: "" }],
    ["a key with a space", { apiKey: "sk test" }],
    ["a relative base URL", { baseUrl: "/v2" }],
    ["a non-HTTP base URL", { baseUrl: "ftp://example.com" }],
    ["negative retries", { maxRetries: -1 }],
    ["fractional retries", { maxRetries: 1.5 }],
    ["a zero timeout", { timeoutMs: 0 }],
    ["a NaN delay", { retryBaseDelayMs: Number.NaN }],
  ])("rejects %s with CactusConfigError", (_name, overrides) => {
    const options: TransportOptions = { apiKey: API_KEY, baseUrl: "http://127.0.0.1:1", maxRetries: 0, timeoutMs: 100, ...overrides };
    expect(() => new HttpTransport(options)).toThrow(CactusConfigError);
  });
});

function portOf(address: string | AddressInfo | null): number {
  if (address === null || typeof address === "string") throw new Error("server is not listening on TCP");
  return address.port;
}

describe("HttpTransport request headers", () => {
  it("sends Bearer auth, Accept JSON and the SDK User-Agent", async () => {
    let seen: IncomingHttpHeaders | undefined;
    const server = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      await new HttpTransport({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${portOf(server.address())}`, maxRetries: 0, timeoutMs: 2_000 }).getJson("/x");
      expect(seen).toMatchObject({
        authorization: `Bearer ${API_KEY}`,
        accept: "application/json",
        "user-agent": "cactus-sdk/0.1.0",
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
