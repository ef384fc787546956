import { connect } from "node:net";
import { CactusEmulator } from "../../lib/emulator";
import { CactusConfigError } from "../../lib/errors";
import { DEFAULT_MAX_LOGGED_REQUESTS, RequestLog } from "../../lib/emulator/request-log";

/** Sends `request` on a raw TCP socket and resolves with everything the server wrote before closing. */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.setTimeout(5_000, () => socket.destroy(new Error("no answer within 5 s")));
  });
}

describe("CactusEmulator survives hostile requests", () => {
  let emulator: CactusEmulator;
  beforeAll(async () => {
    emulator = await CactusEmulator.start();
  });
  afterAll(() => emulator.close());

  async function stillServes(): Promise<void> {
    const response = await fetch(`${emulator.url}/v1/orders/ord_456`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  }

  it.each([
    ["a scheme-relative target with a bad host", "GET //[ HTTP/1.1"],
    ["an absolute target with a bad host", "GET http://[/v1/orders/ord_456 HTTP/1.1"],
    ["a bad port", "GET //host:99999999/ HTTP/1.1"],
  ])("answers 400 to %s, unauthenticated, and keeps serving", async (_name, line) => {
    const answer = await rawRequest(emulator.url, `${line}\r\nHost: ${new URL(emulator.url).host}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"invalid_request_error"');
    await stillServes();
  });

  it("answers requests that are not HTTP at all, and keeps serving", async () => {
    const answer = await rawRequest(emulator.url, "\u0000\u0001garbage\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    await stillServes();
  });

  it.each([0, 20])("answers 500 when writing the answer throws (latency %i ms), and keeps serving", async (latency) => {
    emulator.reset();
    emulator.setLatency(latency);
    emulator.failNext({ status: 503, retryAfter: "1\r\nx-injected: 1" }); // a header Node refuses to write
    const response = await fetch(`${emulator.url}/v1/orders/ord_456`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { type: "api_error", message: expect.any(String) } });
    emulator.reset();
    await stillServes();
  });

  it("logs a long path cut short", async () => {
    emulator.reset();
    const long = `/v1/orders/${"a".repeat(8_000)}`;
    await (await fetch(emulator.url + long)).arrayBuffer();
    expect(emulator.requests[0]?.path).toHaveLength(2048);
  });
});

describe("the request log is bounded", () => {
  it("keeps only the last maxLoggedRequests requests, oldest first", async () => {
    const emulator = await CactusEmulator.start({ maxLoggedRequests: 3 });
    try {
      for (let i = 1; i <= 5; i += 1) await (await fetch(`${emulator.url}/v2/events/evt_${i}`)).arrayBuffer();
      expect(emulator.requests.map((request) => request.path)).toEqual(["/v2/events/evt_3", "/v2/events/evt_4", "/v2/events/evt_5"]);
      emulator.reset();
      await (await fetch(`${emulator.url}/v2/events/evt_6`)).arrayBuffer();
      expect(emulator.requests.map((request) => request.path)).toEqual(["/v2/events/evt_6"]);
    } finally {
      await emulator.close();
    }
  });

  it("defaults to 1000 entries and wraps around in order", () => {
    const log = new RequestLog<number>();
    expect(DEFAULT_MAX_LOGGED_REQUESTS).toBe(1_000);
    for (let i = 0; i < 2_500; i += 1) log.push(i);
    const kept = log.toArray();
    expect(kept).toHaveLength(1_000);
    expect(kept[0]).toBe(1_500);
    expect(kept[999]).toBe(2_499);
    expect(kept.every((value, index) => index === 0 || value === (kept[index - 1] ?? 0) + 1)).toBe(true);
  });

  it("keeps nothing with 0 and rejects nonsense", () => {
    const log = new RequestLog<number>(0);
    log.push(1);
    expect(log.toArray()).toEqual([]);
    expect(() => new CactusEmulator({ maxLoggedRequests: -1 })).toThrow(CactusConfigError);
    expect(() => new CactusEmulator({ maxLoggedRequests: 1.5 })).toThrow(CactusConfigError);
  });
});
