import { createFetchHandler } from "../../lib";
import { SECRET, shippedBody, signedDelivery } from "../webhooks/helpers/fixtures";
import { ScriptedHandler } from "./helpers";

// The raw bytes are decoded and JSON-parsed once per delivery, whichever entry point runs.
describe("one parse per delivery", () => {
  let parse: jest.SpyInstance;
  beforeEach(() => {
    parse = jest.spyOn(JSON, "parse");
  });
  afterEach(() => parse.mockRestore());

  it("handle(string): one JSON.parse", async () => {
    const handler = new ScriptedHandler();
    parse.mockClear();
    await handler.handle(shippedBody());
    expect(parse).toHaveBeenCalledTimes(1);
    expect(handler.shipped).toBe(1);
  });

  it("handleWebhook(raw bytes, headers): one JSON.parse for verify + parse + dispatch", async () => {
    const handler = new ScriptedHandler({ webhookSecret: SECRET });
    const { body, headers } = signedDelivery();
    parse.mockClear();
    await handler.handleWebhook(Buffer.from(body), headers);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(handler.shipped).toBe(1);
  });

  it("the Fetch handler: one JSON.parse per request", async () => {
    const handler = new ScriptedHandler();
    const webhooks = createFetchHandler(handler, { webhookSecret: SECRET });
    const { body, headers } = signedDelivery();
    const request = new Request("http://example.test/webhooks", { method: "POST", headers, body });
    parse.mockClear();
    const response = await webhooks(request);
    expect(response.status).toBe(200);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it("handle(object) of an already-parsed body: no JSON.parse at all", async () => {
    const handler = new ScriptedHandler();
    const plain = { id: "evt_1", type: "order.shipped", related_object: { id: "ord_456", type: "order" } };
    parse.mockClear();
    await handler.handle(plain);
    expect(parse).not.toHaveBeenCalled();
  });
});

describe("an event the SDK already parsed", () => {
  it("can be handed to a receiver again (listEvents, constructEvent, test factories)", async () => {
    const handler = new ScriptedHandler();
    const event = handler.client.parseEventV2(shippedBody("evt_again"));
    await expect(handler.handle(event)).resolves.toMatchObject({ handledBy: "onOrderShipped" });
    expect(handler.shipped).toBe(1);
  });
});

describe("a receiver written before receive() existed", () => {
  it("is still accepted by the middleware: its handle(body) runs on the verified body", async () => {
    const client = new ScriptedHandler().client;
    const seen: string[] = [];
    const legacy = {
      async handle(body: object | string | Uint8Array) {
        const event = client.parseEventV2(body);
        seen.push(event.id);
        return { event, handledBy: "legacy" };
      },
    };
    const webhooks = createFetchHandler(legacy, { webhookSecret: SECRET });
    const { body, headers } = signedDelivery(shippedBody("evt_legacy"));
    const response = await webhooks(new Request("http://example.test/webhooks", { method: "POST", headers, body }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, id: "evt_legacy", handledBy: "legacy" });
    expect(seen).toEqual(["evt_legacy"]);
  });
});
