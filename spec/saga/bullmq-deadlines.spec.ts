// Saga deadlines as BullMQ delayed jobs, on a real Redis, with the store on PGlite: the job fires
// the deadline at its due time, once (two workers and the poller racing), a cancelled or early
// one fires nothing, and a lost job is caught by the poller.
import { PGlite } from "@electric-sql/pglite";
import { CactusClient, type OrderDeliveryAttemptedPushedEvent, type OrderShippedPushedEvent } from "../../lib";
import { CactusQueue, SagaDeadlineJobs, sagaDeadlineJobId, type SagaDeadlineJobResult, type SagaDeadlineWorker } from "../../lib/bullmq";
import { PostgresEventStore } from "../../lib/postgres";
import { CactusSaga, type SagaContext, type SagaDeadlineTrigger } from "../../lib/saga";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";

const client = new CactusClient({ apiKey: "sk_test_saga", baseUrl: "http://127.0.0.1:9" });

interface Watching {
  readonly attempts: number;
  readonly timeouts: number;
}

/** Expects a delivery attempt within `within` ms of the shipment; `onTimeout` counts what fired. */
class Watch extends CactusSaga<Watching> {
  override readonly sagaName = "watch";
  within = 150;
  /** How many times `onTimeout` expects again (a deadline set by a deadline). */
  again = 0;
  readonly fired: string[] = [];
  override initialState(): Watching {
    return { attempts: 0, timeouts: 0 };
  }
  override async onOrderShipped(_event: OrderShippedPushedEvent, state: Watching, context: SagaContext<Watching>): Promise<Watching> {
    context.expect("order.delivery_attempted", { within: this.within, name: "delivery-news" });
    return state;
  }
  override async onOrderDeliveryAttempted(_event: OrderDeliveryAttemptedPushedEvent, state: Watching): Promise<Watching> {
    return { ...state, attempts: state.attempts + 1 };
  }
  override async onTimeout(name: string, state: Watching, context: SagaContext<Watching>): Promise<Watching> {
    this.fired.push(`${context.objectId}:${name}`);
    if (this.again > 0) {
      this.again -= 1;
      context.expect("order.delivery_attempted", { within: this.within, name: "second-call" });
    }
    return { ...state, timeouts: state.timeouts + 1 };
  }
}

const shipped = (objectId: string, id = `evt_ship_${objectId}`) => ({ id, type: "order.shipped", related_object: { id: objectId, type: "order" } });
const attempted = (objectId: string) => ({ id: `evt_try_${objectId}`, type: "order.delivery_attempted", related_object: { id: objectId, type: "order" } });

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`waited 10 s for ${what}`);
}

