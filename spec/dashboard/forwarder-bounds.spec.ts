import { execFile } from "node:child_process";
import type { ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { CactusError } from "../../lib";
import { runCli } from "../../lib/cli/main";
import { DEFAULT_DELIVERY_LOG_MAX_BYTES, DEFAULT_FORWARDER_CONCURRENCY, DeliveryLog, WebhookForwarder, type DeliveryAttemptRecord } from "../../lib/emulator";
import { listen, type TestServer } from "../webhooks/helpers/server";
import { SECRET } from "../webhooks/helpers/fixtures";
import { capture } from "../cli/capture";
import { eventually } from "./helpers";

// The `cactus listen` forwarder kept every answer of every event (about 90 KiB an event at five
// 16 KiB answers: 875 MB at its default 10,000 events), never freed its per-event state, and sent
// every event at once (1,000 connections in flight; healthy endpoints timed out).

const root = resolve(__dirname, "..", "..");

/** An endpoint that holds every request until told to answer, counting how many are open at once. */
interface HeldEndpoint extends TestServer {
  readonly ids: string[];
  readonly open: () => number;
  readonly maxOpen: () => number;
  release(): void;
}

async function heldEndpoint(): Promise<HeldEndpoint> {
  const held: ServerResponse[] = [];
  const ids: string[] = [];
  let open = 0;
  let maxOpen = 0;
  let releasing = false;
  const answer = (res: ServerResponse): void => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"received":true}');
  };
  const server = await listen((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on("close", () => (open -= 1));
    ids.push(String(req.headers["webhook-id"]));
    req.resume();
    req.on("end", () => (releasing ? answer(res) : held.push(res)));
  });
  return {
    ...server,
    ids,
    open: () => open,
    maxOpen: () => maxOpen,
    release() {
      releasing = true;
      for (const res of held.splice(0)) answer(res);
    },
  };
}

function attemptRecord(n: number, body: string): DeliveryAttemptRecord {
  return {
    attempt: n,
    trigger: n === 1 ? "delivery" : "retry",
    startedAt: new Date().toISOString(),
    latencyMs: 3,
    request: { method: "POST", url: "http://127.0.0.1:3000/webhooks", headers: { "webhook-id": "evt", "webhook-signature": "v1,sig" }, body: "{}" },
    response: { status: 500, headers: { "content-type": "application/json" }, body, bodyTruncated: true },
    error: null,
    succeeded: false,
    nextRetryAt: null,
  };
}

describe("the forwarder's memory is bounded", () => {
  it("10,000 events with five 16 KiB answers each: the log stays within maxBytes, drops the oldest and says which", () => {
    const log = new DeliveryLog();
    expect(log.maxBytes).toBe(DEFAULT_DELIVERY_LOG_MAX_BYTES);
    const dropped: string[] = [];
    log.onDrop((id) => dropped.push(id));
    const answer = "e".repeat(16 * 1024);
    for (let i = 0; i < 10_000; i += 1) {
      const id = `evt_${i}`;
      log.addEvent({ id, type: "order.shipped" }, "pending");
      for (let n = 1; n <= 5; n += 1) log.addAttempt(id, attemptRecord(n, answer), n === 5 ? "failed" : "retrying");
      expect(log.bytes).toBeLessThanOrEqual(log.maxBytes);
    }
    // Each event is about 170 KiB by the estimate (two bytes a character): about 390 fit in 64 MiB.
    expect(log.size).toBeGreaterThan(300);
    expect(log.size).toBeLessThan(500);
    expect(dropped).toHaveLength(10_000 - log.size);
    expect(dropped.slice(0, 3)).toEqual(["evt_0", "evt_1", "evt_2"]);
    expect(log.get("evt_0")).toBeUndefined();
    expect(log.get("evt_9999")?.attempts).toHaveLength(5);
    expect(log.list({ limit: 1 }).total).toBe(log.size);
  });

  it("an event alone larger than maxBytes keeps its newest attempts", () => {
    const log = new DeliveryLog({ maxBytes: 100_000 });
    log.addEvent({ id: "evt_big", type: "order.shipped" }, "pending");
    for (let n = 1; n <= 10; n += 1) log.addAttempt("evt_big", attemptRecord(n, "b".repeat(16 * 1024)), "retrying");
    expect(log.bytes).toBeLessThanOrEqual(100_000);
    expect(log.get("evt_big")?.attempts.map((attempt) => attempt.attempt)).toEqual([9, 10]);
    expect(log.get("evt_big")?.attemptCount).toBe(10);
  });

  it("forgets what the log dropped (no state, no scheduled retry past its size), yet sends a burst larger than the log once each", async () => {
    let received = 0;
    const server = await listen((req, res) => {
      received += 1;
      req.resume();
      req.on("end", () => {
        res.writeHead(503);
        res.end();
      });
    });
    const forwarder = new WebhookForwarder({ url: `${server.url}/webhooks`, secret: SECRET, backoffMs: 600_000, log: new DeliveryLog({ maxEvents: 100 }) });
    try {
      const first: Promise<unknown>[] = [];
      for (let i = 0; i < 1_000; i += 1) first.push(forwarder.forward({ id: `evt_${i}`, type: "order.shipped" }).then(() => undefined));
      await Promise.all(first);
      expect(received).toBe(1_000);
      expect(forwarder.log.size).toBe(100);
      expect(forwarder.stats).toEqual({ inFlight: 0, queued: 0, retrying: 100, tracked: 100 });
    } finally {
      await forwarder.close();
      await server.close();
    }
    expect(forwarder.stats.retrying).toBe(0);
  }, 90_000); // 1,000 connections: on a loaded two-core machine this took over 20 s once

  it(
    "10,000 events sent at once in a process of their own: the heap grows by less than the log's bound, at most `concurrency` in flight, none timed out",
    async () => {
      const program = join(root, "spec", "dashboard", "programs", "forwarder-heap.ts");
      const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "-r", join(root, "spec", "helpers", "ts-register.js"), program], { cwd: root, maxBuffer: 1024 * 1024 });
      const figures = JSON.parse(stdout) as Record<string, number>;
      expect(figures).toMatchObject({ events: 10_000, attempts: 10_000, timedOut: 0, concurrency: DEFAULT_FORWARDER_CONCURRENCY, maxOpen: DEFAULT_FORWARDER_CONCURRENCY });
      expect(figures["queuedAtOnce"]).toBe(10_000 - DEFAULT_FORWARDER_CONCURRENCY);
      expect(figures["logBytes"]).toBeLessThanOrEqual(DEFAULT_DELIVERY_LOG_MAX_BYTES);
      // Unbounded, 10,000 answers of 16 KiB are 160 MB; the estimate counts two bytes a character, so the
      // heap holds less than the log's own figure.
      expect(figures["heapGrowthBytes"]).toBeLessThan(DEFAULT_DELIVERY_LOG_MAX_BYTES);
      expect(figures["tracked"]).toBe(figures["logSize"]);
    },
    240_000,
  );
});

