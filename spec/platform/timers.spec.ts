// Timers as browsers, Deno and Cloudflare Workers have them: setTimeout returns a number, with no
// ref()/unref(); and a runtime whose setTimeout throws. Every delivery must still be answered.
import { createFetchHandler } from "../../lib";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { ScriptedHandler } from "../pipeline/helpers";

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

function request(id: string): Request {
  const { body, headers } = signedDelivery(shippedBody(id));
  return new Request("http://example.test/webhooks", { method: "POST", headers, body });
}

/** setTimeout/clearTimeout that hand out numbers (the real timers run behind them). */
function numericTimers(): { armed: () => number; restore: () => void } {
  const timers = new Map<number, ReturnType<typeof realSetTimeout>>();
  let next = 0;
  const fakeSet = (callback: () => void, ms?: number): number => {
    next += 1;
    const id = next;
    timers.set(
      id,
      realSetTimeout(() => {
        timers.delete(id);
        callback();
      }, ms),
    );
    return id;
  };
  const fakeClear = (id: unknown): void => {
    if (typeof id !== "number") return;
    const timer = timers.get(id);
    if (timer !== undefined) realClearTimeout(timer);
    timers.delete(id);
  };
  Reflect.set(globalThis, "setTimeout", fakeSet);
  Reflect.set(globalThis, "clearTimeout", fakeClear);
  return {
    armed: () => next,
    restore: () => {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
      for (const timer of timers.values()) realClearTimeout(timer);
    },
  };
}

describe("deadlines on runtimes whose setTimeout returns a number", () => {
  // Each test uses its own handlerTimeoutMs: deadlines of one length share a timer across tests.
  it("a delivery that finishes in time: 200, the first and the following ones", async () => {
    const timers = numericTimers();
    try {
      const handler = new ScriptedHandler();
      const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, handlerTimeoutMs: 4_711, onError: () => undefined });
      expect((await webhooks(request("evt_n1"))).status).toBe(200);
      expect((await webhooks(request("evt_n2"))).status).toBe(200);
      expect(handler.shipped).toBe(2);
      expect(timers.armed()).toBeGreaterThan(0); // the fake timers were the ones used
    } finally {
      timers.restore();
    }
  });

  it("a handler past its limit: 503 handler_timeout, from a timer that is a number", async () => {
    const timers = numericTimers();
    try {
      const handler = new ScriptedHandler();
      handler.behaviour = () => new Promise<void>(() => undefined);
      const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, handlerTimeoutMs: 41, onError: () => undefined });
      const response = await webhooks(request("evt_n3"));
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { type: "handler_timeout", eventId: "evt_n3" } });
    } finally {
      timers.restore();
    }
  });
});

describe("a deadline that cannot be armed", () => {
  it("still settles the answer (200 once the handler finishes), with one warning", async () => {
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    // The body read keeps its timer; only the handler deadline's setTimeout throws.
    const throwing = (callback: () => void, ms?: number): ReturnType<typeof realSetTimeout> => {
      if (ms === 4_243) throw new TypeError("timers are not available here");
      return realSetTimeout(callback, ms);
    };
    Reflect.set(globalThis, "setTimeout", throwing);
    try {
      const handler = new ScriptedHandler();
      const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, handlerTimeoutMs: 4_243, onError: () => undefined });
      expect((await webhooks(request("evt_u1"))).status).toBe(200);
      expect((await webhooks(request("evt_u2"))).status).toBe(200);
      expect(handler.shipped).toBe(2);
      const unarmed = warnings.mock.calls.filter(([, options]) => JSON.stringify(options).includes("CACTUS_DEADLINE_UNARMED"));
      expect(unarmed).toHaveLength(1);
      expect(String(unarmed[0]?.[0])).toContain("timers are not available here");
    } finally {
      globalThis.setTimeout = realSetTimeout;
      warnings.mockRestore();
    }
  });
});
