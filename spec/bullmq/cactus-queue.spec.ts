import { Registry } from "prom-client";
import { cactusPrometheus } from "../../lib/prometheus";
import { CactusValidationError, createNodeMiddleware, CactusShuttingDownError } from "../../lib";
import { CactusQueue, CactusQueueUnavailableError, jobIdOf, type CactusJobData } from "../../lib/bullmq";
import { RedisIdempotencyStore } from "../../lib/redis";
import { ControlledHandler, eventually, shipped } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";
import { listen } from "../webhooks/helpers/server";
import { SECRET, signedDelivery } from "../webhooks/helpers/fixtures";
import { RecordingLogger } from "../observability/helpers/recording-logger";

const quiet = (): void => undefined;
let counter = 0;
const uniqueName = (): string => `q${process.pid}x${(counter += 1)}`;

describeRedis("CactusQueue", () => {
  const local = useRedis();
  const open: CactusQueue[] = [];
  const queueOn = (name = uniqueName()): CactusQueue => {
    const queue = new CactusQueue({ connection: local.url, name });
    open.push(queue);
    return queue;
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map((queue) => queue.close({ timeoutMs: 2_000 })));
  });

  it("stores the verified event as a job whose id is the event id, and collapses a second delivery", async () => {
    const queue = queueOn();
    const result = await queue.receive(shipped("evt_q1"), { deliveryId: "evt_q1", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", correlationId: "corr-1" });
    expect(result.outcome).toBe("queued");
    expect(result.event.id).toBe("evt_q1");
    await queue.receive(shipped("evt_q1"));
    expect(await queue.bullmq.getJobCountByTypes("wait", "delayed", "active")).toBe(1);
    const job = await queue.bullmq.getJob("evt_q1");
    const data = job?.data as CactusJobData;
    expect(data.event).toEqual(JSON.parse(shipped("evt_q1")));
    expect(data).toMatchObject({ deliveryId: "evt_q1", correlationId: "corr-1", traceparent: expect.stringMatching(/^00-/) });
    expect(Date.parse(data.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await local.client.keys("{cactus}:*")).not.toHaveLength(0);
  });

  it("is a metrics source: cactus_queue_jobs{state} and cactus_dead_letters come from it", async () => {
    const queue = queueOn();
    await queue.receive(shipped("evt_m1"));
    await queue.receive(shipped("evt_m2"));
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 2 });
    expect(await queue.deadLetterCount()).toBe(0);
    const registry = new Registry();
    cactusPrometheus({ registry, queue });
    const page = await registry.metrics();
    expect(page).toMatch(/cactus_queue_jobs\{state="waiting"\} 2/);
    expect(page).toMatch(/cactus_dead_letters 0/);
  });

  it("refuses an invalid known event (400) and stores nothing", async () => {
    const queue = queueOn();
    const bad = JSON.stringify({ id: "evt_bad", type: "order.shipped", related_object: { id: "mov_1", type: "movie" } });
    await expect(queue.receive(bad)).rejects.toBeInstanceOf(CactusValidationError);
    expect(await queue.bullmq.getJob("evt_bad")).toBeUndefined();
  });

  it("encodes event ids BullMQ cannot take as job ids, one job per event", () => {
    expect(jobIdOf("evt_1")).toBe("evt_1");
    expect(jobIdOf("123")).not.toBe("123");
    expect(jobIdOf("a:b")).not.toContain(":");
    expect(jobIdOf("a:b")).not.toBe(jobIdOf("a:c"));
  });

  it("answers 503 queue_unavailable with Retry-After, within its bound, when Redis is down", async () => {
    const queue = new CactusQueue({ connection: { host: "127.0.0.1", port: 1, retryStrategy: () => 200 }, name: uniqueName(), addTimeoutMs: 300 });
    open.push(queue);
    const started = Date.now();
    await expect(queue.receive(shipped("evt_down"))).rejects.toBeInstanceOf(CactusQueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
    const app = await listen(createNodeMiddleware(queue, { webhookSecret: SECRET, onError: quiet }));
    try {
      const { body, headers } = signedDelivery(shipped("evt_down"));
      const response = await fetch(`${app.url}/webhooks`, { method: "POST", body, headers: { ...headers, "content-type": "application/json" } });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe("queue_unavailable");
    } finally {
      await app.close();
    }
  });

  it("answers queue_unavailable when Redis is slower than addTimeoutMs (nothing acknowledged early)", async () => {
    const queue = new CactusQueue({ connection: local.url, name: uniqueName(), addTimeoutMs: 300 });
    open.push(queue);
    await queue.bullmq.waitUntilReady();
    await local.client.call("CLIENT", "PAUSE", "1500", "WRITE");
    const started = Date.now();
    await expect(queue.receive(shipped("evt_slow_redis"))).rejects.toBeInstanceOf(CactusQueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_400);
    await local.client.call("CLIENT", "UNPAUSE");
  });

  it("answers 202 queued through the Node middleware, 400 for bad input, 503 shutting_down once closed", async () => {
    const queue = queueOn();
    const app = await listen(createNodeMiddleware(queue, { webhookSecret: SECRET, onError: quiet }));
    const post = async (text: string): Promise<Response> => {
      const { body, headers } = signedDelivery(text);
      return fetch(`${app.url}/webhooks`, { method: "POST", body, headers: { ...headers, "content-type": "application/json" } });
    };
    try {
      const ok = await post(shipped("evt_http"));
      expect(ok.status).toBe(202);
      expect(await ok.json()).toEqual({ ok: true, id: "evt_http", handledBy: "", queued: true });
      const bad = await post(JSON.stringify({ id: "evt_http_bad", type: "order.shipped" }));
      expect(bad.status).toBe(400);
      expect(await queue.bullmq.getJob("evt_http_bad")).toBeUndefined();
      await queue.close();
      const late = await post(shipped("evt_late"));
      expect(late.status).toBe(503);
      expect(((await late.json()) as { error: { type: string } }).error.type).toBe("shutting_down");
      await expect(queue.receive(shipped("evt_late"))).rejects.toBeInstanceOf(CactusShuttingDownError);
    } finally {
      await app.close();
    }
  });

  it("runs each job once through the handler, retrying failures with backoff", async () => {
    const queue = queueOn();
    const logger = new RecordingLogger();
    const handler = new ControlledHandler({ logger });
    handler.failuresLeft = 2;
    const worker = queue.work(handler, { attempts: 3, backoff: 10, onError: quiet });
    await queue.receive(shipped("evt_retry"));
    await eventually(() => handler.successes.get("evt_retry") === 1, 10_000, "the third attempt");
    expect(handler.runsOf("evt_retry")).toBe(3);
    // Each failed attempt is one error line saying which attempt it was.
    expect(logger.lines.filter((line) => line.level === "error").map((line) => line.message)).toEqual([
      expect.stringContaining("(attempt 1/3; next attempt in"),
      expect.stringContaining("(attempt 2/3; next attempt in"),
    ]);
    await eventually(async () => (await queue.bullmq.getJob("evt_retry")) === undefined, 5_000, "the completed job's removal");
    expect(await queue.deadLetters.count()).toBe(0);
    await worker.close();
  });

  it("runs nothing for a duplicate that arrives after the job was removed (the worker claims)", async () => {
    const queue = queueOn();
    const handler = new ControlledHandler();
    queue.work(handler, { onError: quiet });
    await queue.receive(shipped("evt_dup"));
    await eventually(async () => handler.runsOf("evt_dup") === 1 && (await queue.bullmq.getJob("evt_dup")) === undefined, 10_000, "the first run");
    await queue.receive(shipped("evt_dup"));
    await eventually(async () => (await queue.bullmq.getCompletedCount()) === 0 && (await queue.bullmq.getJobCountByTypes("wait", "active", "delayed")) === 0, 10_000, "the duplicate job");
    expect(handler.runsOf("evt_dup")).toBe(1);
  });

  it("waits, without using an attempt, while another delivery holds the event", async () => {
    const queue = queueOn();
    const store = new RedisIdempotencyStore(local.client, { keyPrefix: `${queue.prefix}:idem:` });
    // Another process claimed it and died: its lease expires in 1.5 s.
    expect((await store.claim("evt_held", 1_500)).status).toBe("claimed");
    const handler = new ControlledHandler();
    queue.work(handler, { attempts: 1, onError: quiet });
    await queue.receive(shipped("evt_held"));
    await eventually(async () => (await queue.bullmq.getJob("evt_held"))?.isDelayed() ?? false, 10_000, "the delayed job");
    expect(handler.runsOf("evt_held")).toBe(0);
    await eventually(() => handler.successes.get("evt_held") === 1, 10_000, "the run after the lease expired");
    expect(await queue.deadLetters.count()).toBe(0);
  });

  it("moves a job whose every attempt failed to the dead letters, with each attempt's error; replay and purge", async () => {
    const queue = queueOn();
    const logger = new RecordingLogger();
    const handler = new ControlledHandler({ logger });
    handler.failuresLeft = 3;
    queue.work(handler, { attempts: 3, backoff: { type: "fixed", delayMs: 5 }, onError: quiet });
    await queue.receive(shipped("evt_dead"), { deliveryId: "evt_dead" });
    await eventually(async () => (await queue.deadLetters.count()) === 1, 10_000, "the dead letter");
    const letter = await queue.deadLetters.get("evt_dead");
    expect(letter).toMatchObject({ id: "evt_dead", type: "order.shipped", attempts: 3, deliveryId: "evt_dead", event: JSON.parse(shipped("evt_dead")) });
    expect(letter?.errors.map((error) => [error.attempt, error.code, error.message])).toEqual([1, 2, 3].map((attempt) => [attempt, "handler_failed", expect.stringContaining("planned failure of evt_dead")]));
    expect(letter?.errors[0]?.stack).toContain("CactusHandlerError");
    expect(Date.parse(letter?.deadAt ?? "")).toBeGreaterThanOrEqual(Date.parse(letter?.receivedAt ?? ""));
    expect((await queue.deadLetters.list()).map((entry) => entry.id)).toEqual(["evt_dead"]);
    expect(await queue.deadLetters.get("evt_unknown")).toBeUndefined();
    // A redelivery while it is dead adds nothing: it waits for a replay.
    await queue.receive(shipped("evt_dead"));
    expect(handler.runsOf("evt_dead")).toBe(3);

    expect(await queue.deadLetters.replay("evt_dead")).toEqual(["evt_dead"]);
    await eventually(() => handler.successes.get("evt_dead") === 1, 10_000, "the replayed run");
    expect(await queue.deadLetters.count()).toBe(0);

    handler.failuresLeft = 6;
    await queue.receive(shipped("evt_dead_a"));
    await queue.receive(shipped("evt_dead_b"));
    await eventually(async () => (await queue.deadLetters.count()) === 2, 10_000, "two dead letters");
    expect(await queue.deadLetters.purge()).toBe(2);
    expect(await queue.deadLetters.list()).toEqual([]);
    const failures = logger.lines.filter((line) => line.level === "error").map((line) => line.message);
    expect(failures).toHaveLength(9);
    expect(failures.filter((message) => message.includes("no attempt left: now a dead letter"))).toHaveLength(3);
  });

  it("sends bad input straight to the dead letters (retrying cannot fix it)", async () => {
    const queue = queueOn();
    queue.work(new ControlledHandler(), { attempts: 5, onError: quiet });
    // Stored by another producer without validation: the worker's parse fails.
    await queue.bullmq.add("order.shipped", { event: { id: "evt_raw_bad", type: "order.shipped" }, receivedAt: new Date().toISOString() }, { jobId: "evt_raw_bad", removeOnFail: false });
    await eventually(async () => (await queue.deadLetters.count()) === 1, 10_000, "the dead letter");
    expect((await queue.deadLetters.get("evt_raw_bad"))?.errors.map((error) => error.code)).toEqual(["validation_failed"]);
  });

  it("close() lets the running job finish before the worker stops, then refuses new work", async () => {
    const queue = queueOn();
    const handler = new ControlledHandler();
    handler.hold();
    const worker = queue.work(handler, { onError: quiet });
    await queue.receive(shipped("evt_slow"));
    await handler.started();
    const closing = queue.close({ timeoutMs: 5_000 });
    await expect(queue.receive(shipped("evt_after"))).rejects.toBeInstanceOf(CactusShuttingDownError);
    setTimeout(() => handler.releaseHeld(), 100);
    expect(await closing).toEqual({ unfinished: 0 });
    expect(handler.successes.get("evt_slow")).toBe(1);
    expect(worker.running).toBe(0);
  });

  it("close() past its deadline leaves the running job to another worker: nothing lost", async () => {
    const name = uniqueName();
    const first = queueOn(name);
    const logger = new RecordingLogger();
    const stuck = new ControlledHandler({ leaseMs: 1_000, logger });
    stuck.hold();
    first.work(stuck, { lockDurationMs: 1_000, stalledIntervalMs: 500, onError: quiet });
    await first.receive(shipped("evt_stuck"));
    await stuck.started();
    expect(await first.close({ timeoutMs: 200 })).toEqual({ unfinished: 1 });

    const second = queueOn(name);
    const rescuer = new ControlledHandler();
    second.work(rescuer, { lockDurationMs: 1_000, stalledIntervalMs: 500, onError: quiet });
    await eventually(() => rescuer.successes.get("evt_stuck") === 1, 15_000, "the run on the second worker");
    stuck.releaseHeld();
    expect(await second.deadLetters.count()).toBe(0);
    // The first worker's late finish cannot be recorded (its lease is gone): said on its logger.
    await eventually(() => logger.lines.some((line) => line.level === "error" && line.message.includes("after the handler ran (a worker answers nobody)")), 5_000, "the late commit's report");
  });
});
