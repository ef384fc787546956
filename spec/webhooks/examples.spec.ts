import type { Server } from "node:http";
import { CactusClient } from "../../lib";
import { signWebhook } from "../../lib/webhooks";
import type { CactusEmulator } from "../../lib/emulator";
import { startEmulatorWithClient } from "../helpers/emulator";
import { createExpressApp } from "../../examples/webhooks/express";
import { ExampleHandler } from "../../examples/webhooks/example-handler";
import { createFastifyApp } from "../../examples/webhooks/fastify";
import { createHonoApp } from "../../examples/webhooks/hono";
import { createNodeHttpServer } from "../../examples/webhooks/node-http";
import { serveFetch } from "../../examples/webhooks/serve-fetch";
import { OTHER_SECRET, SECRET } from "./helpers/fixtures";
import { listen, type TestServer } from "./helpers/server";
import { repeatChunks, streamRequest } from "./helpers/stream-request";

// Every runnable example, on a real server on 127.0.0.1 (free port), with real signed deliveries
// of the emulator's events; the handler pulls from the emulator over HTTP.
describe("webhook examples", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;
  const lines: string[] = [];
  // A forged delivery makes the default logger warn (once per cause a minute): captured, checked below.
  const warned: string[] = [];
  let warnSpy: jest.SpyInstance | undefined;

  beforeAll(async () => {
    warnSpy = jest.spyOn(console, "warn").mockImplementation((line: unknown) => void warned.push(String(line)));
    ({ emulator, client } = await startEmulatorWithClient({ maxRetries: 2 }));
  });
  afterAll(async () => {
    warnSpy?.mockRestore();
    for (const line of warned) expect(line).toMatch(/^\[cactus-sdk\] delivery evt_order_shipped rejected: no_matching_signature/);
    await emulator.close();
  });
  beforeEach(() => {
    lines.length = 0;
  });

  function delivery(eventId = "evt_order_shipped", secret = SECRET): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify(emulator.thinEventOf(eventId));
    return { body, headers: signWebhook({ id: eventId, body, webhookSecret: secret }) };
  }

  async function exercise(url: string): Promise<void> {
    const shipped = delivery();
    const ok = await fetch(`${url}/webhooks`, { method: "POST", headers: shipped.headers, body: shipped.body });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, id: "evt_order_shipped", handledBy: "onOrderShipped" });
    expect(lines).toEqual(["order ord_456 shipped with usps"]);

    const completed = delivery("evt_movie_completed");
    const rated = await fetch(`${url}/webhooks`, { method: "POST", headers: completed.headers, body: completed.body });
    expect(rated.status).toBe(200);
    expect(lines).toContain('ada rated "The Prickly Pear" 4.5/5');

    const forged = delivery("evt_order_shipped", OTHER_SECRET);
    const refused = await fetch(`${url}/webhooks`, { method: "POST", headers: forged.headers, body: forged.body });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { type: "no_matching_signature" } });

    const get = await fetch(`${url}/webhooks`);
    expect(get.status).toBe(405);
    expect(lines).toHaveLength(2);
  }

  async function onServer(server: Server, run: (url: string) => Promise<void>): Promise<void> {
    const running: TestServer = await listen(server);
    try {
      await run(running.url);
    } finally {
      await running.close();
    }
  }

  it("node:http", async () => {
    await onServer(createNodeHttpServer(new ExampleHandler(client, (line) => lines.push(line)), SECRET), exercise);
  });

  it("Express 5 (with express.json() for the rest of the app)", async () => {
    const app = createExpressApp(new ExampleHandler(client, (line) => lines.push(line)), SECRET);
    await onServer(app.listen(0, "127.0.0.1"), async (url) => {
      await exercise(url);
      const echo = await fetch(`${url}/api/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
      expect(await echo.json()).toEqual({ received: { a: 1 } });
    });
  });

  it("Fastify 5 (with its JSON parser for the rest of the app)", async () => {
    const app = createFastifyApp(new ExampleHandler(client, (line) => lines.push(line)), SECRET);
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
      await exercise(url);
      const echo = await fetch(`${url}/api/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
      expect(await echo.json()).toEqual({ received: { a: 1 } });
      const { headers } = delivery();
      const big = await fetch(`${url}/webhooks`, { method: "POST", headers, body: "x".repeat(2 * 1024 * 1024) });
      expect(big.status).toBe(413);
    } finally {
      await app.close();
    }
  });

  it("Hono (Fetch handler), served on node:http", async () => {
    const app = createHonoApp(new ExampleHandler(client, (line) => lines.push(line)), SECRET);
    await onServer(serveFetch((request) => app.fetch(request)), async (url) => {
      await exercise(url);
      const { headers } = delivery();
      const big = await streamRequest({ url: `${url}/webhooks`, headers: { ...headers, "transfer-encoding": "chunked" }, chunks: repeatChunks(64, 64 * 1024) });
      expect(big.status).toBe(413);
    });
  });

  it("Next.js-style route handler, called with Request objects", async () => {
    const saved = { ...process.env };
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    Object.assign(process.env, { CACTUS_API_KEY: emulator.apiKey, CACTUS_API_BASE_URL: emulator.url, CACTUS_WEBHOOK_SECRET: SECRET });
    try {
      const { POST } = await import("../../examples/webhooks/next-route-handler");
      const shipped = delivery();
      const ok = await POST(new Request("https://shop.example/webhooks", { method: "POST", headers: shipped.headers, body: shipped.body }));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ handledBy: "onOrderShipped" });
      const forged = delivery("evt_order_shipped", OTHER_SECRET);
      const refused = await POST(new Request("https://shop.example/webhooks", { method: "POST", headers: forged.headers, body: forged.body }));
      expect(refused.status).toBe(401);
      expect(log).toHaveBeenCalledWith("order ord_456 shipped with usps");
    } finally {
      process.env = saved;
      log.mockRestore();
    }
  });
});
