import { createHash } from "node:crypto";
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Cluster, Redis } from "ioredis";
import { CactusConfigError, CactusQueueUnavailableError, describeThrown } from "../errors";
import { formatConsoleLine, serializeError } from "../observability/logger";
import type { SagaDeadlineFirer, SagaDeadlineScheduler, SagaDeadlineTrigger, SagaFireOutcome } from "../saga/scheduler";
import type { CactusQueue } from "./cactus-queue";
import { closeRedis, openRedis } from "./connection";
import { shardPrefix } from "./shards";

/** Options of {@link SagaDeadlineJobs}. */
export interface SagaDeadlineJobsOptions {
  /** The BullMQ queue the deadline jobs go to (apart from the events'). Default `"<queue name>-saga-deadlines"`. */
  readonly name?: string;
  /** How long scheduling waits for Redis, in ms, before giving up (the poller then fires the deadline). Default 2,000. */
  readonly addTimeoutMs?: number;
  /** How many times a job whose `onTimeout` throws runs before it is left to the poller. Default 5 (exponential backoff from 1 s). */
  readonly attempts?: number;
}

/** Options of {@link SagaDeadlineJobs.work}. */
export interface SagaDeadlineWorkOptions {
  /** How many deadlines this worker fires at once. Default 1. */
  readonly concurrency?: number;
  /** When the instance is held by an event or another worker, try again after this many ms. Default 1,000. */
  readonly busyRetryMs?: number;
  /** Called with the error of a job whose `onTimeout` threw (it is tried again). Default: one `console.error` line. */
  readonly onError?: (error: unknown) => void;
}

/** What a deadline job carries: the deadline it triggers. */
export type SagaDeadlineJobData = SagaDeadlineTrigger;

/** What a deadline job resolved with (BullMQ keeps it as the job's return value). */
export interface SagaDeadlineJobResult {
  /** `fired`, or `gone` when the deadline had been cancelled, moved, or fired by someone else. */
  readonly outcome: Extract<SagaFireOutcome, "fired" | "gone">;
}

/** A worker firing saga deadlines (see {@link SagaDeadlineJobs.work}). */
export interface SagaDeadlineWorker {
  /** The underlying BullMQ worker, for its events (`completed`, `failed`). */
  readonly bullmq: Worker<SagaDeadlineJobData, SagaDeadlineJobResult>;
  /** Stops taking jobs, waits for the running ones, closes its connection. */
  close(): Promise<void>;
}

/**
 * The BullMQ job id of a deadline: one per saga, instance, deadline name and due time, so that
 * scheduling it twice adds one job, and a moved deadline (another due time) gets a job of its own
 * (the old one then finds nothing to fire).
 */
export function sagaDeadlineJobId(deadline: SagaDeadlineTrigger): string {
  const digest = createHash("sha256").update(JSON.stringify([deadline.saga, deadline.objectId, deadline.name, deadline.dueMs])).digest("base64url");
  return `sd_${digest}`;
}

/**
 * Saga deadlines on BullMQ: a delayed job per `context.expect` deadline, on the Redis of a
 * `CactusQueue` (a queue of their own next to the events'). Give it to the event store as its
 * `sagaDeadlines` option: each deadline an event sets becomes a delayed job once the event's
 * transaction committed. `work(store)` (in the worker processes) fires each job at its due time
 * through `store.fireSagaDeadline`, which takes the instance with `FOR UPDATE SKIP LOCKED` and
 * checks the deadline is still pending with that due time, so a deadline fires once however many
 * workers (and pollers) run, and a cancelled or moved deadline's job fires nothing. The deadline
 * rows stay the truth: keep `store.startTimeouts()` running too (a long interval will do) to fire
 * any deadline whose job was lost (Redis flushed, or down when it was scheduled).
 *
 * @example
 * ```ts
 * import { CactusQueue, SagaDeadlineJobs } from "cactus-sdk/bullmq";
 * const queue = new CactusQueue({ connection: process.env.REDIS_URL! });
 * const deadlines = new SagaDeadlineJobs(queue);
 * const store = new PostgresEventStore({ db: pool, transactional: true, sagaDeadlines: deadlines });
 * const fulfilment = new Fulfilment(client, { idempotency: store });
 * queue.work(fulfilment, { idempotency: store });       // the events
 * deadlines.work(store);                                 // the deadlines, at their due time
 * store.startTimeouts({ intervalMs: 60_000 });           // the safety net
 * ```
 */
export class SagaDeadlineJobs implements SagaDeadlineScheduler {
  /** The BullMQ queue of the deadline jobs (for counts and tools). */
  readonly bullmq: Queue<SagaDeadlineJobData, SagaDeadlineJobResult>;
  /** Its name. */
  readonly name: string;
  readonly #client: Redis | Cluster;
  readonly #prefix: string;
  readonly #addTimeoutMs: number;
  readonly #attempts: number;
  readonly #workers = new Set<SagaDeadlineWorker>();
  #closing: Promise<void> | undefined;

