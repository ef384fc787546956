import { CactusClient, CactusConfigError, CactusTimeoutError, Movie, Order } from "../../lib";
import { CactusAbortError, CactusArgumentError } from "../../lib/errors/public";
import { SDK_VERSION } from "../../lib/client";
import { CactusEmulator } from "../../lib/emulator";
import { failureOf } from "../helpers/failure-of";

const MOVIE = { id: "mov_1", title: "Dune Sea", release_year: 2020 };

describe("client options: fetch and appInfo", () => {
  it("calls the given fetch (no server needed) with the URL, auth and the SDK User-Agent", async () => {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const client = new CactusClient({
      apiKey: "sk_test_custom_fetch",
      baseUrl: "http://api.invalid",
      fetch: async (url, init) => {
        calls.push({ url, headers: init.headers as Record<string, string> });
        return new Response(JSON.stringify(MOVIE), { status: 200, headers: { "content-type": "application/json" } });
      },
    });
    const movie = await client.retrieveMovie("mov_1");
    expect(movie).toBeInstanceOf(Movie);
    expect(calls).toEqual([
      {
        url: "http://api.invalid/v1/movies/mov_1",
        headers: expect.objectContaining({ authorization: "Bearer sk_test_custom_fetch", "user-agent": `cactus-sdk/${SDK_VERSION}` }),
      },
    ]);
  });

  it("retries through the given fetch like through the global one", async () => {
    let attempts = 0;
    const client = new CactusClient({
      apiKey: "sk_test_x",
      baseUrl: "http://api.invalid",
      maxRetries: 1,
      fetch: async () => {
        attempts += 1;
        return attempts === 1
          ? new Response('{"error":{"type":"api_error","message":"flaky"}}', { status: 503, headers: { "retry-after": "0" } })
          : new Response(JSON.stringify(MOVIE), { status: 200 });
      },
    });
    await expect(client.retrieveMovie("mov_1")).resolves.toMatchObject({ title: "Dune Sea" });
    expect(attempts).toBe(2);
  });

  it("appends appInfo to the User-Agent", async () => {
    let userAgent: string | undefined;
    const client = new CactusClient({
      apiKey: "sk_test_x",
      baseUrl: "http://api.invalid",
      appInfo: { name: "acme-shipping", version: "2.1.0", url: "https://acme.example" },
      fetch: async (_url, init) => {
        userAgent = (init.headers as Record<string, string>)["user-agent"];
        return new Response(JSON.stringify(MOVIE), { status: 200 });
      },
    });
    await client.retrieveMovie("mov_1");
    expect(userAgent).toBe(`cactus-sdk/${SDK_VERSION} acme-shipping/2.1.0 (+https://acme.example)`);
  });

  it.each([
    ["a name with a space", { name: "acme shipping" }],
    ["a name with a newline", { name: "acme\r\nx-evil: 1" }],
    ["an empty name", { name: "" }],
    ["a version with a slash", { name: "acme", version: "1/2" }],
    ["a URL with a space", { name: "acme", url: "https://a b" }],
  ])("rejects appInfo with %s at construction", (_name, appInfo) => {
    expect(() => new CactusClient({ apiKey: "sk_test_x", appInfo })).toThrow(CactusConfigError);
  });

  it("rejects a fetch that is not a function", () => {
    expect(() => new CactusClient({ apiKey: "sk_test_x", fetch: "fetch" as unknown as typeof fetch })).toThrow(CactusConfigError);
  });
});

describe("per-call options against the emulator", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;
  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0, timeoutMs: 10_000 });
  });

  it("timeoutMs overrides the client's timeout for one call", async () => {
    emulator.setLatency(2_000);
    const error = await failureOf(client.retrieveOrder("ord_456", { timeoutMs: 50 }));
    expect(error).toBeInstanceOf(CactusTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 50 }); // not the client's 10 s
  });

  it("maxRetries overrides the client's retries for one call", async () => {
    emulator.failNext({ status: 503, times: 2, retryAfter: "0" });
    await expect(client.retrieveMovie("mov_789", { maxRetries: 2 })).resolves.toBeInstanceOf(Movie);
    expect(emulator.requests).toHaveLength(3);
    emulator.reset();
    emulator.failNext({ status: 503, times: 1, retryAfter: "0" });
    await expect(client.retrieveMovie("mov_789")).rejects.toMatchObject({ status: 503 }); // the client's own 0 retries again
  });

  it("an already aborted signal rejects with CactusAbortError before any request", async () => {
    const reason = new Error("user navigated away");
    const error = await failureOf(client.retrieveEvent("evt_order_shipped", { signal: AbortSignal.abort(reason) }));
    expect(error).toBeInstanceOf(CactusAbortError);
    expect(error).toMatchObject({ code: "aborted", path: "/v2/events/evt_order_shipped", cause: reason });
    expect(emulator.requests).toEqual([]);
  });

  it("aborting mid-request rejects at once and does not retry", async () => {
    emulator.setLatency(5_000);
    const controller = new AbortController();
    const pending = failureOf(client.retrieveOrder("ord_456", { signal: controller.signal, maxRetries: 3 }));
    while (emulator.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await pending).toBeInstanceOf(CactusAbortError);
    expect(emulator.requests).toHaveLength(1);
  });

  it("aborting during a backoff wait ends the wait and stops retries", async () => {
    emulator.failNext({ status: 503, times: 5, retryAfter: "30" }); // a 30 s wait the abort must cut short
    const controller = new AbortController();
    const pending = failureOf(client.retrieveOrder("ord_456", { signal: controller.signal, maxRetries: 4 }));
    while (emulator.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(await pending).toBeInstanceOf(CactusAbortError);
    expect(emulator.requests).toHaveLength(1);
  });

  it("one caller's abort does not fail another caller of the same object", async () => {
    emulator.setLatency(100);
    const controller = new AbortController();
    const aborted = failureOf(client.retrieveOrder("ord_456", { signal: controller.signal }));
    const other = client.retrieveOrder("ord_456");
    controller.abort();
    expect(await aborted).toBeInstanceOf(CactusAbortError);
    await expect(other).resolves.toBeInstanceOf(Order);
  });

  it.each([
    ["a zero timeout", { timeoutMs: 0 }, "timeoutMs"],
    ["fractional retries", { maxRetries: 0.5 }, "maxRetries"],
    ["negative retries", { maxRetries: -1 }, "maxRetries"],
    ["a signal that is not one", { signal: "stop" as unknown as AbortSignal }, "signal"],
  ])("rejects %s before any request", async (_name, options, argument) => {
    const error = await failureOf(client.retrieveOrder("ord_456", options));
    expect(error).toBeInstanceOf(CactusArgumentError);
    expect(error).toMatchObject({ code: "invalid_argument", argument });
    expect(emulator.requests).toEqual([]);
  });
});
