import { CactusHandlerError, CactusHandlerTimeoutError, createFetchHandler, MemoryIdempotencyStore } from "../../lib";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { deferred, ScriptedHandler } from "./helpers";

function request(id = "evt_1"): Request {
  const { body, headers } = signedDelivery(shippedBody(id));
  return new Request("http://example.test/webhooks", { method: "POST", headers, body });
}

describe("handlerTimeoutMs: a handler that never resolves does not hold the delivery", () => {
  it("the middleware answers 503 handler_timeout with Retry-After once the limit passes", async () => {
    const handler = new ScriptedHandler();
    handler.behaviour = () => new Promise<void>(() => undefined); // never settles
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, handlerTimeoutMs: 50, onError: () => undefined });
    const response = await webhooks(request());
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ error: { type: "handler_timeout", eventId: "evt_1" } });
  });

  it("the handler keeps running: its later failure is reported through onError, not lost", async () => {
    const handler = new ScriptedHandler();
    const gate = deferred();
    handler.behaviour = () => gate.promise;
    const reported: { error: unknown; status: number }[] = [];
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, handlerTimeoutMs: 30, onError: (error, status) => reported.push({ error, status }) });
    expect((await webhooks(request("evt_late"))).status).toBe(503);
    gate.reject(new Error("failed after the answer"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const late = reported.find((entry) => entry.error instanceof CactusHandlerError && !(entry.error instanceof CactusHandlerTimeoutError));
    expect(late?.status).toBe(500);
    expect(late?.error).toMatchObject({ eventId: "evt_late", cause: new Error("failed after the answer") });
  });

  it("its claim stays held while it runs (409), and a late success counts (the redelivery is a duplicate)", async () => {
    const handler = new ScriptedHandler({ idempotency: new MemoryIdempotencyStore() });
    const gate = deferred();
    handler.behaviour = () => gate.promise;
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, handlerTimeoutMs: 30, onError: () => undefined });
    expect((await webhooks(request("evt_slow"))).status).toBe(503);
    expect((await webhooks(request("evt_slow"))).status).toBe(409);
    gate.resolve();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const redelivery = await webhooks(request("evt_slow"));
    expect(redelivery.status).toBe(200);
    expect(await redelivery.json()).toMatchObject({ duplicate: true });
    expect(handler.shipped).toBe(1);
  });

  it("handleWebhook rejects with CactusHandlerTimeoutError after the receiver's handlerTimeoutMs", async () => {
    const handler = new ScriptedHandler({ webhookSecret: SECRET, handlerTimeoutMs: 30, onError: () => undefined });
    handler.behaviour = () => new Promise<void>(() => undefined);
    const { body, headers } = signedDelivery();
    await expect(handler.handleWebhook(body, headers)).rejects.toMatchObject({ code: "handler_timeout", timeoutMs: 30, eventId: "evt_1" });
  });

  it("a bad handlerTimeoutMs fails at configuration time", () => {
    expect(() => createFetchHandler(new ScriptedHandler(), { webhookSecret: SECRET, handlerTimeoutMs: -1 })).toThrow(/handlerTimeoutMs must be an integer > 0/);
  });
});
