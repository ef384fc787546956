import express from "express";
import { createNodeMiddleware } from "../../lib";
import { WarningLimiter } from "../../lib/observability/warning-limiter";
import { OTHER_SECRET, SECRET, signedDelivery } from "./helpers/fixtures";
import { RecordingHandler } from "./helpers/recording-handler";
import { listen } from "./helpers/server";

// With the default logger the server used to stay silent on a wrong secret (only the sender saw
// 401) and on a delivery POSTed to a path no receiver answers (the framework's 404).
describe("warnings a misconfigured endpoint prints with the default logger", () => {
  let warned: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    warned = [];
    spy = jest.spyOn(console, "warn").mockImplementation((line: unknown) => void warned.push(String(line)));
  });
  afterEach(() => spy.mockRestore());

  it("a wrong secret: one warn line per cause a minute, naming the check, never the secret or signature", async () => {
    const handler = new RecordingHandler();
    const server = await listen(createNodeMiddleware(handler, { webhookSecret: SECRET }));
    try {
      const sent: string[] = [];
      for (const id of ["evt_a", "evt_b", "evt_c"]) {
        const { body, headers } = signedDelivery(JSON.stringify({ id, type: "order.lost" }), { secret: OTHER_SECRET });
        sent.push(headers["webhook-signature"]);
        const response = await fetch(`${server.url}/webhooks`, { method: "POST", headers, body });
        expect(response.status).toBe(401);
      }
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatch(/^\[cactus-sdk\] delivery evt_a rejected: no_matching_signature: .*check that webhookSecret is this endpoint's signing secret/);
      for (const secretish of [SECRET, OTHER_SECRET, SECRET.slice(6), OTHER_SECRET.slice(6), ...sent, ...sent.map((s) => s.slice(3))]) expect(warned[0]).not.toContain(secretish);
      expect(handler.calls).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it("a signed POST that falls through to the framework's 404 names its path and where receivers answer", async () => {
    const app = express();
    app.use(createNodeMiddleware(new RecordingHandler(), { webhookSecret: SECRET }));
    app.post("/elsewhere", (_req, res) => void res.sendStatus(200));
    const server = await listen(app.listen(0, "127.0.0.1"));
    try {
      const { body, headers } = signedDelivery();
      const misrouted = await fetch(`${server.url}/webhooks/cactus`, { method: "POST", headers, body });
      expect(misrouted.status).toBe(404);
      await misrouted.text();
      // Not deliveries, or answered by the app: no warning.
      const plain = await fetch(`${server.url}/nothing`, { method: "POST", headers: { "content-type": "application/json" }, body });
      await plain.text();
      const routed = await fetch(`${server.url}/elsewhere`, { method: "POST", headers, body });
      expect(routed.status).toBe(200);
      await routed.text();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warned).toHaveLength(1);
      expect(warned[0]).toContain('a POST to "/webhooks/cactus" with Standard Webhooks headers reached no receiver');
      expect(warned[0]).toContain('"/webhooks"');
    } finally {
      await server.close();
    }
  });
});

describe("WarningLimiter", () => {
  it("writes the first line, counts the next ones, and reports the count after the interval", () => {
    let now = 0;
    const limiter = new WarningLimiter(60_000, () => now);
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBeUndefined();
    expect(limiter.take("b")).toBe(0);
    now = 30_000;
    expect(limiter.take("a")).toBeUndefined();
    now = 60_000;
    expect(limiter.take("a")).toBe(2);
    expect(limiter.take("a")).toBeUndefined();
  });
});

describe("the console line of a body express.json() parsed first", () => {
  it("carries the whole advice, not a sentence cut at 200 characters", async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
    const app = express();
    app.use(express.json());
    app.use(createNodeMiddleware(new RecordingHandler(), { webhookSecret: SECRET }));
    const server = await listen(app.listen(0, "127.0.0.1"));
    try {
      const { body, headers } = signedDelivery();
      const response = await fetch(`${server.url}/webhooks`, { method: "POST", headers, body });
      expect(response.status).toBe(500);
      await response.text();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('use express.raw({ type: "application/json" }) on the webhook route.');
      expect(lines[0]).toContain("Fetch API: pass the original Request before calling request.json() or request.text().");
    } finally {
      spy.mockRestore();
      await server.close();
    }
  });
});
