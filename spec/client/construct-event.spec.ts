import { CactusClient, CactusParseError, CactusSignatureError, CactusValidationError, MovieCompletedEvent, MovieCompletedPushedEvent, UnknownPushedEvent } from "../../lib";
import { generateWebhookSecret, signWebhook } from "../../lib/webhooks";
import { CactusEmulator } from "../../lib/emulator";

describe("client.constructEvent", () => {
  let emulator: CactusEmulator;
  let client: CactusClient;
  const secret = generateWebhookSecret();

  beforeAll(async () => {
    emulator = await CactusEmulator.start();
    client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 });
  });
  afterAll(() => emulator.close());

  function delivery(body: string, id = (JSON.parse(body) as { id: string }).id, signWith = secret): { body: Buffer; headers: Record<string, string> } {
    return { body: Buffer.from(body), headers: { ...signWebhook({ id, body, webhookSecret: signWith }) } };
  }

  it("verifies, parses and binds the event to the client, without dispatching", async () => {
    const { body, headers } = delivery(JSON.stringify(emulator.thinEventOf("evt_movie_completed")));
    const event = client.constructEvent(body, headers, secret);
    expect(event).toBeInstanceOf(MovieCompletedPushedEvent);
    expect(event.id).toBe("evt_movie_completed");
    expect(await event.pull()).toBeInstanceOf(MovieCompletedEvent);
  });

  it("accepts a string body and Fetch API Headers, and an unknown type", () => {
    const text = JSON.stringify(emulator.thinEventOf("evt_order_refunded"));
    const { headers } = delivery(text);
    expect(client.constructEvent(text, new Headers(headers), secret)).toBeInstanceOf(UnknownPushedEvent);
  });

  it("accepts a delivery signed with the new secret during a rotation", () => {
    const next = generateWebhookSecret();
    const { body, headers } = delivery(JSON.stringify(emulator.thinEventOf("evt_order_lost")), undefined, next);
    expect(client.constructEvent(body, headers, [secret, next]).id).toBe("evt_order_lost");
  });

  it.each([
    ["a wrong secret", () => delivery('{"id":"evt_1","type":"order.lost"}', "evt_1", generateWebhookSecret()), "no_matching_signature"],
    ["a missing signature", () => ({ body: Buffer.from("{}"), headers: {} }), "missing_header"],
    ["a body edited after signing", () => ({ ...delivery('{"id":"evt_1","type":"order.lost"}'), body: Buffer.from('{"id":"evt_1","type":"order.lost" }') }), "no_matching_signature"],
    ["a webhook-id that is not the body's id", () => delivery('{"id":"evt_1","type":"order.lost"}', "evt_2"), "id_mismatch"],
  ])("rejects %s with CactusSignatureError", (_name, make, code) => {
    const { body, headers } = make();
    expect(() => client.constructEvent(body, headers, secret)).toThrow(expect.objectContaining({ constructor: CactusSignatureError, code }));
  });

  it("rejects a stale timestamp, and honours the tolerance option", () => {
    const body = '{"id":"evt_1","type":"order.lost"}';
    const headers = { ...signWebhook({ id: "evt_1", body, webhookSecret: secret, timestamp: new Date(Date.now() - 600_000) }) };
    expect(() => client.constructEvent(body, headers, secret)).toThrow(expect.objectContaining({ code: "timestamp_too_old" }));
    expect(client.constructEvent(body, headers, secret, { toleranceSeconds: 3_600 }).id).toBe("evt_1");
  });

  it("rejects a signed body that is not JSON with CactusParseError", () => {
    const { body, headers } = delivery("not json", "evt_1");
    expect(() => client.constructEvent(body, headers, secret)).toThrow(CactusParseError);
  });

  it("rejects a signed known type with a wrong shape with CactusValidationError", () => {
    const { body, headers } = delivery('{"id":"evt_1","type":"movie.completed","related_object":{"id":"mov_789","type":"movie"}}');
    expect(() => client.constructEvent(body, headers, secret)).not.toThrow(); // the thin event has no data to check
    const bad = delivery('{"id":"evt_2","type":"movie.completed","related_object":{"id":"ord_456","type":"order"}}');
    expect(() => client.constructEvent(bad.body, bad.headers, secret)).toThrow(CactusValidationError);
  });
});
