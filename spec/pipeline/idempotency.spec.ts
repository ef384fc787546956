import { CactusEventInProgressError, CactusHandlerError, createFetchHandler, MemoryIdempotencyStore } from "../../lib";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { deferred, ScriptedHandler } from "./helpers";

function post(webhooks: (request: Request) => Promise<Response>, id: string): Promise<Response> {
  const { body, headers } = signedDelivery(shippedBody(id));
  return webhooks(new Request("http://example.test/webhooks", { method: "POST", headers, body }));
}

describe("idempotency through the receiver (MemoryIdempotencyStore)", () => {
  it("handle: the first delivery runs; a duplicate after success runs nothing and says duplicate", async () => {
    const handler = new ScriptedHandler({ idempotency: new MemoryIdempotencyStore() });
    await expect(handler.handle(shippedBody("evt_a"))).resolves.toMatchObject({ outcome: "handled", handledBy: "onOrderShipped" });
    await expect(handler.handle(shippedBody("evt_a"))).resolves.toMatchObject({ outcome: "duplicate", handledBy: "", handlers: [] });
    expect(handler.shipped).toBe(1);
  });

  it("handleWebhook: a duplicate while the first still runs is in_progress, and nothing runs twice", async () => {
    const handler = new ScriptedHandler({ webhookSecret: SECRET, idempotency: new MemoryIdempotencyStore() });
    const gate = deferred();
    handler.behaviour = () => gate.promise;
    const { body, headers } = signedDelivery(shippedBody("evt_b"));
    const first = handler.handleWebhook(body, headers);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(handler.handleWebhook(body, headers)).rejects.toBeInstanceOf(CactusEventInProgressError);
    gate.resolve();
    await expect(first).resolves.toMatchObject({ outcome: "handled" });
    expect(handler.shipped).toBe(1);
  });

  it("a failure releases the claim, so the redelivery runs the handler again", async () => {
    const handler = new ScriptedHandler({ idempotency: new MemoryIdempotencyStore() });
    handler.behaviour = async () => {
      throw new Error("db down");
    };
    await expect(handler.handle(shippedBody("evt_c"))).rejects.toBeInstanceOf(CactusHandlerError);
    handler.behaviour = async () => undefined;
    await expect(handler.handle(shippedBody("evt_c"))).resolves.toMatchObject({ outcome: "handled" });
    expect(handler.shipped).toBe(2);
  });

  it("the middleware answers 200, 200 duplicate, 409 in_progress with Retry-After, and 500 then 200 after a failure", async () => {
    const handler = new ScriptedHandler({ idempotency: new MemoryIdempotencyStore() });
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, onError: () => undefined });

    const first = await post(webhooks, "evt_d");
    expect(first.status).toBe(200);
    const duplicate = await post(webhooks, "evt_d");
    expect(duplicate.status).toBe(200);
    expect(await duplicate.json()).toEqual({ ok: true, id: "evt_d", handledBy: "", duplicate: true });

    const gate = deferred();
    handler.behaviour = () => gate.promise;
    const running = post(webhooks, "evt_e");
    await new Promise((resolve) => setTimeout(resolve, 10));
    const busy = await post(webhooks, "evt_e");
    expect(busy.status).toBe(409);
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await busy.json()).toMatchObject({ error: { type: "in_progress", eventId: "evt_e" } });
    gate.resolve();
    expect((await running).status).toBe(200);

    handler.behaviour = async () => {
      throw new Error("boom");
    };
    expect((await post(webhooks, "evt_f")).status).toBe(500);
    handler.behaviour = async () => undefined;
    expect((await post(webhooks, "evt_f")).status).toBe(200);
    expect(handler.shipped).toBe(4); // evt_d once, evt_e once, evt_f twice (the failure, then the redelivery)
  });
});

describe("MemoryIdempotencyStore", () => {
  it("stays bounded by maxEntries however many events arrive", async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) {
      const claim = await store.claim(`evt_${i}`, 60_000);
      if (claim.status === "claimed") await store.commit(`evt_${i}`, claim.token);
    }
    expect(store.size).toBeLessThanOrEqual(100);
    expect((await store.claim("evt_999", 60_000)).status).toBe("duplicate");
  });

  it("forgets a done event after doneTtlMs, and a dead process's lease after leaseMs", async () => {
    let now = 1_000;
    const store = new MemoryIdempotencyStore({ doneTtlMs: 500, now: () => now });
    const claim = await store.claim("evt_1", 100);
    if (claim.status !== "claimed") throw new Error("expected a claim");
    expect(await store.claim("evt_1", 100)).toMatchObject({ status: "in_progress", retryAfterMs: 100 });
    now += 101; // the holder died: its lease expired
    const retaken = await store.claim("evt_1", 100);
    expect(retaken.status).toBe("claimed");
    await store.commit("evt_1", claim.token); // the dead holder's token no longer counts
    expect((await store.claim("evt_1", 100)).status).toBe("in_progress");
    if (retaken.status === "claimed") await store.commit("evt_1", retaken.token);
    expect((await store.claim("evt_1", 100)).status).toBe("duplicate");
    now += 501;
    expect((await store.claim("evt_1", 100)).status).toBe("claimed");
  });

  it("never evicts a live lease to make room", async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 2 });
    await store.claim("evt_running", 60_000);
    for (let i = 0; i < 10; i++) {
      const claim = await store.claim(`evt_${i}`, 60_000);
      if (claim.status === "claimed") await store.commit(`evt_${i}`, claim.token);
    }
    expect((await store.claim("evt_running", 60_000)).status).toBe("in_progress");
  });

  it("rejects a bad bound at construction", () => {
    expect(() => new MemoryIdempotencyStore({ maxEntries: 0 })).toThrow(/maxEntries must be a number > 0/);
  });
});