  /** @param queue the `CactusQueue` whose Redis (and key prefix) the jobs use; @param options see {@link SagaDeadlineJobsOptions} */
  constructor(queue: CactusQueue, options: SagaDeadlineJobsOptions = {}) {
    const connection: unknown = typeof queue === "object" && queue !== null ? queue.bullmq?.opts.connection : undefined;
    if (!(connection instanceof Redis || connection instanceof Cluster)) {
      throw new CactusConfigError("SagaDeadlineJobs needs a CactusQueue (new SagaDeadlineJobs(new CactusQueue({ connection })))");
    }
    this.name = options.name ?? `${queue.name}-saga-deadlines`;
    if (typeof this.name !== "string" || this.name === "" || this.name.includes(":")) {
      throw new CactusConfigError(`SagaDeadlineJobs name must be a non-empty string without ":", got ${JSON.stringify(options.name)}`);
    }
    this.#addTimeoutMs = positiveInteger("addTimeoutMs", options.addTimeoutMs ?? 2_000);
    this.#attempts = positiveInteger("attempts", options.attempts ?? 5);
    this.#prefix = shardPrefix(queue.prefix, 0, queue.shards);
    this.#client = openRedis(connection);
    this.#client.on("error", () => undefined);
    this.bullmq = new Queue<SagaDeadlineJobData, SagaDeadlineJobResult>(this.name, { connection: this.#client, prefix: this.#prefix });
    this.bullmq.on("error", () => undefined);
  }

  /**
   * Adds one delayed job per deadline (its id from {@link sagaDeadlineJobId}: a deadline scheduled
   * twice is one job). The store calls it once the transaction that set them committed. Rejects
   * with `CactusQueueUnavailableError` when Redis does not acknowledge within `addTimeoutMs`.
   */
  async scheduleSagaDeadlines(deadlines: readonly SagaDeadlineTrigger[]): Promise<void> {
    if (this.#closing !== undefined || deadlines.length === 0) return;
    const now = Date.now();
    const adding = this.bullmq.addBulk(
      deadlines.map((deadline) => ({
        name: deadline.saga,
        data: { saga: deadline.saga, objectId: deadline.objectId, name: deadline.name, dueMs: deadline.dueMs },
        opts: {
          jobId: sagaDeadlineJobId(deadline),
          delay: Math.max(0, deadline.dueMs - now),
          attempts: this.#attempts,
          backoff: { type: "exponential", delay: 1_000 },
          removeOnComplete: true,
          removeOnFail: { count: 1_000 },
        },
      })),
    );
    adding.catch(() => undefined); // a late failure after the timeout answered is not unhandled
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CactusQueueUnavailableError(`Redis did not acknowledge ${deadlines.length} saga deadline job(s) within ${this.#addTimeoutMs} ms (queue ${this.name})`)), this.#addTimeoutMs);
    });
    try {
      await Promise.race([adding, timeout]);
    } catch (cause) {
      if (cause instanceof CactusQueueUnavailableError) throw cause;
      throw new CactusQueueUnavailableError(`Redis could not store ${deadlines.length} saga deadline job(s) (queue ${this.name}): ${describeThrown(cause).slice(0, 200)}`, { cause });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Starts a worker in this process that fires each deadline job at its due time through
   * `store.fireSagaDeadline` (a `PostgresEventStore` with the sagas constructed on it). A job
   * that finds the instance held is put back for `busyRetryMs`; one whose `onTimeout` throws is
   * retried with backoff, then left to the store's poller.
   *
   * @example
   * ```ts
   * const worker = deadlines.work(store, { concurrency: 4 });
   * ```
   */
  work(store: SagaDeadlineFirer, options: SagaDeadlineWorkOptions = {}): SagaDeadlineWorker {
    if (typeof store !== "object" || store === null || typeof store.fireSagaDeadline !== "function") {
      throw new CactusConfigError("deadlines.work(store) needs the PostgresEventStore the sagas were constructed with");
    }
    if (this.#closing !== undefined) throw new CactusConfigError(`SagaDeadlineJobs ${this.name} is closed`);
    const concurrency = positiveInteger("concurrency", options.concurrency ?? 1);
    const busyRetryMs = positiveInteger("busyRetryMs", options.busyRetryMs ?? 1_000);
    const report = options.onError ?? defaultReport;
    const connection = openRedis(this.#client, { maxRetriesPerRequest: null });
    connection.on("error", () => undefined);
    const bullmq = new Worker<SagaDeadlineJobData, SagaDeadlineJobResult>(this.name, (job, token) => fireJob(store, job, token, busyRetryMs), {
      connection,
      prefix: this.#prefix,
      concurrency,
    });
    bullmq.on("error", (error) => report(error));
    bullmq.on("failed", (_job, error) => report(error));
    let closing: Promise<void> | undefined;
    const worker: SagaDeadlineWorker = {
      bullmq,
      close: () => {
        closing ??= (async () => {
          this.#workers.delete(worker);
          await bullmq.close().catch(() => undefined);
          await closeRedis(connection);
        })();
        return closing;
      },
    };
    this.#workers.add(worker);
    return worker;
  }

  /** Closes this process's deadline workers, the queue and their Redis connections. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#workers].map((worker) => worker.close()));
      await this.bullmq.close().catch(() => undefined);
      await closeRedis(this.#client);
    })();
    return this.#closing;
  }
}

async function fireJob(store: SagaDeadlineFirer, job: Job<SagaDeadlineJobData, SagaDeadlineJobResult>, token: string | undefined, busyRetryMs: number): Promise<SagaDeadlineJobResult> {
  const outcome = await store.fireSagaDeadline(job.data);
  if (outcome === "fired" || outcome === "gone") return { outcome };
  // Held by an event or another worker, or due later by this clock: back to delayed, no attempt used.
  const at = outcome === "early" ? Math.max(job.data.dueMs, Date.now() + 10) : Date.now() + busyRetryMs;
  await job.moveToDelayed(at, token);
  throw new DelayedError();
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new CactusConfigError(`SagaDeadlineJobs ${name} must be an integer >= 1, got ${String(value)}`);
  return value;
}

function defaultReport(error: unknown): void {
  console.error(formatConsoleLine({ err: serializeError(error) }, `saga deadline job failed: ${describeThrown(error).slice(0, 200)}`));
}
