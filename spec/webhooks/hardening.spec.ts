import { createServer } from "node:http";
import { createFetchHandler, createNodeMiddleware } from "../../lib";
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

describe("request input costs linear time", () => {
  const delivery = signedDelivery();
  const cases = Object.keys(shells).flatMap((shell) => [
    { shell, what: "a 16 KiB path", path: LONG_PATH, headers: delivery.headers, status: 404 },
    { shell, what: "a 16 KiB signature header", path: "/webhooks", headers: { ...delivery.headers, "webhook-signature": LONG_SIGNATURE }, status: 401 },
    { shell, what: "a 16 KiB content-type", path: "/webhooks", headers: { ...delivery.headers, "content-type": `application/${"+".repeat(SIXTEEN_KIB)}x` }, status: 415 },
  ]);

  it.each(cases)("$shell: $what costs under 5x a normal delivery", async ({ shell, path, headers, status }) => {
    const { send, close } = await (shells[shell] ?? fail(shell))(delivery.body);
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

function fail(shell: string): never {
  throw new Error(`no shell ${shell}`);
}
