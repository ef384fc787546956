// `npm run demo -- --queue`: the demo through a queue. A throwaway redis-server, the Cactus API
// emulator, a receiver (the webhook middleware in front of a CactusQueue) and a worker running
// ActivityHandler; one signed delivery of every event type, each answered 202 and then handled.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CactusClient, cactusEventTypes, createNodeMiddleware } from "../../lib";
import { generateWebhookSecret, signWebhook } from "../../lib/webhooks";
import { CactusQueue } from "../../lib/bullmq";
import { CactusEmulator } from "../../lib/emulator";
import { fixtureEventId, UNKNOWN_FIXTURE_TYPE } from "../../lib/emulator/fixtures";
import { ActivityHandler } from "../inheritance/activity-handler";
import { redisAvailable, startRedis } from "./local-redis";

/** What the queue demo did: deliveries answered 202, and events the worker handled. */
export interface QueueDemoResult {
  readonly queued: number;
  readonly handled: number;
  readonly total: number;
}

/** Runs the queue demo; resolves `undefined` (after one line saying how to install it) without redis-server. */
export async function runQueueDemo(log: (line: string) => void = console.log): Promise<QueueDemoResult | undefined> {
  if (!redisAvailable) {
    log("The queue demo needs redis-server on PATH: apt-get install -y redis-server (or brew install redis)");
    return undefined;
  }
  const redis = await startRedis();
  const emulator = await CactusEmulator.start();
  const secret = generateWebhookSecret();
  const queue = new CactusQueue({ connection: redis.url });
  const server = createServer(createNodeMiddleware(queue, { webhookSecret: secret }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const types: string[] = [...cactusEventTypes, UNKNOWN_FIXTURE_TYPE];
  let handled = 0;
  const allHandled = new Promise<void>((resolve) => {
    const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const worker = queue.work(new ActivityHandler(client, (line) => log(`    worker: ${line}`)), { concurrency: 2, attempts: 3 });
    worker.bullmq.on("completed", () => {
      handled += 1;
      if (handled === types.length) resolve();
    });
  });
  log(`redis-server on ${redis.url}; Cactus API emulator on ${emulator.url}; receiver ${endpoint}`);
  let queued = 0;
  try {
    for (const type of types) {
      const id = fixtureEventId(type);
      const body = JSON.stringify(emulator.thinEventOf(id));
      const response = await fetch(endpoint, { method: "POST", headers: signWebhook({ id, body, webhookSecret: secret }), body });
      log(`-> POST ${type} ${id}: ${response.status} ${await response.text()}`);
      if (response.status === 202) queued += 1;
    }
    await Promise.race([allHandled, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    log(`${queued} of ${types.length} deliveries queued (202); the worker handled ${handled}.`);
  } finally {
    await queue.close({ timeoutMs: 5_000 });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await emulator.close();
    await redis.stop();
  }
  return { queued, handled, total: types.length };
}

/** Fails the run when a delivery was not queued or an event not handled (no redis-server: nothing to check). */
export function assertQueueDemo(result: QueueDemoResult | undefined): void {
  if (result === undefined) return;
  if (result.queued !== result.total || result.handled !== result.total) {
    throw new Error(`queue demo: ${result.queued} of ${result.total} queued, ${result.handled} handled`);
  }
}