describeRedis("saga deadlines as BullMQ delayed jobs (Redis + PGlite)", () => {
  const redis = useRedis();
  let db: PGlite;
  let queue: CactusQueue;
  let jobs: SagaDeadlineJobs;
  let store: PostgresEventStore;
  let saga: Watch;
  let workers: SagaDeadlineWorker[];
  let errors: unknown[];
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (_fields: unknown, message?: string) => void warnings.push(String(message)), error() {} };
  let run = 0;

  beforeAll(async () => {
    db = new PGlite();
  });
  afterAll(async () => {
    await db.close();
  });

  beforeEach(async () => {
    run += 1;
    errors = [];
    workers = [];
    warnings.length = 0;
    queue = new CactusQueue({ connection: redis.url, name: `deadlines-${run}` });
    jobs = new SagaDeadlineJobs(queue, { addTimeoutMs: 300 });
    store = new PostgresEventStore({ db, transactional: true, schema: `deadlines_${run}`, sagaDeadlines: jobs });
    await store.migrate();
    saga = new Watch(client, { idempotency: store, logger });
  });
  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await jobs.close();
    await queue.close();
    expect(errors).toEqual([]);
  });

  const work = (): SagaDeadlineWorker => {
    const worker = jobs.work(store, { concurrency: 2, onError: (error) => errors.push(error) });
    workers.push(worker);
    return worker;
  };
  const completions = (worker: SagaDeadlineWorker, seen: SagaDeadlineJobResult[] = []): SagaDeadlineJobResult[] => {
    worker.bullmq.on("completed", (_job, result) => seen.push(result));
    return seen;
  };
  const triggerOf = async (objectId: string): Promise<SagaDeadlineTrigger> => {
    const deadline = (await store.saga("watch", objectId))?.deadlines[0];
    if (deadline === undefined) throw new Error(`no deadline pending for ${objectId}`);
    return { saga: "watch", objectId, name: deadline.name, dueMs: deadline.dueAt.getTime() };
  };

  it("adds a delayed job once the event committed, and the job fires the deadline (no poller running)", async () => {
    await saga.handle(shipped("ord_1"));
    const trigger = await triggerOf("ord_1");
    const job = await jobs.bullmq.getJob(sagaDeadlineJobId(trigger));
    expect(job?.data).toEqual(trigger);
    expect(await job?.getState()).toBe("delayed");
    const done = completions(work());
    await until(() => done.length === 1, "the deadline job");
    expect(done).toEqual([{ outcome: "fired" }]);
    expect(saga.fired).toEqual(["ord_1:delivery-news"]);
    const instance = await store.saga<Watching>("watch", "ord_1");
    expect(instance?.state.timeouts).toBe(1);
    expect(instance?.deadlines).toEqual([]);
    expect(instance?.history.filter((line) => line.outcome === "timeout")).toHaveLength(1);
  });

  it("fires each deadline once with two workers and the poller racing; scheduling twice adds one job", async () => {
    const ids = ["ord_a", "ord_b", "ord_c", "ord_d", "ord_e", "ord_f"];
    for (const id of ids) await saga.handle(shipped(id));
    // A second schedule of the same deadline (a retried after-commit hook) is the same job.
    await jobs.scheduleSagaDeadlines([await triggerOf("ord_a")]);
    expect(await jobs.bullmq.getDelayedCount()).toBe(ids.length);
    const done = completions(work(), completions(work()));
    const poller = store.startTimeouts({ intervalMs: 25, onError: (error) => errors.push(error) });
    await until(() => done.length === ids.length, "every deadline job");
    await poller.stop();
    expect(await store.runDueTimeouts()).toEqual({ fired: 0, failed: 0 });
    expect([...saga.fired].sort()).toEqual(ids.map((id) => `${id}:delivery-news`));
    for (const id of ids) {
      const instance = await store.saga<Watching>("watch", id);
      expect(instance?.state.timeouts).toBe(1);
      expect(instance?.history.filter((line) => line.outcome === "timeout")).toHaveLength(1);
    }
    // Each job fired its deadline, or found the poller had (gone): never both.
    for (const result of done) expect(["fired", "gone"]).toContain(result.outcome);
    expect(saga.metrics.timeouts).toBe(ids.length);
  });

  it("a cancelled deadline's job fires nothing, and a job that comes early fires nothing", async () => {
    saga.within = 3_600_000;
    await saga.handle(shipped("ord_c1"));
    const cancelled = await triggerOf("ord_c1");
    await saga.handle(attempted("ord_c1")); // the expected event came: the deadline is dropped
    await saga.handle(shipped("ord_e1"));
    const early = await triggerOf("ord_e1");
    expect(await store.fireSagaDeadline(early)).toBe("early");
    const done = completions(work());
    await (await jobs.bullmq.getJob(sagaDeadlineJobId(cancelled)))?.promote();
    await until(() => done.length === 1, "the cancelled deadline's job");
    expect(done).toEqual([{ outcome: "gone" }]);
    expect(saga.fired).toEqual([]);
    expect((await store.saga("watch", "ord_e1"))?.deadlines.map((deadline) => deadline.name)).toEqual(["delivery-news"]);
    expect((await store.saga<Watching>("watch", "ord_c1"))?.state).toEqual({ attempts: 1, timeouts: 0 });
  });

  it("a lost job is caught by the poller", async () => {
    await saga.handle(shipped("ord_lost"));
    const trigger = await triggerOf("ord_lost");
    await (await jobs.bullmq.getJob(sagaDeadlineJobId(trigger)))?.remove();
    expect(await jobs.bullmq.getDelayedCount()).toBe(0);
    expect(await store.runDueTimeouts({ now: new Date(trigger.dueMs + 1) })).toEqual({ fired: 1, failed: 0 });
    expect(saga.fired).toEqual(["ord_lost:delivery-news"]);
    expect(await store.fireSagaDeadline(trigger)).toBe("gone");
  });

  it("schedules the deadline an onTimeout sets, once its own transaction committed", async () => {
    saga.again = 1;
    await saga.handle(shipped("ord_2"));
    const done = completions(work());
    await until(() => done.length === 2, "both deadline jobs");
    expect(done).toEqual([{ outcome: "fired" }, { outcome: "fired" }]);
    expect(saga.fired).toEqual(["ord_2:delivery-news", "ord_2:second-call"]);
  });

  it("Redis down when scheduling: the event is still handled, a warning says so, and the poller fires the deadline", async () => {
    redis.pause();
    try {
      const result = await saga.handle(shipped("ord_down"));
      expect(result.outcome).toBe("handled");
    } finally {
      redis.resume();
    }
    expect(warnings).toEqual([expect.stringMatching(/saga watch: could not schedule 1 deadline\(s\) .*store\.startTimeouts\(\) fires them when due/)]);
    const trigger = await triggerOf("ord_down");
    expect(await store.runDueTimeouts({ now: new Date(trigger.dueMs + 1) })).toEqual({ fired: 1, failed: 0 });
    expect(saga.fired).toEqual(["ord_down:delivery-news"]);
    // The add Redis ran once it woke up is a job like any other: it finds the deadline fired.
    await until(async () => (await jobs.bullmq.getJob(sagaDeadlineJobId(trigger))) !== undefined, "the late add");
    expect(await store.fireSagaDeadline(trigger)).toBe("gone");
  });
});

describe("saga deadline jobs: bad options", () => {
  it("refuses a sagaDeadlines without scheduleSagaDeadlines, and SagaDeadlineJobs without a CactusQueue", async () => {
    const db = new PGlite();
    // @ts-expect-error a plain object is not a scheduler
    expect(() => new PostgresEventStore({ db, transactional: true, sagaDeadlines: {} })).toThrow(/sagaDeadlines must have a scheduleSagaDeadlines method/);
    // @ts-expect-error a URL is not a CactusQueue
    expect(() => new SagaDeadlineJobs("redis://127.0.0.1:6379")).toThrow(/SagaDeadlineJobs needs a CactusQueue/);
    await db.close();
  });
});