describe("the forwarder's concurrency is bounded", () => {
  it("sends `concurrency` attempts at once; the others wait their turn; replays do not wait", async () => {
    const endpoint = await heldEndpoint();
    const forwarder = new WebhookForwarder({ url: `${endpoint.url}/webhooks`, secret: SECRET, concurrency: 5, maxAttempts: 1 });
    try {
      expect(forwarder.concurrency).toBe(5);
      const first = Array.from({ length: 50 }, (_, i) => forwarder.forward({ id: `evt_${i}`, type: "order.shipped" }));
      await eventually("five requests held", () => endpoint.ids.length === 5 || undefined);
      expect(forwarder.stats).toMatchObject({ inFlight: 5, queued: 45 });
      // A replay asked for by hand is sent now, beside them.
      const replay = forwarder.replay("evt_49");
      await eventually("the replay held", () => endpoint.ids.length === 6 || undefined);
      expect(endpoint.ids[5]).toBe("evt_49");
      endpoint.release();
      const records = await Promise.all(first);
      await replay;
      expect(records.every((record) => record.succeeded)).toBe(true);
      expect(endpoint.maxOpen()).toBe(6);
      // Started in order; several connections may deliver them to the server in a slightly different one.
      expect(endpoint.ids.filter((_id, index) => index !== 5).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `evt_${i}`).sort());
      expect(forwarder.stats).toMatchObject({ inFlight: 0, queued: 0 });
    } finally {
      await forwarder.close();
      await endpoint.close();
    }
  });

  it("close() sends nothing that was still waiting and says so (forwarder_closed)", async () => {
    const endpoint = await heldEndpoint();
    const forwarder = new WebhookForwarder({ url: `${endpoint.url}/webhooks`, secret: SECRET, concurrency: 2, maxAttempts: 1 });
    try {
      const outcomes = Array.from({ length: 6 }, (_, i) => forwarder.forward({ id: `evt_${i}`, type: "order.shipped" }).then((record) => record.error, (error: unknown) => error));
      await eventually("two requests held", () => endpoint.ids.length === 2 || undefined);
      await forwarder.close();
      const settled = await Promise.all(outcomes);
      for (const queued of settled.slice(2)) expect(queued).toMatchObject({ code: "forwarder_closed" });
      expect(settled.slice(2).every((error) => error instanceof CactusError)).toBe(true);
      expect(endpoint.ids).toEqual(["evt_0", "evt_1"]);
    } finally {
      endpoint.release();
      await endpoint.close();
    }
  });

  it("refuses a concurrency below 1", () => {
    expect(() => new WebhookForwarder({ url: "http://127.0.0.1:1/webhooks", secret: SECRET, concurrency: 0 })).toThrow(/concurrency must be an integer >= 1 \(got 0\)/);
  });

  it("cactus listen --concurrency <n> sends at most n at once (and says so); 0 is a usage error", async () => {
    const endpoint = await heldEndpoint();
    const controller = new AbortController();
    const { out, io } = capture({ signal: controller.signal });
    const running = runCli(["listen", "--forward-to", `${endpoint.url}/webhooks`, "--secret", SECRET, "--port", "0", "--concurrency", "3", "--max-attempts", "1"], io);
    try {
      const line = await eventually("the listening line", () => out.find((text) => text.startsWith("Cactus API emulator listening on ")), 20_000);
      const base = line.slice("Cactus API emulator listening on ".length);
      expect(out.some((text) => text.includes("(3 at once; 10000 kept for the dashboard)"))).toBe(true);
      for (let i = 0; i < 8; i += 1) {
        const created = await fetch(`${base}/v2/events`, { method: "POST", headers: { authorization: "Bearer sk_test_emulator", "content-type": "application/json" }, body: JSON.stringify({ type: "order.shipped" }) });
        expect(created.status).toBe(201);
      }
      await eventually("three requests held", () => endpoint.ids.length === 3 || undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(endpoint.ids).toHaveLength(3);
      endpoint.release();
      await eventually("eight deliveries", () => endpoint.ids.length === 8 || undefined);
      expect(endpoint.maxOpen()).toBe(3);
    } finally {
      controller.abort();
      expect(await running).toBe(0);
      await endpoint.close();
    }
    const usage = capture();
    expect(await runCli(["listen", "--forward-to", "http://127.0.0.1:1/webhooks", "--secret", SECRET, "--concurrency", "0"], usage.io)).toBe(2);
    expect(usage.err.join("\n")).toContain("--concurrency");
  });
});
