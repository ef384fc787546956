import Redis from "ioredis";
import { CactusConfigError } from "../../lib/errors";
import { RedisIdempotencyStore } from "../../lib/redis";
import { errorAnswer, handledAnswer } from "../../lib/webhooks/status-table";
import { ControlledHandler, shipped } from "../delivery/controlled-handler";
import { idempotencyStoreContract } from "../delivery/idempotency-store-contract";
import { describeRedis } from "./describe-redis";
import { useRedis } from "./redis-server";

describeRedis("RedisIdempotencyStore", () => {
  const local = useRedis();

  idempotencyStoreContract("RedisIdempotencyStore", () => ({
    make: (doneTtlMs) => new RedisIdempotencyStore(local.client, doneTtlMs === undefined ? {} : { doneTtlMs }),
    pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }));

  it("keeps every key under the hash-tagged prefix, with the lease and done TTLs", async () => {
    const store = new RedisIdempotencyStore(local.client, { keyPrefix: "{shop}:idem:", doneTtlMs: 50_000 });
    const claim = await store.claim("evt_keys", 20_000);
    if (claim.status !== "claimed") throw new Error("expected a claim");
    expect(await local.client.keys("{shop}:*")).toEqual(["{shop}:idem:evt_keys"]);
    expect(await local.client.pttl("{shop}:idem:evt_keys")).toBeGreaterThan(15_000);
    await store.commit("evt_keys", claim.token);
    expect(await local.client.get("{shop}:idem:evt_keys")).toBe("done");
    expect(await local.client.pttl("{shop}:idem:evt_keys")).toBeGreaterThan(45_000);
  });

  it("keeps two prefixes apart on one Redis", async () => {
    const a = new RedisIdempotencyStore(local.client, { keyPrefix: "{a}:" });
    const b = new RedisIdempotencyStore(local.client, { keyPrefix: "{b}:" });
    expect((await a.claim("evt_shared", 10_000)).status).toBe("claimed");
    expect((await b.claim("evt_shared", 10_000)).status).toBe("claimed");
  });

  it("throws the Redis error when Redis is down, so the receiver answers 503", async () => {
    const down = new Redis({ port: 1, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const store = new RedisIdempotencyStore(down);
    await expect(store.claim("evt_down", 1_000)).rejects.toThrow();
    // Through a receiver: the claim fails, nothing runs, and the answer is 503 with Retry-After.
    const handler = new ControlledHandler({ idempotency: store });
    const answer = await handler.handle(shipped("evt_down")).then(handledAnswer, errorAnswer);
    expect(answer.status).toBe(503);
    expect(answer.outcome).toBe("idempotency_store_failed");
    expect(answer.headers["retry-after"]).toBe("30");
    expect(handler.runsOf("evt_down")).toBe(0);
    down.disconnect();
  });

  it("refuses what is not an ioredis client", () => {
    expect(() => new RedisIdempotencyStore({} as Redis)).toThrow(CactusConfigError);
    expect(() => new RedisIdempotencyStore(local.client, { doneTtlMs: 0 })).toThrow(/doneTtlMs must be an integer > 0/);
  });
});
