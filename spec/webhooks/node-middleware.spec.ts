import express from "express";
import Fastify from "fastify";
import { CactusConfigError, CactusSignatureError, createNodeMiddleware } from "../../lib";
import { SECRET, shippedBody, signedDelivery } from "./helpers/fixtures";
import { RecordingHandler } from "./helpers/recording-handler";
import { listen } from "./helpers/server";
import { delay, repeatChunks, streamRequest } from "./helpers/stream-request";

const quiet = { onError: (): void => undefined };

describe("createNodeMiddleware", () => {
  it("checks its options when created, not at the first delivery", () => {
    const handler = new RecordingHandler();
    expect(() => createNodeMiddleware(handler, { secret: "whsec_short" })).toThrow(CactusSignatureError);
    expect(() => createNodeMiddleware(handler, { secret: SECRET, maxBodyBytes: 0 })).toThrow(CactusConfigError);
    expect(() => createNodeMiddleware(handler, { secret: SECRET, path: "webhooks" })).toThrow(CactusConfigError);
    expect(() => createNodeMiddleware(handler, { secret: SECRET, bodyTimeoutMs: Number.NaN })).toThrow(CactusConfigError);
  });

  it("calls next() for other paths in Express, and answers its own path (query string ignored)", async () => {
    const handler = new RecordingHandler();
    const app = express();
    app.use(createNodeMiddleware(handler, { secret: SECRET, ...quiet }));
    app.get("/health", (_req, res) => {
      res.send("fine");
    });
    const server = await listen(app.listen(0, "127.0.0.1"));
    try {
      expect(await (await fetch(`${server.url}/health`)).text()).toBe("fine");
      const { body, headers } = signedDelivery();
      const response = await fetch(`${server.url}/webhooks?attempt=2`, { method: "POST", headers, body });
      expect(response.status).toBe(200);
      expect(handler.calls).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("413: stops reading a chunked body at the limit and closes the connection", async () => {
    const handler = new RecordingHandler();
    const server = await listen(createNodeMiddleware(handler, { secret: SECRET, maxBodyBytes: 64 * 1024, ...quiet }));
    try {
      const { headers } = signedDelivery();
      const result = await streamRequest({
        url: `${server.url}/webhooks`,
        headers: { ...headers, "transfer-encoding": "chunked" },
        chunks: repeatChunks(800, 64 * 1024), // 50 MiB if the server kept reading
      });
      expect(result.status).toBe(413);
      expect(result.bytesWritten).toBeLessThan(50 * 1024 * 1024);
      expect(handler.calls).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("408: a body that stalls; a slow body that finishes in time is handled", async () => {
    const handler = new RecordingHandler();
    const server = await listen(createNodeMiddleware(handler, { secret: SECRET, bodyTimeoutMs: 300, ...quiet }));
    try {
      const { body, headers } = signedDelivery();
      const third = Math.ceil(body.length / 3);
      const parts = [body.slice(0, third), body.slice(third, 2 * third), body.slice(2 * third)];
      const slow = await streamRequest({
        url: `${server.url}/webhooks`,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        chunks: parts,
        pause: (index) => (index === 0 ? Promise.resolve() : delay(20)),
      });
      expect(slow.status).toBe(200);

      const stalled = await streamRequest({
        url: `${server.url}/webhooks`,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        chunks: [parts[0] ?? "", "never sent"],
        pause: (index, answer) => (index === 0 ? Promise.resolve() : answer),
      });
      expect(stalled.status).toBe(408);
      expect(JSON.parse(stalled.text)).toMatchObject({ error: { type: "body_timeout" } });
      expect(handler.calls).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("500 with advice when express.json() parsed the body first", async () => {
    const handler = new RecordingHandler();
    const app = express();
    app.use(express.json());
    app.use(createNodeMiddleware(handler, { secret: SECRET, ...quiet }));
    const server = await listen(app.listen(0, "127.0.0.1"));
    try {
      const { body, headers } = signedDelivery();
      const response = await fetch(`${server.url}/webhooks`, { method: "POST", headers, body });
      expect(response.status).toBe(500);
      const json: unknown = await response.json();
      expect(json).toMatchObject({ error: { type: "body_already_parsed" } });
      expect(JSON.stringify(json)).toContain("mount createNodeMiddleware before express.json()");
      expect(JSON.stringify(json)).toContain('express.raw({ type: \\"application/json\\" })');
      expect(handler.calls).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("accepts express.raw() bytes and req.rawBody", async () => {
    const handler = new RecordingHandler();
    const app = express();
    const middleware = createNodeMiddleware(handler, { secret: SECRET, ...quiet });
    app.post("/webhooks", express.raw({ type: "application/json" }), middleware);
    const server = await listen(app.listen(0, "127.0.0.1"));
    try {
      const { body, headers } = signedDelivery();
      expect((await fetch(`${server.url}/webhooks`, { method: "POST", headers, body })).status).toBe(200);
    } finally {
      await server.close();
    }
    // A framework that collected the bytes itself hands them over as req.rawBody.
    const raw = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => void middleware(Object.assign(req, { rawBody: Buffer.concat(chunks) }), res));
    });
    try {
      const { body, headers } = signedDelivery(shippedBody("evt_raw"));
      expect((await fetch(`${raw.url}/webhooks`, { method: "POST", headers, body })).status).toBe(200);
      expect(handler.calls.map((call) => call.id)).toEqual(["evt_1", "evt_raw"]);
    } finally {
      await raw.close();
    }
  });

  it("500 with advice when Fastify's JSON parser consumed the body", async () => {
    const handler = new RecordingHandler();
    const middleware = createNodeMiddleware(handler, { secret: SECRET, ...quiet });
    const app = Fastify();
    app.post("/webhooks", async (request, reply) => {
      reply.hijack();
      await middleware(request.raw, reply.raw);
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const address = app.server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      const { body, headers } = signedDelivery();
      const response = await fetch(`http://127.0.0.1:${port}/webhooks`, { method: "POST", headers, body });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).toContain("body_already_parsed");
      expect(text).toContain("Fastify: register a content-type parser");
      expect(handler.calls).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("logs 5xx causes through onError, never to the response with errorDetail off (production's default)", async () => {
    const errors: string[] = [];
    const handler = new RecordingHandler();
    handler.failWith = new Error("boom");
    const server = await listen(createNodeMiddleware(handler, { secret: SECRET, errorDetail: false, onError: (error, status) => errors.push(`${status} ${String(error)}`) }));
    try {
      const { body, headers } = signedDelivery(shippedBody("evt_7"));
      const response = await fetch(`${server.url}/webhooks`, { method: "POST", headers, body });
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain("boom");
      expect(errors).toEqual([expect.stringContaining("boom")]);
    } finally {
      await server.close();
    }
  });
});
