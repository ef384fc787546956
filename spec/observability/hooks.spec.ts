import { CactusClient, CactusHandler, createFetchHandler, type BaseThinEvent, type OrderShippedPushedEvent } from "../../lib";
import { combineInstrumentation, endpointTemplate, type ApiCallStart, type CactusInstrumentation, type DeliveryEnd, type DeliveryStart } from "../../lib/observability";
import { HttpTransport } from "../../lib/client/transport";
import { startEmulatorWithClient } from "../helpers/emulator";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { RecordingLogger } from "./helpers/recording-logger";

const offline = (): CactusClient => new CactusClient({ apiKey: "sk_test_hooks", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });

/** Records every hook call as a line. */
function recorder(lines: string[], tag = ""): CactusInstrumentation {
  return {
    startDelivery(start: DeliveryStart) {
      lines.push(`${tag}start ${start.transport} ${start.deliveryId ?? "-"}`);
      return {
        identify: (event) => lines.push(`${tag}identify ${event.eventId} ${event.typeLabel}`),
        phase: <T>(phase: string, run: () => T): T => {
          lines.push(`${tag}phase ${phase}`);
          return run();
        },
        end: (end: DeliveryEnd) => lines.push(`${tag}end ${end.outcome} ${end.typeLabel}`),
      };
    },
    startApiCall(call: ApiCallStart, delivery) {
      lines.push(`${tag}api ${call.endpoint} #${call.attempt}${delivery === undefined ? "" : " (in delivery)"}`);
      return { end: (end) => lines.push(`${tag}api end ${end.status}`) };
    },
  };
}

class Handler extends CactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    await event.pull();
  }
  override async onOther(_event: BaseThinEvent): Promise<void> {}
}

describe("instrumentation hooks", () => {
  it("see one delivery through the middleware once: start, verify, parse, handler, the handler's API attempts, end", async () => {
    const { emulator, client } = await startEmulatorWithClient({ maxRetries: 1 });
    try {
      const lines: string[] = [];
      const handler = new Handler(client, { instrumentation: recorder(lines) });
      const webhooks = createFetchHandler(handler, { webhookSecret: SECRET });
      emulator.failNext({ status: 429, retryAfter: "0" });
      const body = JSON.stringify(emulator.thinEventOf("evt_order_shipped"));
      const { headers } = signedDelivery(body, { id: "evt_order_shipped" });
      expect((await webhooks(new Request("http://x.test/webhooks", { method: "POST", headers, body }))).status).toBe(200);
      expect(lines).toEqual([
        "start http evt_order_shipped",
        "phase verify",
        "phase parse",
        "identify evt_order_shipped order.shipped",
        "phase handler",
        "api /v2/events/{id} #1 (in delivery)",
        "api end 429",
        "api /v2/events/{id} #2 (in delivery)",
        "api end 200",
        "end handled order.shipped",
      ]);
    } finally {
      await emulator.close();
    }
  });

  it("several instrumentations each see everything, the first one outermost", async () => {
    const lines: string[] = [];
    const both = combineInstrumentation([recorder(lines, "a:"), recorder(lines, "b:")]);
    await new Handler(offline(), { instrumentation: both! }).handle(JSON.stringify({ id: "evt_1", type: "order.lost" }));
    expect(lines).toEqual([
      "a:start direct -",
      "b:start direct -",
      "a:phase parse",
      "b:phase parse",
      "a:identify evt_1 order.lost",
      "b:identify evt_1 order.lost",
      "a:phase handler",
      "b:phase handler",
      "a:end handled order.lost",
      "b:end handled order.lost",
    ]);
  });

  it("a hook that throws changes no outcome", async () => {
    const broken: CactusInstrumentation = {
      startDelivery: () => ({
        identify: () => {
          throw new Error("hook bug");
        },
        end: () => {
          throw new Error("hook bug");
        },
      }),
    };
    await expect(new Handler(offline(), { instrumentation: broken }).handle(JSON.stringify({ id: "evt_1", type: "order.lost" }))).resolves.toMatchObject({ outcome: "handled" });
    const throwsAtStart: CactusInstrumentation = {
      startDelivery: () => {
        throw new Error("hook bug");
      },
    };
    await expect(new Handler(offline(), { instrumentation: throwsAtStart }).handle(JSON.stringify({ id: "evt_2", type: "order.lost" }))).resolves.toMatchObject({ outcome: "handled" });
  });

  it("a transport given its own instrumentation observes every attempt outside any delivery", async () => {
    const { emulator } = await startEmulatorWithClient();
    try {
      const lines: string[] = [];
      const transport = new HttpTransport({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 2, timeoutMs: 5000, retryBaseDelayMs: 0, instrumentation: recorder(lines) });
      emulator.failNext({ status: 503, times: 2 });
      await transport.getJson("/v1/orders/ord_456");
      await expect(transport.getJson("/v1/orders/ord_nope")).rejects.toThrow();
      expect(lines).toEqual([
        "api /v1/orders/{id} #1",
        "api end 503",
        "api /v1/orders/{id} #2",
        "api end 503",
        "api /v1/orders/{id} #3",
        "api end 200",
        "api /v1/orders/{id} #1",
        "api end 404",
      ]);
    } finally {
      await emulator.close();
    }
  });

  it("endpoint labels are route templates, never raw paths", () => {
    expect(endpointTemplate("/v2/events/evt_123")).toBe("/v2/events/{id}");
    expect(endpointTemplate("/v1/orders/ord%2F1")).toBe("/v1/orders/{id}");
    expect(endpointTemplate("/v1/movies/mov_1?expand=x")).toBe("/v1/movies/{id}");
    expect(endpointTemplate("/v2/events?type=order.shipped&limit=5")).toBe("/v2/events");
    expect(endpointTemplate("/v9/secret/stuff")).toBe("other");
  });
});

