import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { createFetchHandler, createNodeMiddleware } from "../../lib";
import { trimSlash } from "../../lib/webhooks/options";
import { SECRET, signedDelivery } from "./helpers/fixtures";
import { RecordingHandler } from "./helpers/recording-handler";
import { listen } from "./helpers/server";

const quiet = { onError: (): void => undefined };
const SIXTEEN_KIB = 16 * 1024;

/** A path whose slashes do not end it: the worst case for a `/\/+$/`-style trim. */
const LONG_PATH = `/a${"/".repeat(SIXTEEN_KIB)}b`;
/** A signature header entry of commas not at its end: the worst case for a `/,+$/`-style trim. */
const LONG_SIGNATURE = `${",".repeat(SIXTEEN_KIB)}x`;

/**
 * Median time of `hostile` over the median time of `normal`, measured alternately in the same
 * test so machine load affects both alike. Only a ratio is asserted, never a time.
 */
async function costRatio(normal: () => Promise<void>, hostile: () => Promise<void>, runs = 15): Promise<number> {
  const normalTimes: number[] = [];
  const hostileTimes: number[] = [];
  await normal(); // warm up both paths (JIT, sockets)
  await hostile();
  for (let run = 0; run < runs; run += 1) {
    normalTimes.push(await timed(normal));
    hostileTimes.push(await timed(hostile));
  }
  return median(hostileTimes) / median(normalTimes);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

type Send = (path: string, headers: Record<string, string>, expected: number) => Promise<void>;

/** Each shell, started for one test: how to send a delivery with `body`, and how to stop. */
const shells: Record<string, (body: string) => Promise<{ send: Send; close: () => Promise<void> }>> = {
  "Fetch handler": async (body) => {
    const handler = createFetchHandler(new RecordingHandler(), { secret: SECRET, path: "/webhooks", ...quiet });
    const send: Send = async (path, headers, expected) => {
      const response = await handler(new Request(`http://example.test${path}`, { method: "POST", headers, body }));
      expect(response.status).toBe(expected);
      await response.arrayBuffer();
    };
    return { send, close: async () => undefined };
  },
  "Node middleware": async (body) => {
    const middleware = createNodeMiddleware(new RecordingHandler(), { secret: SECRET, ...quiet });
    // Node's default header limit is 16 KiB in total; a proxy in front may allow more.
    const server = await listen(createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => void middleware(req, res)));
    const send: Send = async (path, headers, expected) => {
      const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body });
      expect(response.status).toBe(expected);
      await response.arrayBuffer();
    };
    return { send, close: () => server.close() };
  },
};

describe("trimSlash", () => {
  it("drops trailing slashes but keeps the root", () => {
    expect(trimSlash("/webhooks///")).toBe("/webhooks");
    expect(trimSlash("/webhooks")).toBe("/webhooks");
    expect(trimSlash("/a//b/")).toBe("/a//b");
    expect(trimSlash("/")).toBe("/");
    expect(trimSlash("///")).toBe("/");
    expect(trimSlash(LONG_PATH)).toBe(LONG_PATH);
  });
});

describe("request input costs linear time", () => {
  const delivery = signedDelivery();
  const cases = Object.entries(shells).flatMap(([shell, start]) => [
    { shell, start, what: "a 16 KiB path", path: LONG_PATH, headers: delivery.headers, status: 404 },
    { shell, start, what: "a 16 KiB signature header", path: "/webhooks", headers: { ...delivery.headers, "webhook-signature": LONG_SIGNATURE }, status: 401 },
    { shell, start, what: "a 16 KiB content-type", path: "/webhooks", headers: { ...delivery.headers, "content-type": `application/${"+".repeat(SIXTEEN_KIB)}x` }, status: 415 },
  ]);

  it.each(cases)("$shell: $what costs under 5x a normal delivery", async ({ start, path, headers, status }) => {
    const { send, close } = await start(delivery.body);
    try {
      const ratio = await costRatio(
        () => send("/webhooks", delivery.headers, 200),
        () => send(path, headers, status),
      );
      expect(ratio).toBeLessThan(5);
    } finally {
      await close();
    }
  });
});

// A child process, so the measure is this body's alone (not the test runner's heap) and gc() can
// run between samples; it stops early, with a clear line, once growth passes four times the limit.
const FETCH_MEMORY_PROGRAM = `
const { CactusClient, CactusHandler, createFetchHandler, signWebhook } = require("./lib");
const secret = ${JSON.stringify(SECRET)};
const SIZE = 1000 * 1000;
const LIMIT_MB = Number(process.argv[1]);
class Handler extends CactusHandler {
  async onOrderShipped() {}
  async onOther() {}
}
const thin = JSON.stringify({ id: "evt_big", type: "order.shipped", related_object: { id: "ord_1", type: "order" } });
const body = thin + " ".repeat(SIZE - thin.length);
const bytes = new TextEncoder().encode(body);
const headers = signWebhook({ id: "evt_big", body, webhookSecret: secret });
const webhooks = createFetchHandler(new Handler(new CactusClient({ apiKey: "sk_test_memory", baseUrl: "http://127.0.0.1:9", maxRetries: 0 })), { secret });
const heap = () => { global.gc(); return process.memoryUsage().heapUsed; };
const base = heap();
let peak = 0;
let index = 0;
const stream = new ReadableStream({
  pull(controller) {
    if (index % 65536 === 0) {
      peak = Math.max(peak, heap() - base);
      if (peak > 4 * LIMIT_MB * 1024 * 1024) {
        console.log(JSON.stringify({ stoppedAt: index, growthMB: peak / 1048576 }));
        process.exit(0);
      }
    }
    if (index === bytes.length) controller.close();
    else controller.enqueue(bytes.slice(index, index + 1));
    index += 1;
  },
});
const request = new Request("http://example.test/webhooks", { method: "POST", headers, body: stream, duplex: "half" });
webhooks(request).then(async (response) => {
  peak = Math.max(peak, heap() - base);
  console.log(JSON.stringify({ status: response.status, chunks: index, growthMB: peak / 1048576 }));
});
`;

describe("Fetch handler memory", () => {
  it("a 1 MB body in 1-byte chunks grows the heap by under 16 MB", async () => {
    const limitMb = 16;
    const root = join(__dirname, "..", "..");
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--expose-gc", "--max-old-space-size=512", "-r", join(root, "spec", "helpers", "ts-register.js"), "-e", FETCH_MEMORY_PROGRAM, String(limitMb)],
        { cwd: root, timeout: 60_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    const result: unknown = JSON.parse(stdout.trim());
    expect(result).toMatchObject({ status: 200, chunks: 1000 * 1000 + 1 });
    expect((result as { growthMB: number }).growthMB).toBeLessThan(limitMb);
  }, 60_000);
});
