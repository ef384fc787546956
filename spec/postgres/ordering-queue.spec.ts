import { CactusQueue } from "../../lib/bullmq";
import { CactusClient, CactusHandler, type BaseThinEvent, type CactusEventContext } from "../../lib";
import { eventually } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";
import { freshId } from "./event-handlers";
import { usePGlite } from "./store-under-test";

const quiet = (): void => undefined;

/** Records each run's attempt and replay flag, and any two runs of one order at once. */
class QueuedOrderHandler extends CactusHandler {
  readonly runs: { readonly id: string; readonly attempt: number; readonly replay: boolean | undefined }[] = [];
  readonly active = new Map<string, number>();
  overlaps = 0;

  override async onOther(event: BaseThinEvent, context: CactusEventContext): Promise<void> {
    const key = event.relatedObject?.id ?? "";
    const active = (this.active.get(key) ?? 0) + 1;
    this.active.set(key, active);
    if (active > 1) this.overlaps += 1;
    this.runs.push({ id: event.id, attempt: context.attempt, replay: context.replay });
    await new Promise((resolve) => setTimeout(resolve, 30));
    this.active.set(key, (this.active.get(key) ?? 1) - 1);
  }
}

describeRedis('ordering: "per-object" in the queue, and replays as jobs', () => {
  const redis = useRedis();
  const database = usePGlite();

  it("puts a job whose order is busy back as delayed without using an attempt; replays become jobs", async () => {
    const queue = new CactusQueue({ connection: redis.url, name: `ordered${process.pid}` });
    const store = database.store();
    const handler = new QueuedOrderHandler(new CactusClient({ apiKey: "sk_test_queue", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), {
      ordering: "per-object",
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      onError: quiet,
    });
    try {
      queue.work(handler, { idempotency: store, concurrency: 6, attempts: 2 });
      const orders = [freshId("ord"), freshId("ord")] as const;
      const ids = Array.from({ length: 12 }, () => freshId());
      for (const [at, id] of ids.entries()) {
        await queue.receive(JSON.stringify({ id, type: "test.queued", created: new Date(Date.UTC(2026, 11, 6, 10, at)).toISOString(), related_object: { id: orders[at % 2], type: "order" } }));
      }
      const handledCount = async (source: string): Promise<number> =>
        (await Promise.all(ids.map((id) => store.get(id)))).filter((record) => record?.attempts.some((attempt) => attempt.source === source && attempt.outcome === "handled")).length;
      await eventually(async () => (await handledCount("queue")) === 12, 20_000, "every job ran");
      expect(handler.overlaps).toBe(0);
      expect(handler.runs.every(({ attempt }) => attempt === 1)).toBe(true);
      for (const id of ids) expect((await store.get(id))?.attempts.map(({ outcome, source }) => [outcome, source])).toEqual([["handled", "queue"]]);
      const summary = await store.replay(queue, { objectId: orders[0] });
      expect(summary).toMatchObject({ matched: 6, ran: 6, succeeded: 6 });
      await eventually(async () => (await handledCount("replay")) === 6, 20_000, "the replays ran");
      expect(handler.runs.slice(12).every(({ replay }) => replay === true)).toBe(true);
      expect((await store.get(ids[0] ?? ""))?.attempts.map(({ source }) => source)).toEqual(["queue", "replay"]);
      expect(handler.overlaps).toBe(0);
    } finally {
      await queue.close({ timeoutMs: 2_000 });
    }
  }, 60_000);
});
