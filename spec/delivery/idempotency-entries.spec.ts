// Idempotency through every entry (handle, handleWebhook, the Node middleware, the queue worker)
// and with both stores: first delivery runs (200); a duplicate after success runs nothing (200,
// duplicate); a duplicate while the first runs answers 409 in_progress with Retry-After; a failure
// releases (500) and the redelivery runs.
import { createNodeMiddleware, MemoryIdempotencyStore, type IdempotencyStore } from "../../lib";
import { CactusQueue } from "../../lib/bullmq";
import { RedisIdempotencyStore } from "../../lib/redis";
import { errorAnswer, handledAnswer } from "../../lib/webhooks/status-table";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";
import { SECRET, signedDelivery } from "../webhooks/helpers/fixtures";
import { listen, type TestServer } from "../webhooks/helpers/server";
import { ControlledHandler, eventually, shipped } from "./controlled-handler";
import { RecordingLogger } from "../observability/helpers/recording-logger";

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly retryAfter: string | undefined;
}

type Entry = (handler: ControlledHandler, id: string) => Promise<Answer>;

const quiet = (): void => undefined;

// handle and handleWebhook answer through the same status table the middleware uses.
async function viaTable(run: () => Promise<Parameters<typeof handledAnswer>[0]>): Promise<Answer> {
  const answer = await run().then(handledAnswer, errorAnswer);
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown>, retryAfter: answer.headers["retry-after"] };
}

const servers = new Map<ControlledHandler, TestServer>();
const entries: Record<string, Entry> = {
  handle: (handler, id) => viaTable(() => handler.handle(shipped(id))),
  handleWebhook: (handler, id) => {
    const { body, headers } = signedDelivery(shipped(id));
    return viaTable(() => handler.handleWebhook(body, headers));
  },
  "Node middleware": async (handler, id) => {
    let server = servers.get(handler);
    if (server === undefined) {
      server = await listen(createNodeMiddleware(handler, { webhookSecret: SECRET, onError: quiet }));
      servers.set(handler, server);
    }
    const { body, headers } = signedDelivery(shipped(id));
    const response = await fetch(`${server.url}/webhooks`, { method: "POST", body, headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, retryAfter: response.headers.get("retry-after") ?? undefined };
  },
};

let counter = 0;
const freshId = (): string => `evt_entry_${process.pid}_${(counter += 1)}`;

function entrySuite(storeName: string, makeStore: () => IdempotencyStore): void {
  describe.each(Object.keys(entries))(`%s with ${storeName}`, (entryName) => {
    const deliver = entries[entryName] as Entry;
    let handler: ControlledHandler;
    beforeEach(() => {
      handler = new ControlledHandler({ idempotency: makeStore(), webhookSecret: SECRET, onError: quiet });
    });
    afterEach(async () => {
      handler.releaseHeld();
      await servers.get(handler)?.close();
      servers.delete(handler);
    });

    it("runs the first delivery (200) and nothing for a duplicate after success (200, duplicate)", async () => {
      const id = freshId();
      const first = await deliver(handler, id);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ ok: true, id, handledBy: "onOrderShipped" });
      const again = await deliver(handler, id);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ok: true, id, handledBy: "", duplicate: true });
      expect(handler.runsOf(id)).toBe(1);
    });

    it("answers 409 in_progress with Retry-After to a duplicate while the first runs", async () => {
      const id = freshId();
      handler.hold();
      const first = deliver(handler, id);
      await handler.started();
      const second = await deliver(handler, id);
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ error: { type: "in_progress", eventId: id } });
      expect(Number(second.retryAfter)).toBeGreaterThan(0);
      handler.releaseHeld();
      expect((await first).status).toBe(200);
      expect(handler.runsOf(id)).toBe(1);
    });

    it("releases the claim after a failure (500) so the redelivery runs", async () => {
      const id = freshId();
      handler.failuresLeft = 1;
      const failed = await deliver(handler, id);
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ error: { type: "handler_failed", eventId: id } });
      const redelivered = await deliver(handler, id);
      expect(redelivered.status).toBe(200);
      expect(redelivered.body).toEqual({ ok: true, id, handledBy: "onOrderShipped" });
      expect(handler.runsOf(id)).toBe(2);
      expect(handler.successes.get(id)).toBe(1);
    });
  });
}

entrySuite("MemoryIdempotencyStore", () => new MemoryIdempotencyStore());

describeRedis("with Redis", () => {
  const local = useRedis();

  entrySuite("RedisIdempotencyStore", () => new RedisIdempotencyStore(local.client));

  // The queue worker: the same three promises, as a worker sees them (no HTTP answer: a
  // duplicate completes without running, a held event waits, a failure is retried).
  describe.each([
    ["RedisIdempotencyStore (the default)", (): IdempotencyStore | undefined => undefined],
    ["MemoryIdempotencyStore", (): IdempotencyStore | undefined => new MemoryIdempotencyStore()],
  ])("queue worker with %s", (_name, makeStore) => {
    let queue: CactusQueue;
    let handler: ControlledHandler;
    let logger: RecordingLogger;
    let store: IdempotencyStore | undefined;
    beforeEach(() => {
      queue = new CactusQueue({ connection: local.url, name: `entries${(counter += 1)}` });
      logger = new RecordingLogger();
      handler = new ControlledHandler({ onError: quiet, logger });
      store = makeStore();
      queue.work(handler, { attempts: 3, backoff: 10, onError: quiet, ...(store === undefined ? {} : { idempotency: store }) });
    });
    afterEach(async () => {
      handler.releaseHeld();
      await queue.close({ timeoutMs: 2_000 });
    });
    const drained = async (): Promise<boolean> => (await queue.bullmq.getJobCountByTypes("wait", "active", "delayed", "completed")) === 0;

    it("runs the first job, and nothing for the same event queued again after success", async () => {
      const id = freshId();
      expect((await queue.receive(shipped(id))).outcome).toBe("queued");
      await eventually(async () => handler.successes.get(id) === 1 && (await drained()), 10_000, "the first run");
      await queue.receive(shipped(id));
      await eventually(drained, 10_000, "the duplicate job");
      expect(handler.runsOf(id)).toBe(1);
    });

    it("makes a job wait while another delivery holds its event, without using an attempt", async () => {
      const id = freshId();
      const holder = store ?? new RedisIdempotencyStore(local.client, { keyPrefix: `${queue.prefix}:idem:` });
      const held = await holder.claim(id, 1_200);
      if (held.status !== "claimed") throw new Error("expected a claim");
      await queue.receive(shipped(id));
      await eventually(async () => (await queue.bullmq.getJob(id))?.isDelayed() ?? false, 10_000, "the delayed job");
      expect(handler.runsOf(id)).toBe(0);
      await eventually(() => handler.successes.get(id) === 1, 10_000, "the run once the lease expired");
      expect(await queue.deadLetters.count()).toBe(0);
    });

    it("releases after a failure so the retry runs", async () => {
      const id = freshId();
      handler.failuresLeft = 1;
      await queue.receive(shipped(id));
      await eventually(() => handler.successes.get(id) === 1, 10_000, "the retry");
      expect(handler.runsOf(id)).toBe(2);
      expect(logger.lines.filter((line) => line.level === "error").map((line) => line.message)).toEqual([expect.stringContaining(`${id} handler failed: planned failure of ${id} (attempt 1/3; next attempt in`)]);
    });
  });
});

