import { CactusIdempotencyError, CactusLeaseExpiredError } from "../../lib/errors";
import { CactusQueue } from "../../lib/bullmq";
import type { CommitFailure } from "../../lib/observability";
import { RedisIdempotencyStore } from "../../lib/redis";
import { ControlledHandler, eventually, shipped } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";

const quiet = (): void => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };
let counter = 0;
const uniqueName = (): string => `w${process.pid}x${(counter += 1)}`;

describeRedis("the queue worker's default idempotency (claim awaited, commit ahead of the job's completion)", () => {
  const local = useRedis();
  const open: CactusQueue[] = [];
  const queueOn = (): CactusQueue => {
    const queue = new CactusQueue({ connection: local.url, name: uniqueName() });
    open.push(queue);
    return queue;
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map((queue) => queue.close({ timeoutMs: 2_000 })));
  });

  it("records the event done before BullMQ removes the completed job, and a later duplicate runs nothing", async () => {
    const queue = queueOn();
    const handler = new ControlledHandler();
    queue.work(handler, { onError: quiet });
    const key = `${queue.prefix}:idem:evt_order`;
    await queue.receive(shipped("evt_order"));
    // The commit goes out on the worker's connection ahead of the completion: once the job is gone, the key says done.
    await eventually(async () => (await queue.bullmq.getJob("evt_order")) === undefined && handler.runsOf("evt_order") === 1, 10_000, "the completed job's removal");
    expect(await local.client.get(key)).toBe("done");
    expect(await local.client.pttl(key)).toBeGreaterThan(60_000);
    await queue.receive(shipped("evt_order"));
    await eventually(async () => (await queue.bullmq.getJobCountByTypes("wait", "active", "delayed")) === 0 && (await queue.bullmq.getJob("evt_order")) === undefined, 10_000, "the duplicate job");
    expect(handler.runsOf("evt_order")).toBe(1);
  });

  it("reports a commit after the lease expired to onError and commitFailed, records the event and completes the job", async () => {
    const queue = queueOn();
    const reported: unknown[] = [];
    const failures: CommitFailure[] = [];
    const handler = new ControlledHandler({ leaseMs: 50, onError: (error) => reported.push(error), instrumentation: { commitFailed: (failure) => failures.push(failure) } });
    handler.hold();
    queue.work(handler, { onError: quiet });
    const key = `${queue.prefix}:idem:evt_slow`;
    const started = handler.started();
    await queue.receive(shipped("evt_slow"));
    await started;
    await eventually(async () => (await local.client.exists(key)) === 0, 5_000, "the lease to expire");
    handler.releaseHeld();
    await eventually(() => failures.length === 1, 10_000, "the commit failure");
    expect(failures).toEqual([{ reason: "lease_expired_recorded", typeLabel: "order.shipped", eventId: "evt_slow" }]);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(CactusIdempotencyError);
    expect((reported[0] as Error).cause).toBeInstanceOf(CactusLeaseExpiredError);
    await eventually(async () => (await queue.bullmq.getJob("evt_slow")) === undefined, 10_000, "the job's completion");
    expect(await local.client.get(key)).toBe("done");
    expect(await queue.deadLetters.count()).toBe(0);
    expect(handler.successes.get("evt_slow")).toBe(1);
  });

  it("refuses per-object ordering (only the event store keeps it): nothing runs", async () => {
    const queue = queueOn();
    const handler = new ControlledHandler({ ordering: "per-object", onError: quiet, logger: silent });
    queue.work(handler, { attempts: 1, onError: quiet });
    await queue.receive(shipped("evt_ordered"));
    await eventually(async () => (await queue.deadLetters.count()) === 1, 10_000, "the dead letter");
    expect(handler.runsOf("evt_ordered")).toBe(0);
  });
});

describeRedis("RedisIdempotencyStore sends EVALSHA, and the whole script when Redis does not know it", () => {
  const local = useRedis();

  it("claims, commits and releases after SCRIPT FLUSH (NOSCRIPT answered with EVAL)", async () => {
    const store = new RedisIdempotencyStore(local.client, { keyPrefix: "{noscript}:" });
    await local.client.script("FLUSH");
    const first = await store.claim("evt_flush_1", 10_000);
    if (first.status !== "claimed") throw new Error(`expected a claim, got ${first.status}`);
    await local.client.script("FLUSH");
    await store.commit("evt_flush_1", first.token);
    expect(await local.client.get("{noscript}:evt_flush_1")).toBe("done");
    await local.client.script("FLUSH");
    expect((await store.claim("evt_flush_1", 10_000)).status).toBe("duplicate");
    const second = await store.claim("evt_flush_2", 10_000);
    if (second.status !== "claimed") throw new Error(`expected a claim, got ${second.status}`);
    await local.client.script("FLUSH");
    await store.release("evt_flush_2", second.token);
    expect(await local.client.exists("{noscript}:evt_flush_2")).toBe(0);
  });
});
