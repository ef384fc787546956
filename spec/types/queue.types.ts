// Type tests for the queue and the Redis store: compiled by `tsc --noEmit` in `npm test`, never run.
// Each `@ts-expect-error` line must fail to compile.
import Redis from "ioredis";
import { createNodeMiddleware, MemoryIdempotencyStore, shutdownOnSignals, type IdempotencyStore, type WebhookReceiver } from "../../lib";
import { CactusQueue, type CactusJobData, type CactusWorkOptions, type DeadLetter } from "../../lib/bullmq";
import { RedisIdempotencyStore } from "../../lib/redis";
import { ControlledHandler } from "../delivery/controlled-handler";

declare const redis: Redis;
const queue = new CactusQueue({ connection: "redis://127.0.0.1:6379" });
new CactusQueue({ connection: redis, name: "shop", prefix: "{shop}" });
new CactusQueue({ connection: { host: "127.0.0.1", port: 6379 } });
// @ts-expect-error a connection is required
new CactusQueue({ name: "shop" });

// A queue is a webhook receiver, closable by shutdownOnSignals.
const receiver: WebhookReceiver = queue;
createNodeMiddleware(queue, { webhookSecret: "whsec_x" });
shutdownOnSignals([queue, queue.work(new ControlledHandler())]);
void receiver;

// Stores are interchangeable.
const stores: IdempotencyStore[] = [new RedisIdempotencyStore(redis), new MemoryIdempotencyStore()];
void stores;

const options: CactusWorkOptions = { concurrency: 4, attempts: 5, backoff: { type: "fixed", delayMs: 500 }, idempotency: false };
void options;
// @ts-expect-error backoff types are exponential or fixed
const badBackoff: CactusWorkOptions = { backoff: { type: "linear", delayMs: 500 } };
void badBackoff;
// @ts-expect-error the worker needs a receiver, not a plain function
queue.work((event: unknown) => event);

declare const data: CactusJobData;
// @ts-expect-error job data is read-only
data.receivedAt = "now";

declare const letter: DeadLetter;
const lastCode: string | undefined = letter.errors.at(-1)?.code;
void lastCode;
// @ts-expect-error dead letters are read-only
letter.attempts = 0;
