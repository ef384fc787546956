import { createServer as createNetServer } from "node:net";
import { CactusClient, createNodeMiddleware, type CactusHandler } from "../../lib";
import { runCli } from "../../lib/cli/main";
import { CactusEmulator } from "../../lib/emulator";
import { ExampleHandler } from "../../examples/webhooks/example-handler";
import { OTHER_SECRET, SECRET } from "../webhooks/helpers/fixtures";
import { listen, type TestServer } from "../webhooks/helpers/server";

interface Captured {
  readonly out: string[];
  readonly err: string[];
  readonly io: { out(line: string): void; err(line: string): void; signal?: AbortSignal };
}

function capture(signal?: AbortSignal): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (line) => out.push(line), err: (line) => err.push(line), ...(signal ? { signal } : {}) } };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A receiver whose first `failures` deliveries answer 500 (the handler throws), then 200. */
async function receiver(client: CactusClient, failures: number): Promise<{ server: TestServer; lines: string[] }> {
  const lines: string[] = [];
  let remaining = failures;
  const handler: CactusHandler = new ExampleHandler(client, (line) => {
    if (remaining > 0) {
      remaining -= 1;
      throw new Error("not yet");
    }
    lines.push(line);
  });
  const server = await listen(createNodeMiddleware(handler, { secret: SECRET, onError: () => undefined }));
  return { server, lines };
}

describe("cactus trigger", () => {
  it("creates the event in an in-process emulator, delivers it signed, and redelivers on 5xx with backoff", async () => {
    const port = await freePort();
    const client = new CactusClient({ apiKey: "sk_test_emulator", baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const { server, lines } = await receiver(client, 2);
    try {
      const { out, io } = capture();
      const status = await runCli(
        ["trigger", "order.shipped", "--url", `${server.url}/webhooks`, "--secret", SECRET, "--emulator-port", String(port), "--backoff-ms", "1"],
        io,
      );
      expect(status).toBe(0);
      expect(out).toEqual(expect.arrayContaining([
        "attempt 1: 500 handler_failed; next attempt in 1 ms",
        "attempt 2: 500 handler_failed; next attempt in 2 ms",
        "attempt 3: 200",
        "delivered after 3 attempt(s)",
      ]));
      // The handler pulled the fresh event from the in-process emulator.
      expect(lines).toEqual(["order ord_456 shipped with usps"]);
      expect(out.join("\n")).not.toContain(SECRET);
    } finally {
      await server.close();
    }
  });

  it("uses a running emulator's seeded event with --api-url, and stops after --max-attempts", async () => {
    const emulator = await CactusEmulator.start();
    const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const { server, lines } = await receiver(client, 0);
    try {
      const ok = capture();
      expect(await runCli(["trigger", "movie.completed", "--url", `${server.url}/webhooks`, "--secret", SECRET, "--api-url", emulator.url], ok.io)).toBe(0);
      expect(lines).toEqual(['ada rated "The Prickly Pear" 4.5/5']);

      const refused = capture();
      const status = await runCli(
        ["trigger", "order.lost", "--url", `${server.url}/webhooks`, "--secret", OTHER_SECRET, "--api-url", emulator.url, "--max-attempts", "2", "--backoff-ms", "1"],
        refused.io,
      );
      expect(status).toBe(1);
      expect(refused.out).toEqual(expect.arrayContaining([
        "attempt 1: 401 no_matching_signature; next attempt in 1 ms",
        "attempt 2: 401 no_matching_signature",
        "not delivered after 2 attempt(s); Cactus would keep retrying for days",
      ]));
    } finally {
      await server.close();
      await emulator.close();
    }
  });

  it("reports usage errors with status 2, and never echoes a malformed secret", async () => {
    const missing = capture();
    expect(await runCli(["trigger", "order.shipped", "--secret", SECRET], missing.io)).toBe(2);
    expect(missing.err[0]).toContain("--url");

    const unknownOption = capture();
    expect(await runCli(["trigger", "order.shipped", "--url", "http://127.0.0.1:9/x", "--secret", SECRET, "--nope"], unknownOption.io)).toBe(2);

    const bad = capture();
    const secret = "sk_live_this_is_an_api_key_not_a_webhook_secret";
    expect(await runCli(["trigger", "order.shipped", "--url", "http://127.0.0.1:9/x", "--secret", secret], bad.io)).toBe(1);
    expect(bad.err.join("\n")).toContain("malformed_secret");
    expect(bad.err.join("\n")).not.toContain(secret);

    const unknown = capture();
    expect(await runCli(["deploy"], unknown.io)).toBe(2);
    const help = capture();
    expect(await runCli(["help"], help.io)).toBe(0);
    expect(help.out.join("\n")).toContain("cactus trigger <type>");
  });

  it("prints attempts with no answer when the endpoint is down", async () => {
    const port = await freePort();
    const { out, io } = capture();
    expect(await runCli(["trigger", "order.lost", "--url", `http://127.0.0.1:${port}/webhooks`, "--secret", SECRET, "--emulator-port", "0", "--max-attempts", "1"], io)).toBe(1);
    expect(out).toContain("attempt 1: no answer (ECONNREFUSED)");
  });
});

describe("cactus emulator", () => {
  it("serves the seeded events until stopped", async () => {
    const controller = new AbortController();
    const { out, io } = capture(controller.signal);
    const running = runCli(["emulator", "--port", "0"], io);
    while (!out.some((line) => line.startsWith("Cactus API emulator listening on "))) await new Promise((resolve) => setImmediate(resolve));
    const url = (out[0] ?? "").replace("Cactus API emulator listening on ", "");
    const response = await fetch(`${url}/v2/events/evt_order_shipped`, { headers: { authorization: "Bearer sk_test_emulator" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: "evt_order_shipped", type: "order.shipped" });
    controller.abort();
    expect(await running).toBe(0);
    expect(out).toContain("emulator stopped");
  });
});
