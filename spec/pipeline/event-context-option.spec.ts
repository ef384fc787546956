// The event context is opt-in: AsyncLocalStorage turns on async hooks for the whole process on
// Node 20, so receivers run deliveries in it only with eventContext: true (or instrumentation).
import {
  CactusClient,
  CactusConfigError,
  CactusHandler,
  CactusRouter,
  getEventContext,
  On,
  type BaseThinEvent,
  type CactusEventContext,
  type CactusReceiverOptions,
  type OrderShippedPushedEvent,
} from "../../lib";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";

class ContextHandler extends CactusHandler {
  readonly seen: (CactusEventContext | undefined)[] = [];

  constructor(options: CactusReceiverOptions = {}) {
    super(new CactusClient({ apiKey: "sk_test_context", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options);
  }

  override async onOther(_event: BaseThinEvent): Promise<void> {
    await Promise.resolve();
    this.seen.push(getEventContext());
  }
}

describe("eventContext option", () => {
  // First in this file: no receiver here has turned the context on yet.
  it("off by default: getEventContext() is undefined, with one process warning saying how to turn it on", async () => {
    const emit = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      const handler = new ContextHandler();
      await handler.handle(shippedBody("evt_off_1"));
      await handler.handle(shippedBody("evt_off_2"));
      expect(handler.seen).toEqual([undefined, undefined]);
      expect(emit).toHaveBeenCalledTimes(1);
      expect(emit.mock.calls[0]?.[0]).toContain("eventContext: true");
      expect(emit.mock.calls[0]?.[1]).toEqual({ code: "CACTUS_EVENT_CONTEXT_OFF" });
    } finally {
      emit.mockRestore();
    }
  });

  it("eventContext: true: the context is there after an await, for each delivery its own", async () => {
    const handler = new ContextHandler({ eventContext: true });
    await Promise.all([handler.handle(shippedBody("evt_on_1")), handler.handle(shippedBody("evt_on_2"))]);
    expect(handler.seen.map((context) => context?.eventId).sort()).toEqual(["evt_on_1", "evt_on_2"]);
  });

  it("on by default with instrumentation (tracing needs the delivery as parent), and off when said so", async () => {
    const traced = new ContextHandler({ instrumentation: {} });
    await traced.handle(shippedBody("evt_traced"));
    expect(traced.seen[0]?.eventId).toBe("evt_traced");
    const explicit = new ContextHandler({ instrumentation: {}, eventContext: false });
    await explicit.handle(shippedBody("evt_explicit"));
    expect(explicit.seen).toEqual([undefined]);
  });

  it("refuses a value that is not a boolean, naming the option", () => {
    expect(() => new ContextHandler({ eventContext: "yes" as unknown as boolean })).toThrow(CactusConfigError);
    expect(() => new ContextHandler({ eventContext: "yes" as unknown as boolean })).toThrow(/eventContext must be true or false/);
  });
});

describe("when handlers start", () => {
  it("never inside the caller's own call to handle(): on a later tick, after the claim", async () => {
    let started = false;
    class Flag extends ContextHandler {
      override async onOther(): Promise<void> {
        started = true;
      }
    }
    const pending = new Flag().handle(shippedBody("evt_tick"));
    expect(started).toBe(false);
    await pending;
    expect(started).toBe(true);
  });
});

describe("the context as every handler's second argument (no option needed)", () => {
  it("a CactusHandler method, a router function and an @On method each get the event's context", async () => {
    const seen: CactusEventContext[] = [];
    class Methods extends ContextHandler {
      override async onOrderShipped(_event: OrderShippedPushedEvent, context?: CactusEventContext): Promise<void> {
        if (context) seen.push(context);
      }
    }
    const { body, headers } = signedDelivery(shippedBody("evt_arg_1"));
    await new Methods({ webhookSecret: SECRET }).handleWebhook(body, { ...headers, "x-correlation-id": "flow-7" });

    const client = new CactusClient({ apiKey: "sk_test_context", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
    class Decorated {
      @On("order.shipped")
      async shipped(_event: OrderShippedPushedEvent, context: CactusEventContext): Promise<void> {
        seen.push(context);
      }
    }
    const router = new CactusRouter(client).on("order.*", (_event, context) => void seen.push(context)).register(new Decorated());
    await router.receive(JSON.parse(shippedBody("evt_arg_2")) as object, { deliveryId: "evt_arg_2", attempt: 3 });

    expect(seen.map(({ eventId, eventType, deliveryId, attempt, correlationId }) => ({ eventId, eventType, deliveryId, attempt, correlationId }))).toEqual([
      { eventId: "evt_arg_1", eventType: "order.shipped", deliveryId: "evt_arg_1", attempt: 1, correlationId: "flow-7" },
      { eventId: "evt_arg_2", eventType: "order.shipped", deliveryId: "evt_arg_2", attempt: 3, correlationId: "evt_arg_2" },
      { eventId: "evt_arg_2", eventType: "order.shipped", deliveryId: "evt_arg_2", attempt: 3, correlationId: "evt_arg_2" },
    ]);
    expect(typeof seen[0]?.logger.info).toBe("function");
    // One context per delivery, shared by the handlers of that delivery.
    expect(seen[1]).toBe(seen[2]);
  });
});
