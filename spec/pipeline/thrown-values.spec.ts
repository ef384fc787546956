import { CactusHandlerError, CactusHandlersError, CactusRouter, createFetchHandler } from "../../lib";
import { describeThrown } from "../../lib/errors";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { offlineClient, ScriptedHandler } from "./helpers";

// Values whose description throws: a handler may throw anything, and describing it must not
// replace the handler's failure (with its event id) by a raw TypeError.
function hostileValues(): [string, () => unknown][] {
  return [
    ["Object.create(null)", () => Object.create(null)],
    ["an object whose toString throws", () => ({ toString: () => { throw new Error("no"); } })],
    ["a revoked Proxy", () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; }],
    ["an Error whose message getter throws", () => Object.defineProperty(new Error("x"), "message", { get: () => { throw new Error("no"); } })],
  ];
}

describe("a handler that throws a value whose description throws", () => {
  it.each(hostileValues())("CactusHandler: %s rejects as CactusHandlerError with the event id", async (_name, make) => {
    const handler = new ScriptedHandler();
    handler.behaviour = async () => {
      throw make();
    };
    const failure = handler.handle(shippedBody("evt_hostile"));
    await expect(failure).rejects.toBeInstanceOf(CactusHandlerError);
    await expect(failure).rejects.toMatchObject({ eventId: "evt_hostile", eventType: "order.shipped" });
    expect(typeof describeThrown(make())).toBe("string");
  });

  it.each(hostileValues())("CactusRouter: %s is collected with every other failure", async (_name, make) => {
    const router = new CactusRouter(offlineClient())
      .on("order.shipped", () => {
        throw make();
      })
      .on("order.*", () => {
        throw new Error("second");
      });
    const failure = router.handle(shippedBody("evt_router"));
    await expect(failure).rejects.toBeInstanceOf(CactusHandlersError);
    await expect(failure).rejects.toMatchObject({ eventId: "evt_router", handlerCount: 2 });
    await failure.catch((error: unknown) => {
      expect(error instanceof CactusHandlersError && error.failures.length).toBe(2);
    });
  });

  it.each(hostileValues())("the middleware answers 500 handler_failed for %s", async (_name, make) => {
    const handler = new ScriptedHandler();
    handler.behaviour = async () => {
      throw make();
    };
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET, onError: () => undefined });
    const { body, headers } = signedDelivery(shippedBody("evt_mw"));
    const response = await webhooks(new Request("http://example.test/webhooks", { method: "POST", headers, body }));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { type: "handler_failed", eventId: "evt_mw" } });
  });
});
