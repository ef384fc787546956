import { Writable } from "node:stream";
import { CactusClient, createNodeMiddleware, type CactusHandler } from "../../lib";
import { WebhookSecrets } from "../../lib/webhooks";
import { runCli } from "../../lib/cli/main";
import { CactusEmulator } from "../../lib/emulator";
import { ExampleHandler } from "../../examples/webhooks/example-handler";
import { OTHER_SECRET, SECRET } from "../webhooks/helpers/fixtures";
import { listen, type TestServer } from "../webhooks/helpers/server";
import { capture, freePort } from "./capture";

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

const ANSI = /\u001b\[/;

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
      expect(out.join("\n")).not.toMatch(ANSI);
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

  it("refuses a misspelled type with a suggestion, and an unknown one without --unknown (exit 2, nothing sent)", async () => {
    let requests = 0;
    const server = await listen((req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(200).end();
    });
    try {
      const base = ["--url", server.url, "--secret", SECRET, "--emulator-port", "0"];
      const typo = capture();
      expect(await runCli(["trigger", "order.shiped", ...base], typo.io)).toBe(2);
      expect(typo.err.join("\n")).toContain("did you mean order.shipped?");
      const swapped = capture();
      expect(await runCli(["trigger", "movie.copmleted", ...base], swapped.io)).toBe(2);
      expect(swapped.err.join("\n")).toContain("did you mean movie.completed?");

      const unknown = capture();
      expect(await runCli(["trigger", "invoice.paid", ...base], unknown.io)).toBe(2);
      expect(unknown.err.join("\n")).toContain("--unknown");
      expect(unknown.err.join("\n")).not.toContain("did you mean");
      expect(requests).toBe(0);

      const allowed = capture();
      expect(await runCli(["trigger", "invoice.paid", "--unknown", ...base, "--json"], allowed.io)).toBe(0);
      expect(requests).toBe(1);
      const report: unknown = JSON.parse(allowed.out.join("\n"));
      expect(report).toMatchObject({ event: { type: "invoice.paid" }, delivered: true, attempts: [{ attempt: 1, status: 200 }] });
    } finally {
      await server.close();
    }
  });

  it("prints one JSON object with --json, and never the secret", async () => {
    const server = await listen((req, res) => {
      req.resume();
      res.writeHead(302, { location: "https://elsewhere.example/hook" }).end();
    });
    try {
      const { out, io } = capture();
      expect(await runCli(["trigger", "order.lost", "--url", server.url, "--secret", SECRET, "--emulator-port", "0", "--max-attempts", "2", "--backoff-ms", "1", "--json"], io)).toBe(1);
      expect(out).toHaveLength(1);
      expect(JSON.parse(out[0] ?? "")).toEqual({
        event: { id: expect.stringMatching(/^evt_/), type: "order.lost", created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) },
        url: server.url,
        delivered: false,
        attempts: [
          { attempt: 1, status: 302, detail: "redirect to https://elsewhere.example/hook", next_delay_ms: expect.any(Number), duration_ms: expect.any(Number) },
          { attempt: 2, status: 302, detail: "redirect to https://elsewhere.example/hook", next_delay_ms: null, duration_ms: expect.any(Number) },
        ],
      });
      expect(out.join("\n")).not.toContain(SECRET);
    } finally {
      await server.close();
    }
  });

  it("--count sends distinct events at most --concurrency at a time and summarizes sent, 2xx, failed and latency", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const ids = new Set<string>();
    let served = 0;
    const server = await listen((req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      ids.add(String(req.headers["webhook-id"]));
      req.resume();
      served += 1;
      const status = served % 5 === 0 ? 503 : 200; // every fifth fails
      setTimeout(() => {
        inFlight -= 1;
        res.writeHead(status).end();
      }, 5);
    });
    try {
      const { out, io } = capture();
      const status = await runCli(["trigger", "order.shipped", "--url", server.url, "--secret", SECRET, "--emulator-port", "0", "--count", "20", "--concurrency", "3", "--json"], io);
      expect(status).toBe(1);
      expect(maxInFlight).toBeLessThanOrEqual(3);
      expect(maxInFlight).toBeGreaterThan(1);
      expect(ids.size).toBe(20);
      const summary = JSON.parse(out.join("\n")) as { sent: number; delivered: number; failed: number; attempts: number; latency_ms: { p50: number; p99: number } };
      expect(summary).toMatchObject({ sent: 20, delivered: 16, failed: 4, attempts: 20 });
      expect(summary.latency_ms.p50).toBeGreaterThan(0);
      expect(summary.latency_ms.p99).toBeGreaterThanOrEqual(summary.latency_ms.p50);

      const text = capture();
      served = 1; // the next one answered is the 2nd: failures at 5, 10 -> 2 of 10 fail
      expect(await runCli(["trigger", "order.lost", "--url", server.url, "--secret", SECRET, "--emulator-port", "0", "--count", "10", "--concurrency", "2"], text.io)).toBe(1);
      expect(text.out).toEqual(expect.arrayContaining(["sent:    10", "2xx:     8", "failed:  2", expect.stringMatching(/^latency: p50 [\d.]+ ms, p99 [\d.]+ ms \(10 attempts\)$/)]));
    } finally {
      await server.close();
    }
  });

  it("draws a progress bar only when given a terminal", async () => {
    const server = await listen((req, res) => {
      req.resume();
      res.writeHead(204).end();
    });
    const drawn: string[] = [];
    const terminal = Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => { drawn.push(chunk.toString()); done(); } }), { isTTY: true, columns: 100 });
    try {
      const args = ["trigger", "order.lost", "--url", server.url, "--secret", SECRET, "--emulator-port", "0", "--count", "5"];
      const plain = capture();
      expect(await runCli(args, plain.io)).toBe(0);
      expect(plain.out.join("\n")).not.toContain("5/5 sent");

      const tty = capture({ progressStream: terminal });
      expect(await runCli(args, tty.io)).toBe(0);
      expect(drawn.join("")).toContain("5/5 sent | 5 2xx | 0 failed");
      expect(tty.out).toContain("2xx:     5");
    } finally {
      await server.close();
    }
  });

  it("reports usage errors with status 2, and never echoes a malformed secret", async () => {
    const missing = capture();
    expect(await runCli(["trigger", "order.shipped", "--secret", SECRET], missing.io)).toBe(2);
    expect(missing.err[0]).toContain("--url");

    const unknownOption = capture();
    expect(await runCli(["trigger", "order.shipped", "--url", "http://127.0.0.1:9/x", "--secret", SECRET, "--nope"], unknownOption.io)).toBe(2);
    expect(unknownOption.err.join("\n")).toContain("--nope");

    const badNumber = capture();
    expect(await runCli(["trigger", "order.shipped", "--url", "http://127.0.0.1:9/x", "--secret", SECRET, "--count", "0"], badNumber.io)).toBe(2);
    expect(badNumber.err.join("\n")).toContain("--count");

    const badUrl = capture();
    expect(await runCli(["trigger", "order.shipped", "--url", "ftp://x", "--secret", SECRET], badUrl.io)).toBe(2);

    const bad = capture();
    const secret = "sk_live_this_is_an_api_key_not_a_webhook_secret";
    expect(await runCli(["trigger", "order.shipped", "--url", "http://127.0.0.1:9/x", "--secret", secret], bad.io)).toBe(1);
    expect(bad.err.join("\n")).toContain("malformed_secret");
    expect(bad.err.join("\n")).toContain("cactus secret");
    expect(bad.err.join("\n")).not.toContain(secret);
  });

  it("prints attempts with no answer when the endpoint is down", async () => {
    const port = await freePort();
    const { out, io } = capture();
    expect(await runCli(["trigger", "order.lost", "--url", `http://127.0.0.1:${port}/webhooks`, "--secret", SECRET, "--emulator-port", "0", "--max-attempts", "1"], io)).toBe(1);
    expect(out).toContain("attempt 1: no answer (ECONNREFUSED)");
  });
});

