// A chaos receiver process: the webhook middleware on a free port, in front of a CactusQueue
// (queue mode) or of the handler itself with a RedisIdempotencyStore (direct mode).
import { createServer } from "node:http";
import Redis from "ioredis";
import { createNodeMiddleware, shutdownOnSignals, type WebhookReceiver } from "../../lib";
import { RedisIdempotencyStore } from "../../lib/redis";
import type { ChaosChildConfig } from "./chaos-config";
import { ChaosHandler } from "./chaos-handler";
import { chaosQueue } from "./queue-connection";

const config = JSON.parse(process.argv[2] ?? "{}") as ChaosChildConfig;
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
const receiver: WebhookReceiver & { close(options?: { timeoutMs?: number }): Promise<unknown> } =
  config.mode === "queue"
    ? chaosQueue(config)
    : new ChaosHandler(redis, config.failRate, { idempotency: new RedisIdempotencyStore(redis), leaseMs: config.leaseMs, onError: () => undefined });
const server = createServer(createNodeMiddleware(receiver, { webhookSecret: config.secret, onError: () => undefined }));
server.keepAliveTimeout = 1_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`READY ${typeof address === "object" && address !== null ? address.port : 0}\n`);
});
shutdownOnSignals([receiver, { close: () => new Promise((resolve) => server.close(() => resolve(undefined))) }], {
  onClosed: () => {
    redis.disconnect();
    process.exit(0);
  },
});