describe("misspelled handler methods", () => {
  afterEach(() => jest.restoreAllMocks());

  it("warns once per class, through console.warn by default, naming the method", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    class Misspelled extends CactusHandler {
      async onOrderShiped(_event: OrderShippedPushedEvent): Promise<void> {}
      override async onOther(_event: BaseThinEvent): Promise<void> {}
    }
    const handler = new Misspelled(offline());
    await handler.handle(shippedBody("evt_1"));
    await handler.handle(shippedBody("evt_2"));
    await new Misspelled(offline()).handle(shippedBody("evt_3"));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain("Misspelled defines onOrderShiped, which matches no event type");
  });

  it("warns about a class whose first event follows another handler's event of the same type", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    class Correct extends CactusHandler {
      override async onOrderShipped(_event: OrderShippedPushedEvent): Promise<void> {}
      override async onOther(_event: BaseThinEvent): Promise<void> {}
    }
    class LateTypo extends CactusHandler {
      async onOrderShiped(_event: OrderShippedPushedEvent): Promise<void> {}
      override async onOther(_event: BaseThinEvent): Promise<void> {}
    }
    await new Correct(offline()).handle(shippedBody("evt_1"));
    expect(warn).not.toHaveBeenCalled();
    await new LateTypo(offline()).handle(shippedBody("evt_2"));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain("LateTypo defines onOrderShiped");
  });

  it("goes through the logger when one is given, and says nothing about correct handlers", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const logger = new RecordingLogger();
    class Typo extends CactusHandler {
      onMovieComplete = async (): Promise<void> => undefined;
      override async onOther(_event: BaseThinEvent): Promise<void> {}
    }
    await new Typo(offline(), { logger }).handle(shippedBody());
    expect(logger.lines.filter((line) => line.level === "warn")).toEqual([
      { level: "warn", message: expect.stringContaining("Typo defines onMovieComplete"), fields: { handlerClass: "Typo", methods: ["onMovieComplete"] } },
    ]);
    await new Handler(offline()).handle(JSON.stringify({ id: "evt_1", type: "order.lost" }));
    expect(warn).not.toHaveBeenCalled();
  });
});