describe("cactus secret", () => {
  it("prints a new valid whsec_ secret each time, as text or JSON", async () => {
    const first = capture();
    const second = capture();
    expect(await runCli(["secret"], first.io)).toBe(0);
    expect(await runCli(["secret", "--json"], second.io)).toBe(0);
    const text = first.out.join("\n");
    const { secret } = JSON.parse(second.out.join("\n")) as { secret: string };
    expect(WebhookSecrets.parse(text).size).toBe(1);
    expect(WebhookSecrets.parse(secret).size).toBe(1);
    expect(secret).not.toBe(text);
  });
});

describe("cactus emulator", () => {
  it("serves the seeded events until stopped", async () => {
    const controller = new AbortController();
    const { out, io } = capture({ signal: controller.signal });
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

describe("cactus (every command)", () => {
  it.each(["trigger", "events", "events list", "events show", "secret", "emulator"])("cactus %s --help prints its usage and exits 0", async (command) => {
    const { out, io } = capture();
    expect(await runCli([...command.split(" "), "--help"], io)).toBe(0);
    expect(out.join("\n")).toContain(`Usage: cactus ${command}`);
  });

  it("lists the commands on help, and exits 2 on a missing or unknown command", async () => {
    const help = capture();
    expect(await runCli(["help"], help.io)).toBe(0);
    expect(help.out.join("\n")).toContain("cactus trigger <type>");
    for (const command of ["trigger", "events", "secret", "emulator"]) expect(help.out.join("\n")).toContain(command);
    const none = capture();
    expect(await runCli([], none.io)).toBe(2);
    expect(none.err.join("\n")).toContain("Usage: cactus");
    const unknown = capture();
    expect(await runCli(["deploy"], unknown.io)).toBe(2);
    expect(unknown.err.join("\n")).toContain("unknown command 'deploy'");
  });

  it("colours output only when told to", async () => {
    const plain = capture();
    expect(await runCli(["trigger", "order.shiped", "--url", "http://127.0.0.1:9", "--secret", SECRET], plain.io)).toBe(2);
    expect(plain.err.join("\n")).not.toMatch(ANSI);
    const coloured = capture({ color: true });
    expect(await runCli(["trigger", "order.shiped", "--url", "http://127.0.0.1:9", "--secret", SECRET], coloured.io)).toBe(2);
    expect(coloured.err.join("\n")).toMatch(ANSI);
  });
});
