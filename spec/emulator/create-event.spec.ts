import { CactusEmulator } from "../../lib/emulator";

describe("POST /v2/events: creating an event in a running emulator", () => {
  let emulator: CactusEmulator;
  let auth: Record<string, string>;
  beforeAll(async () => {
    emulator = await CactusEmulator.start();
    auth = { authorization: `Bearer ${emulator.apiKey}`, "content-type": "application/json" };
  });
  afterAll(() => emulator.close());

  it("creates a known type from its fixture, stores it and tells listeners", async () => {
    const stored: string[] = [];
    emulator.onEventStored((event) => void stored.push(event.id));
    const response = await fetch(`${emulator.url}/v2/events`, { method: "POST", headers: auth, body: JSON.stringify({ type: "order.shipped", data: { shipping_service: "ups" } }) });
    expect(response.status).toBe(201);
    const thin = (await response.json()) as { id: string; type: string; related_object: { id: string; type: string } };
    expect(thin).toMatchObject({ type: "order.shipped", related_object: { id: "ord_456", type: "order" } });
    expect(stored).toContain(thin.id);
    const full = await fetch(`${emulator.url}/v2/events/${thin.id}`, { headers: auth });
    expect(await full.json()).toMatchObject({ id: thin.id, data: { shipping_service: "ups" } });
  });

  it("refuses data the SDK would refuse, naming the wire path, and stores nothing", async () => {
    const before = (await (await fetch(`${emulator.url}/v2/events?limit=100`, { headers: auth })).json()) as { data: unknown[] };
    const response = await fetch(`${emulator.url}/v2/events`, { method: "POST", headers: auth, body: JSON.stringify({ type: "order.delivery_attempted", data: { success: true, attempt_num: 0, delivery_location: "door" } }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error", issues: [expect.objectContaining({ path: "data.attempt_num" })] } });
    const after = (await (await fetch(`${emulator.url}/v2/events?limit=100`, { headers: auth })).json()) as { data: unknown[] };
    expect(after.data.length).toBe(before.data.length);
  });

  it("needs the API key, and a JSON body", async () => {
    expect((await fetch(`${emulator.url}/v2/events`, { method: "POST", body: "{}" })).status).toBe(401);
    expect((await fetch(`${emulator.url}/v2/events`, { method: "POST", headers: auth, body: "not json" })).status).toBe(400);
    expect((await fetch(`${emulator.url}/v2/events`, { method: "POST", headers: auth, body: "x".repeat(70_000) })).status).toBe(413);
  });
});
