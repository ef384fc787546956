// A chaos worker process: runs the queue's jobs through the chaos handler.
import Redis from "ioredis";
import { shutdownOnSignals } from "../../lib";
import type { ChaosChildConfig } from "./chaos-config";
import { ChaosHandler } from "./chaos-handler";
import { chaosQueue } from "./queue-connection";

const config = JSON.parse(process.argv[2] ?? "{}") as ChaosChildConfig;
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const queue = chaosQueue(config);
const worker = queue.work(new ChaosHandler(redis, config.failRate, { leaseMs: config.leaseMs, onError: () => undefined }), {
  concurrency: config.concurrency,
  attempts: config.attempts,
  backoff: { delayMs: 20, maxDelayMs: 200 },
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
  onError: () => undefined,
});
void worker.bullmq.waitUntilReady().then(() => process.stdout.write("READY 0\n"));
shutdownOnSignals([queue], {
  onClosed: () => {
    redis.disconnect();
    process.exit(0);
  },
});
