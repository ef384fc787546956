import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeMiddleware, CactusRouter, CactusClient } from "../../lib";
import { deliverWebhook, type DeliveryAttempt } from "../../lib/webhooks";
import { SECRET, shippedBody } from "../webhooks/helpers/fixtures";
import { listen } from "../webhooks/helpers/server";

/** Answers every POST with `status` (and a Location when it is a redirect), counting requests by path. */
function answering(status: number, location?: string): { hits: Map<string, number>; listener: (req: IncomingMessage, res: ServerResponse) => void } {
  const hits = new Map<string, number>();
  return {
    hits,
    listener: (req, res) => {
      req.resume();
      req.on("end", () => {
        hits.set(req.url ?? "", (hits.get(req.url ?? "") ?? 0) + 1);
        if (req.url === "/moved") res.writeHead(status, location === undefined ? {} : { location }).end();
        else res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
      });
    },
  };
}

describe("deliverWebhook", () => {
  it("treats a redirect as a failed delivery and does not follow it", async () => {
    for (const status of [301, 302, 307, 308]) {
      const { hits, listener } = answering(status, "/landed");
      const server = await listen(listener);
      try {
        const result = await deliverWebhook({ url: `${server.url}/moved`, id: "evt_1", body: shippedBody(), webhookSecret: SECRET, maxAttempts: 2, backoffMs: 1 });
        expect(result.delivered).toBe(false);
        expect(result.attempts.map((attempt) => attempt.status)).toEqual([status, status]);
        expect(result.attempts[0]?.detail).toBe("redirect to /landed");
        expect(hits.get("/landed")).toBeUndefined();
      } finally {
        await server.close();
      }
    }
  });

  it("delivers signed to a real receiver, and reports the error type of each failed attempt", async () => {
    const client = new CactusClient({ apiKey: "sk_test_unused", baseUrl: "http://127.0.0.1:9" });
    let failures = 1;
    const seen: string[] = [];
    const router = new CactusRouter(client).on("order.shipped", (event) => {
      if (failures-- > 0) throw new Error("not yet");
      seen.push(event.id);
    });
    const server = await listen(createNodeMiddleware(router, { secret: SECRET, onError: () => undefined }));
    try {
      const reported: DeliveryAttempt[] = [];
      const result = await deliverWebhook({
        url: `${server.url}/webhooks`,
        id: "evt_1",
        body: shippedBody(),
        webhookSecret: SECRET,
        backoffMs: 8,
        onAttempt: (attempt) => reported.push(attempt),
      });
      expect(result.delivered).toBe(true);
      expect(reported).toEqual([
        { attempt: 1, status: 500, detail: "handler_failed", nextDelayMs: 8, durationMs: expect.any(Number) },
        { attempt: 2, status: 200, detail: undefined, nextDelayMs: undefined, durationMs: expect.any(Number) },
      ]);
      expect(seen).toEqual(["evt_1"]);
    } finally {
      await server.close();
    }
  });

  it("backs off on the client's exponential schedule: the delay doubles each attempt", async () => {
    const { listener } = answering(503);
    const server = await listen(listener);
    try {
      const result = await deliverWebhook({ url: `${server.url}/moved`, id: "evt_1", body: "{}", webhookSecret: SECRET, maxAttempts: 4, backoffMs: 10 });
      expect(result.attempts.map((attempt) => attempt.nextDelayMs)).toEqual([10, 20, 40, undefined]);
    } finally {
      await server.close();
    }
  });

  it("reports a refused connection by its code", async () => {
    const { listener } = answering(200);
    const server = await listen(listener);
    const url = server.url;
    await server.close();
    const result = await deliverWebhook({ url, id: "evt_1", body: "{}", webhookSecret: SECRET, maxAttempts: 1 });
    expect(result).toEqual({ delivered: false, attempts: [{ attempt: 1, status: undefined, detail: "ECONNREFUSED", nextDelayMs: undefined, durationMs: expect.any(Number) }] });
  });
});
