import { CactusClient } from "../../lib";
import { type ApiCallStart, type CactusInstrumentation } from "../../lib/observability";
import { CactusEmulator } from "../../lib/emulator";

describe("CactusClient instrumentation option", () => {
  let emulator: CactusEmulator;
  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());

  it("sees every API attempt made outside a handler, retries included, by route template", async () => {
    const seen: { call: ApiCallStart; status: string }[] = [];
    const instrumentation: CactusInstrumentation = {
      startApiCall: (call) => ({ end: ({ status }) => void seen.push({ call, status }) }),
    };
    const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 1, instrumentation });
    emulator.failNext({ status: 503 });
    await client.retrieveOrder("ord_456");
    expect(seen.map(({ call, status }) => [call.endpoint, call.attempt, status])).toEqual([
      ["/v1/orders/{id}", 1, "503"],
      ["/v1/orders/{id}", 2, "200"],
    ]);
  });
});
