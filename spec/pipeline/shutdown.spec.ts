import { CactusShuttingDownError, createFetchHandler } from "../../lib";
import { closeAll } from "../../lib/handler";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { deferred, ScriptedHandler } from "./helpers";

describe("graceful shutdown of a receiver", () => {
  it("close() refuses new events (503 shutting_down) and waits for the running one to finish", async () => {
    const handler = new ScriptedHandler();
    const gate = deferred();
    handler.behaviour = () => gate.promise;
    const running = handler.handle(shippedBody("evt_running"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(handler.inFlight).toBe(1);

    let closed = false;
    const closing = handler.close({ timeoutMs: 5_000 }).then((result) => {
      closed = true;
      return result;
    });
    await expect(handler.handle(shippedBody("evt_new"))).rejects.toBeInstanceOf(CactusShuttingDownError);
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, onError: () => undefined });
    const { body, headers } = signedDelivery(shippedBody("evt_http"));
    const refused = await webhooks(new Request("http://example.test/webhooks", { method: "POST", headers, body }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect(await refused.json()).toMatchObject({ error: { type: "shutting_down" } });

    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false); // still waiting for evt_running
    gate.resolve();
    await expect(running).resolves.toMatchObject({ outcome: "handled" });
    await expect(closing).resolves.toEqual({ unfinished: 0 });
    expect(handler.shipped).toBe(1);
  });

  it("close() gives up at the deadline and says how many were unfinished", async () => {
    const handler = new ScriptedHandler();
    handler.behaviour = () => new Promise<void>(() => undefined);
    void handler.handle(shippedBody("evt_stuck")).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(handler.close({ timeoutMs: 30 })).resolves.toEqual({ unfinished: 1 });
  });

  it("closeAll closes every part in order, even when one throws", async () => {
    const order: string[] = [];
    const errors = await closeAll([
      { close: async () => void order.push("receiver") },
      { close: async () => { order.push("broken"); throw new Error("no"); } },
      { close: async () => void order.push("server") },
    ]);
    expect(order).toEqual(["receiver", "broken", "server"]);
    expect(errors).toHaveLength(1);
  });
});
