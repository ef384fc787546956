import Redis from "ioredis";
import { CactusIdempotencyError, CactusLeaseExpiredError } from "../../lib/errors";
import { CactusQueue } from "../../lib/bullmq";
import { answerDashboardApi, deadLetterRoutes } from "../../lib/emulator/dashboard";
import type { DashboardContext } from "../../lib/emulator/dashboard/api";
import { CactusEmulator } from "../../lib/emulator";
import { DeliveryLog } from "../../lib/emulator/forwarder";
import type { CactusInstrumentation, CommitFailure } from "../../lib/observability";
import { cactusPrometheus } from "../../lib/prometheus";
import { RedisIdempotencyStore } from "../../lib/redis";
import { Registry } from "prom-client";
import { errorAnswer, handledAnswer } from "../../lib/webhooks/status-table";
import { ControlledHandler, eventually, shipped } from "../delivery/controlled-handler";
import { describeRedis } from "./describe-redis";
import { useRedis } from "./redis-server";

describeRedis("a hung Redis (SIGSTOP) answers every delivery: each Redis call has its own deadline", () => {
  const local = useRedis();
  // The client settings the store's docs recommend.
  const client = (): Redis => {
    const redis = new Redis(local.url, { maxRetriesPerRequest: 1 });
    redis.on("error", () => undefined);
    return redis;
  };

  it("claim: 503 idempotency_store_failed with Retry-After, nothing runs; the late claim is let go", async () => {
    const redis = client();
    const store = new RedisIdempotencyStore(redis, { timeoutMs: 200 });
    const handler = new ControlledHandler({ idempotency: store, onError: () => undefined });
    await redis.ping();
    local.pause();
    try {
      const answer = await handler.handle(shipped("evt_hung_claim")).then(handledAnswer, errorAnswer);
      expect(answer.status).toBe(503);
      expect(answer.outcome).toBe("idempotency_store_failed");
      expect(answer.headers["retry-after"]).toBe("30");
      expect(handler.runsOf("evt_hung_claim")).toBe(0);
    } finally {
      local.resume();
    }
    // Redis ran the claim once it woke up; the store releases that orphan lease, so the redelivery runs.
    await eventually(async () => (await local.client.exists(store.keyOf("evt_hung_claim"))) === 0, 10_000, "the late claim to be released");
    const again = await handler.handle(shipped("evt_hung_claim")).then(handledAnswer, errorAnswer);
    expect(again.status).toBe(200);
    expect(handler.runsOf("evt_hung_claim")).toBe(1);
    redis.disconnect();
  });

  it("commit: the handler's success is answered, the stuck commit goes to onError and the instrumentation", async () => {
    const redis = client();
    const store = new RedisIdempotencyStore(redis, { timeoutMs: 200 });
    const reported: unknown[] = [];
    const failures: CommitFailure[] = [];
    const instrumentation: CactusInstrumentation = { commitFailed: (failure) => failures.push(failure) };
    const handler = new ControlledHandler({ idempotency: store, onError: (error) => reported.push(error), instrumentation });
    handler.hold();
    const running = handler.handle(shipped("evt_hung_commit")).then(handledAnswer, errorAnswer);
    await handler.started();
    local.pause();
    try {
      handler.releaseHeld();
      const answer = await running;
      expect(answer.status).toBe(200);
    } finally {
      local.resume();
    }
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(CactusIdempotencyError);
    expect(String((reported[0] as Error).message)).toContain("evt_hung_commit");
    expect(failures).toEqual([{ reason: "store_failed", typeLabel: "order.shipped", eventId: "evt_hung_commit" }]);
    redis.disconnect();
  });

  it("the dashboard's dead-letter tab answers 503 instead of waiting", async () => {
    const redis = client();
    const queue = new CactusQueue({ connection: redis, name: `hung-${process.pid}` });
    const emulator = new CactusEmulator({ seed: false });
    const context: DashboardContext = { emulator, log: new DeliveryLog(), forwarder: undefined };
    const routes = deadLetterRoutes(queue.deadLetters, { timeoutMs: 200 });
    expect((await answerDashboardApi(context, { method: "GET", path: "/dead-letters", query: new URLSearchParams(), body: undefined }, routes)).status).toBe(200);
    local.pause();
    try {
      const answer = await answerDashboardApi(context, { method: "GET", path: "/dead-letters", query: new URLSearchParams(), body: undefined }, routes);
      expect(answer.status).toBe(503);
      expect(JSON.stringify(answer.body)).toContain("within 200 ms");
    } finally {
      local.resume();
    }
    await queue.close({ timeoutMs: 2_000 });
    redis.disconnect();
  });
});

describeRedis("a commit after the lease expired (RedisIdempotencyStore)", () => {
  const local = useRedis();

  async function expired(store: RedisIdempotencyStore, id: string): Promise<void> {
    await eventually(async () => (await local.client.exists(store.keyOf(id))) === 0, 10_000, `the lease of ${id} to expire`);
  }

  it("records the event when nobody took it meanwhile, and says so", async () => {
    const store = new RedisIdempotencyStore(local.client);
    const claim = await store.claim("evt_late_free", 30);
    if (claim.status !== "claimed") throw new Error("expected a claim");
    await expired(store, "evt_late_free");
    const error: unknown = await store.commit("evt_late_free", claim.token).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CactusLeaseExpiredError);
    expect(error).toMatchObject({ code: "idempotency_lease_expired", eventId: "evt_late_free", outcome: "recorded" });
    expect(await local.client.get(store.keyOf("evt_late_free"))).toBe("done");
    expect((await store.claim("evt_late_free", 1_000)).status).toBe("duplicate");
  });

  it("leaves another delivery's lease alone and says the handler may run twice", async () => {
    const store = new RedisIdempotencyStore(local.client);
    const first = await store.claim("evt_late_taken", 30);
    if (first.status !== "claimed") throw new Error("expected a claim");
    await expired(store, "evt_late_taken");
    const second = await store.claim("evt_late_taken", 10_000);
    expect(second.status).toBe("claimed");
    const error: unknown = await store.commit("evt_late_taken", first.token).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: "idempotency_lease_expired", outcome: "held_elsewhere" });
    expect(String((error as Error).message)).toMatch(/may run again/);
    expect(await local.client.get(store.keyOf("evt_late_taken"))).toMatch(/^lease:/);
  });

  it("through a handler: reported (onError + instrumentation), recorded, and a resend runs nothing", async () => {
    const store = new RedisIdempotencyStore(local.client);
    const reported: unknown[] = [];
    const failures: CommitFailure[] = [];
    const metrics = cactusPrometheus({ registry: new Registry() });
    const handler = new ControlledHandler({ idempotency: store, leaseMs: 30, onError: (error) => reported.push(error), instrumentation: [metrics, { commitFailed: (failure) => failures.push(failure) }] });
    handler.hold();
    const running = handler.handle(shipped("evt_late_handler"));
    await handler.started();
    await expired(store, "evt_late_handler");
    handler.releaseHeld();
    expect((await running).outcome).toBe("handled");
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).cause).toBeInstanceOf(CactusLeaseExpiredError);
    expect(failures).toEqual([{ reason: "lease_expired_recorded", typeLabel: "order.shipped", eventId: "evt_late_handler" }]);
    expect(await metrics.registry.metrics()).toContain('cactus_idempotency_commit_failures_total{reason="lease_expired_recorded"} 1');
    expect((await handler.handle(shipped("evt_late_handler"))).outcome).toBe("duplicate");
    expect(handler.runsOf("evt_late_handler")).toBe(1);
  });
});
