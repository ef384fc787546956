// "Fail next" rehearses an outage of the API your handler calls: the CLI's own requests to the
// emulator (creating an event, looking up the fixture) are neither failed nor use the failure up.
import { runCli } from "../../lib/cli/main";
import { CactusEmulator } from "../../lib/emulator";
import { SECRET } from "../webhooks/helpers/fixtures";
import { listen } from "../webhooks/helpers/server";
import { capture } from "../cli/capture";

describe("cactus trigger --api-url while Fail next is set", () => {
  let emulator: CactusEmulator;
  beforeAll(async () => {
    emulator = await CactusEmulator.start({ port: 0 });
  });
  afterAll(() => emulator.close());

  const orderStatus = async () => (await fetch(`${emulator.url}/v1/orders/ord_456`, { headers: { authorization: `Bearer ${emulator.apiKey}` } })).status;

  it("creates the event (it does not call the emulator 'not a cactus emulator'), and the failure stays for the handler", async () => {
    emulator.failNext({ status: 503, times: 1 });
    emulator.dropNext(1);
    const run = capture();
    expect(await runCli(["trigger", "order.shipped", "--api-url", emulator.url, "--json"], run.io)).toBe(0);
    expect(run.err.join("\n")).not.toMatch(/cactus emulator/);
    // The drop and the 503 are still pending, for the next API request of a handler.
    await expect(fetch(`${emulator.url}/v1/orders/ord_456`, { headers: { authorization: `Bearer ${emulator.apiKey}` } })).rejects.toThrow();
    expect(await orderStatus()).toBe(503);
    expect(await orderStatus()).toBe(200);
  });

  it("with --url, finds the running emulator's fixture event while a failure is pending", async () => {
    const server = await listen((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end("{}"));
    });
    try {
      emulator.failNext({ status: 500, times: 1 });
      const run = capture();
      expect(await runCli(["trigger", "movie.completed", "--url", `${server.url}/webhooks`, "--secret", SECRET, "--api-url", emulator.url], run.io)).toBe(0);
      expect(run.err.join("\n")).not.toMatch(/answered 500/);
      expect(await orderStatus()).toBe(500);
    } finally {
      await server.close();
    }
  });
});
