import { request as httpRequest } from "node:http";
import { CactusEmulator } from "../../lib/emulator";
import { runCli } from "../../lib/cli/main";
import { SECRET } from "../webhooks/helpers/fixtures";
import { eventually, startEndpoint } from "../dashboard/helpers";

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request with headers fetch would not let a test forge (`Host`, `Sec-Fetch-Site`). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port: Number(port), method, path, headers, setHost: !("host" in headers) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the emulator refuses requests a foreign web page could make (DNS rebinding, cross-site)", () => {
  let emulator: CactusEmulator;
  let auth: Record<string, string>;
  let port: string;
  beforeAll(async () => {
    emulator = await CactusEmulator.start({ port: 0 });
    auth = { authorization: `Bearer ${emulator.apiKey}` };
    port = new URL(emulator.url).port;
  });
  afterAll(() => emulator.close());

  it.each(["127.0.0.1", "localhost", "LOCALHOST"])("answers a request addressed to %s", async (name) => {
    const answer = await send(emulator.url, "GET", "/v2/events/evt_order_shipped", { ...auth, host: `${name}:${port}` });
    expect(answer.status).toBe(200);
  });

  it("answers the emulator's own origin and a browser's same-origin fetch", async () => {
    const answer = await send(emulator.url, "GET", "/v2/events", { ...auth, origin: emulator.url, "sec-fetch-site": "same-origin" });
    expect(answer.status).toBe(200);
  });

  it.each([
    ["a rebound host name", { host: "rebind.evil.example" }, "emulator_host_refused"],
    ["a rebound host name with the right port", { host: "rebind.evil.example:PORT" }, "emulator_host_refused"],
    ["the right name on another port", { host: "127.0.0.1:1" }, "emulator_host_refused"],
    ["a foreign Origin", { origin: "http://rebind.evil.example:PORT" }, "emulator_origin_refused"],
    ["the opaque Origin of a sandboxed page", { origin: "null" }, "emulator_origin_refused"],
    ["a cross-site browser request", { "sec-fetch-site": "cross-site" }, "emulator_origin_refused"],
    ["a same-site browser request from another port", { "sec-fetch-site": "same-site" }, "emulator_origin_refused"],
  ])("refuses %s with a clear 403, on every route, before its key or injected failures", async (_what, forged, type) => {
    const headers = Object.fromEntries(Object.entries(forged).map(([name, value]) => [name, value.replace("PORT", port)]));
    emulator.failNext({ status: 500 });
    const reads = await send(emulator.url, "GET", "/v2/events", { ...auth, ...headers });
    expect(reads.status).toBe(403);
    const body = JSON.parse(reads.body) as { error: { type: string; message: string } };
    expect(body.error.type).toBe(type);
    expect(body.error.message).toMatch(/refuses|only answers/);
    const before = emulator.requests.length;
    const creates = await send(emulator.url, "POST", "/v2/events", { ...auth, ...headers, "content-type": "application/json" }, JSON.stringify({ type: "order.shipped" }));
    expect(creates.status).toBe(403);
    for (const path of ["/v1/orders/ord_456", "/v1/movies/mov_789", "/v2/events/evt_order_shipped"]) {
      expect((await send(emulator.url, "GET", path, { ...auth, ...headers })).status).toBe(403);
    }
    expect(emulator.requests.length).toBe(before); // refused requests never reach the API
    emulator.reset();
    expect((await send(emulator.url, "GET", "/v2/events", auth)).status).toBe(200); // the failure was not used up
  });

  it("accepts the host it was configured with and the names in allowedHosts", async () => {
    const other = await CactusEmulator.start({ port: 0, allowedHosts: ["host.docker.internal"] });
    try {
      const otherPort = new URL(other.url).port;
      const headers = { authorization: `Bearer ${other.apiKey}` };
      expect((await send(other.url, "GET", "/v2/events", { ...headers, host: `host.docker.internal:${otherPort}` })).status).toBe(200);
      expect((await send(other.url, "GET", "/v2/events", { ...headers, host: `[::1]:${otherPort}` })).status).toBe(200);
      expect((await send(other.url, "GET", "/v2/events", { ...headers, host: `evil.example:${otherPort}` })).status).toBe(403);
    } finally {
      await other.close();
    }
  });
});

describe("cactus listen refuses a rebound page", () => {
  it("creates nothing, forwards nothing and lists nothing for a foreign Host or Origin", async () => {
    const endpoint = await startEndpoint();
    const controller = new AbortController();
    const out: string[] = [];
    const running = runCli(["listen", "--forward-to", `${endpoint.url}/webhooks`, "--secret", SECRET, "--port", "0"], { out: (line) => out.push(line), err: (line) => out.push(line), signal: controller.signal });
    try {
      const line = await eventually("the listening line", () => out.find((text) => text.startsWith("Cactus API emulator listening on ")));
      const base = line.slice("Cactus API emulator listening on ".length);
      const { port } = new URL(base);
      const auth = { authorization: "Bearer sk_test_emulator", "content-type": "application/json" };
      const body = JSON.stringify({ type: "order.shipped" });
      expect((await send(base, "POST", "/v2/events", { ...auth, host: `rebind.evil.example:${port}` }, body)).status).toBe(403);
      expect((await send(base, "POST", "/v2/events", { ...auth, origin: `http://rebind.evil.example:${port}` }, body)).status).toBe(403);
      expect((await send(base, "GET", "/v2/events", { ...auth, host: `rebind.evil.example:${port}` })).status).toBe(403);
      // The same request from a tool on this machine is served and forwarded.
      expect((await send(base, "POST", "/v2/events", auth, body)).status).toBe(201);
      await eventually("the forwarded delivery", () => endpoint.received.length === 1 || undefined);
      expect(endpoint.received).toHaveLength(1);
    } finally {
      controller.abort();
      expect(await running).toBe(0);
      await endpoint.close();
    }
  });
});
