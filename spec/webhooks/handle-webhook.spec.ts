import {
  CactusConfigError,
  CactusHandlerError,
  CactusParseError,
  CactusRouter,
  CactusSignatureError,
  CactusValidationError,
} from "../../lib";
import { findJsonHazard } from "../../lib/events/json-hazards";
import { RecordingHandler } from "./helpers/recording-handler";
import { OTHER_SECRET, SECRET, shippedBody, signedDelivery } from "./helpers/fixtures";

describe("handler.handleWebhook(rawBody, headers)", () => {
  it("verifies, then dispatches exactly one method", async () => {
    const handler = new RecordingHandler({ webhookSecret: SECRET });
    const { body, headers } = signedDelivery();
    const result = await handler.handleWebhook(body, headers);
    expect(result.handledBy).toBe("onOrderShipped");
    expect(handler.calls).toEqual([{ method: "onOrderShipped", id: "evt_1", type: "order.shipped" }]);
  });

  it("works for CactusRouter too", async () => {
    const router = new CactusRouter({ apiKey: "sk_test_x", baseUrl: "http://127.0.0.1:9" }, { webhookSecret: [OTHER_SECRET, SECRET] });
    const seen: string[] = [];
    router.on("order.shipped", async (event) => {
      seen.push(event.relatedObject.id);
    });
    const { body, headers } = signedDelivery();
    await router.handleWebhook(Buffer.from(body), headers);
    expect(seen).toEqual(["ord_456"]);
  });

  it("rejects a bad signature and dispatches nothing", async () => {
    const handler = new RecordingHandler({ webhookSecret: SECRET });
    const { body, headers } = signedDelivery(shippedBody(), { secret: OTHER_SECRET });
    await expect(handler.handleWebhook(body, headers)).rejects.toMatchObject({ code: "no_matching_signature" });
    expect(handler.calls).toEqual([]);
  });

  it("requires the webhook-id header to equal the body's id", async () => {
    const handler = new RecordingHandler({ webhookSecret: SECRET });
    const { body, headers } = signedDelivery(shippedBody("evt_body"), { id: "evt_header" });
    const error: unknown = await handler.handleWebhook(body, headers).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CactusSignatureError);
    expect(error).toMatchObject({ code: "id_mismatch" });
    expect(handler.calls).toEqual([]);
  });

  it("rejects a body without an id as a validation error", async () => {
    const handler = new RecordingHandler({ webhookSecret: SECRET });
    const { body, headers } = signedDelivery('{"type":"order.lost"}', { id: "evt_1" });
    await expect(handler.handleWebhook(body, headers)).rejects.toBeInstanceOf(CactusValidationError);
  });

  it("rejects duplicate keys and deep nesting in a signed body, before any handler", async () => {
    const handler = new RecordingHandler({ webhookSecret: SECRET });
    const duplicate = '{"id":"evt_1","type":"order.lost","type":"order.shipped","related_object":{"id":"ord_456","type":"order"}}';
    const deep = `{"id":"evt_1","type":"x.y","n":${"[".repeat(100)}${"]".repeat(100)}}`;
    for (const body of [duplicate, deep]) {
      const delivery = signedDelivery(body, { id: "evt_1" });
      await expect(handler.handleWebhook(delivery.body, delivery.headers)).rejects.toBeInstanceOf(CactusParseError);
    }
    expect(handler.calls).toEqual([]);
  });

  it("wraps a throwing method in CactusHandlerError", async () => {
    const handler = new RecordingHandler({ webhookSecret: SECRET });
    handler.failWith = new Error("database down");
    const { body, headers } = signedDelivery();
    await expect(handler.handleWebhook(body, headers)).rejects.toBeInstanceOf(CactusHandlerError);
  });

  it("checks the secret at construction, and needs one for handleWebhook", async () => {
    expect(() => new RecordingHandler({ webhookSecret: "sk_test_oops" })).toThrow(CactusSignatureError);
    expect(() => new RecordingHandler({ webhookSecret: SECRET, toleranceSeconds: -1 })).toThrow(CactusConfigError);
    const { body, headers } = signedDelivery();
    await expect(new RecordingHandler().handleWebhook(body, headers)).rejects.toBeInstanceOf(CactusConfigError);
  });
});

describe("findJsonHazard", () => {
  it("finds duplicate keys in any object, including escaped spellings", () => {
    expect(findJsonHazard('{"a":1,"b":{"c":1,"c":2}}', 64)).toContain('"c"');
    expect(findJsonHazard('{"a":1,"\\u0061":2}', 64)).toContain('"a"');
    expect(findJsonHazard('{"a":{"a":1},"b":[{"a":1},{"a":2}]}', 64)).toBeUndefined();
    expect(findJsonHazard('{"a":"{\\"a\\":1,\\"a\\":2}"}', 64)).toBeUndefined();
    expect(findJsonHazard('{"__proto__":1,"__proto__":2}', 64)).toContain("__proto__");
  });

  it("finds nesting past the limit", () => {
    expect(findJsonHazard(`${"[".repeat(65)}${"]".repeat(65)}`, 64)).toContain("deeper");
    expect(findJsonHazard(`${"[".repeat(64)}${"]".repeat(64)}`, 64)).toBeUndefined();
  });
});
