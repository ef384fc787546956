// The working side: run the queued events through your handler, with retries, backoff and dead
// letters. Run as many of these as you like, on any machines, against the same Redis.
//   REDIS_URL=redis://127.0.0.1:6379 CACTUS_API_KEY=sk_... node dist/examples/queue/worker.js
import { CactusClient, CactusHandler, shutdownOnSignals, type CactusReceiverOptions, type WebhookReceiver } from "../../lib";
import { CactusQueue, type CactusWorker } from "../../lib/bullmq";
import { ExampleHandler } from "../webhooks/example-handler";

/**
 * Starts a worker on `queue` for `handler`: 4 jobs at once, 5 attempts 1 s, 2 s, 4 s, 8 s apart,
 * then the dead letters (`cactus dlq list`).
 */
export function startWorker(queue: CactusQueue, handler: WebhookReceiver, options: { readonly onError?: (error: unknown) => void } = {}): CactusWorker {
  return queue.work(handler, { concurrency: 4, attempts: 5, backoff: { type: "exponential", delayMs: 1_000 }, ...options });
}

/** The options a handler run by a worker takes: its lease must outlast its longest run. */
export const workerHandlerOptions: CactusReceiverOptions = { leaseMs: 5 * 60_000 };

if (require.main === module) {
  const queue = new CactusQueue({ connection: process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379" });
  const client = new CactusClient({ apiKey: process.env["CACTUS_API_KEY"] ?? "sk_test_emulator" });
  const handler: CactusHandler = new ExampleHandler(client);
  startWorker(queue, handler);
  console.log(`working on queue ${queue.name}`);
  // SIGTERM: take no new job, finish the running ones (up to 10 s), then close the connections.
  shutdownOnSignals([queue]);
}
