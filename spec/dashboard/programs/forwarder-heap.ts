// Run by forwarder-bounds.spec.ts in its own process (node --expose-gc), so that the heap it
// measures is this forwarder's alone: 10,000 events sent at once, each answered with a 16 KiB error.
// Prints one JSON line of figures.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DeliveryLog, WebhookForwarder } from "../../../lib/emulator/forwarder";
import { SECRET } from "../../webhooks/helpers/fixtures";

const EVENTS = 10_000;
const ANSWER = JSON.stringify({ error: "x".repeat(16 * 1024) });

function gc(): void {
  const collect: unknown = Reflect.get(globalThis, "gc");
  if (typeof collect !== "function") throw new Error("run with node --expose-gc");
  collect();
  collect();
}

async function main(): Promise<void> {
  let open = 0;
  let maxOpen = 0;
  const server: Server = createServer((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on("close", () => (open -= 1));
    req.resume();
    // Answered on a later timer, so that requests the forwarder sends together overlap here.
    req.on("end", () => {
      setTimeout(() => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(ANSWER);
      }, 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let attempts = 0;
  let timedOut = 0;
  const log = new DeliveryLog();
  const forwarder = new WebhookForwarder({
    url: `http://127.0.0.1:${port}/webhooks`,
    secret: SECRET,
    maxAttempts: 1,
    log,
    onAttempt: (_event, attempt) => {
      attempts += 1;
      if (attempt.response === null) timedOut += 1;
    },
  });
  const settle = async (): Promise<void> => {
    for (;;) {
      await forwarder.idle();
      if (forwarder.stats.retrying === 0 && forwarder.stats.queued === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  // Warm up (the HTTP client's pool, the code paths), then measure from an empty log.
  for (let i = 0; i < 20; i += 1) void forwarder.forward({ id: `evt_warm_${i}`, type: "order.shipped" }).catch(() => undefined);
  await settle();
  maxOpen = 0;
  attempts = 0;
  gc();
  const before = process.memoryUsage().heapUsed;
  // As `cactus listen` does: each first attempt's record is dropped once it resolves (the log keeps its own).
  const first: Promise<void>[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    first.push(forwarder.forward({ id: `evt_heap_${i}`, type: "order.shipped", related_object: { id: `ord_${i}`, type: "order" } }).then(() => undefined, () => undefined));
  }
  const queuedAtOnce = forwarder.stats.queued;
  await Promise.all(first);
  await settle();
  gc();
  const after = process.memoryUsage().heapUsed;
  const figures = {
    events: EVENTS,
    attempts,
    timedOut,
    maxOpen,
    queuedAtOnce,
    concurrency: forwarder.concurrency,
    heapGrowthBytes: after - before,
    logBytes: log.bytes,
    logMaxBytes: log.maxBytes,
    logSize: log.size,
    tracked: forwarder.stats.tracked,
  };
  await forwarder.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
