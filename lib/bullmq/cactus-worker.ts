import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import type { Cluster, Redis } from "ioredis";
import type { IdempotencyStore } from "../delivery/idempotency-store";
import {
  CactusConfigError,
  CactusEventInProgressError,
  CactusParseError,
  CactusShuttingDownError,
  CactusValidationError,
  describeThrown,
} from "../errors";
import { CactusEventReceiver } from "../pipeline/receiver";
import { formatConsoleLine, serializeError } from "../observability/logger";
import type { CactusErrorReporter, HandleResult, WebhookReceiver } from "../delivery/types";
import { ATTEMPT_LOG_PREFIX, attemptRecord } from "./dead-letters";
import type { CactusJobData } from "./job-data";

/** The backoff between attempts: exponential (`delayMs`, `2 × delayMs`, `4 × delayMs`, ...) or fixed. */
export interface CactusBackoff {
  /** Default `"exponential"`. */
  readonly type?: "exponential" | "fixed";
  /** The first delay, in ms. Default 1000. */
  readonly delayMs: number;
  /** Longest delay, in ms. Default 1 hour. */
  readonly maxDelayMs?: number;
}

/** Options of `queue.work(receiver, options)`. */
export interface CactusWorkOptions {
  /** How many jobs this worker runs at once, in each shard it consumes. Default 1. */
  readonly concurrency?: number;
  /**
   * Which shards of a sharded queue (`new CactusQueue({ shards })`) this worker consumes, by
   * number (`[0, 2]`). Default: every shard.
   */
  readonly shards?: readonly number[];
  /** How many times a job runs before it becomes a dead letter. Default 5. */
  readonly attempts?: number;
  /** The wait between attempts: a {@link CactusBackoff}, or a number (exponential from that many ms). Default exponential from 1000 ms. */
  readonly backoff?: CactusBackoff | number;
  /**
   * Where the worker claims each event before running it, so a duplicate job (one queued again
   * after the first finished) runs nothing. Default: a `RedisIdempotencyStore` on the queue's Redis
   * with the key prefix `"<queue prefix>:idem:"`, whose commit goes out just ahead of the job's
   * completion on the worker's connection (one round trip for both). `false`: no claim (each job runs).
   */
  readonly idempotency?: IdempotencyStore | false;
  /**
   * How long a job stays locked to this worker without a renewal, in ms (BullMQ `lockDuration`).
   * A worker that dies loses its jobs' locks after this; another worker then runs them again.
   * Default 30000.
   */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died, in ms (BullMQ `stalledInterval`). Default 30000. */
  readonly stalledIntervalMs?: number;
  /** Called with each failed attempt's error and the HTTP-like status 500. Default: `console.error`. */
  readonly onError?: CactusErrorReporter;
}

/** What a job's processor returns (BullMQ keeps it as the job's return value). */
export interface CactusJobResult {
  /** `handled`, or `duplicate` when the event had already been handled. */
  readonly outcome: HandleResult["outcome"];
  /** Which method(s) ran. */
  readonly handledBy: string;
}

/** Jobs are added with this many attempts; the worker's own `attempts` decides when to stop. */
export const JOB_ATTEMPTS_CEILING = 1_000_000;
/** The BullMQ backoff type of Cactus jobs: the worker's `backoff` option computes the delay. */
export const CACTUS_BACKOFF_TYPE = "cactus";

/** One shard a worker consumes: its BullMQ prefix and the store its jobs are claimed in. */
interface WorkerShard {
  readonly prefix: string;
  readonly store: IdempotencyStore | undefined;
}

interface WorkerParts {
  readonly queueName: string;
  /** The shards to consume (one BullMQ worker each); a queue without shards has one. */
  readonly shards: readonly WorkerShard[];
  readonly connection: Redis | Cluster;
  readonly onClosed: () => Promise<void>;
}

/**
 * Runs a queue's jobs through your `CactusHandler` subclass or `CactusRouter` (`receiver.receive`),
 * with BullMQ's retries and backoff; made by `queue.work(receiver, options)`. Each job is claimed
 * in the idempotency store first, so an event already handled runs nothing. A job whose every
 * attempt failed becomes a dead letter (`queue.deadLetters`). An event held by another delivery
 * waits (without using an attempt) until that one ends.
 *
 * @example
 * ```ts
 * const worker = queue.work(new MyHandler(client), { concurrency: 8, attempts: 5, backoff: 2_000 });
 * shutdownOnSignals([worker, queue]);
 * ```
 */
export class CactusWorker {
  /** The underlying BullMQ worker (of the first shard consumed), for events and metrics (`worker.bullmq.on("completed", ...)`). */
  readonly bullmq: Worker<CactusJobData, CactusJobResult>;
  /** One BullMQ worker per shard consumed (just `bullmq` on a queue without shards). */
  readonly bullmqShards: readonly Worker<CactusJobData, CactusJobResult>[];
  readonly #parts: WorkerParts;
  #closing: Promise<{ readonly unfinished: number }> | undefined;
  #running = 0;

  /** How many jobs this worker is running right now. */
  get running(): number {
    return this.#running;
  }

  /** @internal Use `queue.work(receiver, options)`. */
  constructor(receiver: WebhookReceiver, options: CactusWorkOptions, parts: WorkerParts) {
    if (typeof receiver !== "object" || receiver === null || typeof receiver.receive !== "function") {
      throw new CactusConfigError("queue.work needs a CactusHandler subclass or a CactusRouter (anything with receive(body, context))");
    }
    const attempts = checkInteger("attempts", options.attempts ?? 5);
    const concurrency = checkInteger("concurrency", options.concurrency ?? 1);
    const backoff = resolveBackoff(options.backoff);
    // A CactusHandler or CactusRouter logs each failed attempt itself (one line, with attempt n/N
    // and the next attempt's time); the default here only covers what it does not log.
    const report = options.onError ?? defaultReport(receiver instanceof CactusEventReceiver);
    this.#parts = parts;
    // BullMQ emits connection and processing errors here; without a listener Node would throw them.
    const reportWorkerError = options.onError ?? defaultReport(false);
    // --- one BullMQ worker per shard (sharded queues) ---
    const workers = parts.shards.map(({ prefix, store }) => {
      const worker = new Worker<CactusJobData, CactusJobResult>(
        parts.queueName,
        async (job, token) => {
          this.#running += 1;
          try {
            return await runJob(receiver, job, token, { attempts, store, report, retryDelayMs: (attempt) => backoffDelay(backoff, attempt) });
          } finally {
            this.#running -= 1;
          }
        },
        {
          connection: parts.connection,
          prefix,
          concurrency,
          maxStalledCount: 2,
          ...(options.lockDurationMs === undefined ? {} : { lockDuration: checkInteger("lockDurationMs", options.lockDurationMs) }),
          ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: checkInteger("stalledIntervalMs", options.stalledIntervalMs) }),
          settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(backoff, attemptsMade) },
        },
      );
      worker.on("error", (error) => reportWorkerError(error, 500));
      return worker;
    });
    const first = workers[0];
    if (first === undefined) throw new CactusConfigError("queue.work needs at least one shard to consume");
    this.bullmq = first;
    this.bullmqShards = workers;
    // --- end of the per-shard workers ---
  }

  /**
   * Graceful shutdown: takes no new job, lets the running ones finish for up to `timeoutMs`
   * (default 10 s), then closes its connections. Jobs still running at the deadline are left
   * locked: once their lock expires another worker runs them again, so nothing is lost.
   * Resolves with how many were still running at the deadline.
   */
  close(options: { timeoutMs?: number } = {}): Promise<{ readonly unfinished: number }> {
    this.#closing ??= this.#close(options.timeoutMs ?? 10_000);
    return this.#closing;
  }

  async #close(timeoutMs: number): Promise<{ readonly unfinished: number }> {
    // Pause first (no new job; waits for the running ones), so that at the deadline a forced close
    // is still possible: BullMQ's graceful close cannot be turned into a forced one once started.
    let timer: NodeJS.Timeout | undefined;
    const finished = Promise.all(this.bullmqShards.map((worker) => worker.pause(false))).then(() => "finished" as const);
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), timeoutMs);
    });
    const first = await Promise.race([finished, deadline]);
    clearTimeout(timer);
    const unfinished = first === "deadline" ? this.#running : 0;
    // Forced: the jobs still running keep their locks until they expire; another worker then runs them.
    await Promise.all(this.bullmqShards.map((worker) => worker.close(first === "deadline")));
    await this.#parts.onClosed();
    return { unfinished };
  }
}

interface JobSettings {
  readonly attempts: number;
  readonly store: IdempotencyStore | undefined;
  readonly report: CactusErrorReporter;
  readonly retryDelayMs: (attempt: number) => number;
}

async function runJob(receiver: WebhookReceiver, job: Job<CactusJobData>, token: string | undefined, settings: JobSettings): Promise<CactusJobResult> {
  const data = job.data;
  const attempt = job.attemptsMade + 1;
  try {
    const result = await receiver.receive(data.event, {
      attempt,
      maxAttempts: settings.attempts,
      retryDelayMs: settings.retryDelayMs(attempt),
      ...(data.deliveryId === undefined ? {} : { deliveryId: data.deliveryId }),
      ...(data.traceparent === undefined ? {} : { traceparent: data.traceparent }),
      ...(data.correlationId === undefined ? {} : { correlationId: data.correlationId }),
      ...(settings.store === undefined ? {} : { idempotency: settings.store }),
      ...(data.source === undefined ? {} : { source: data.source }),
    });
    return { outcome: result.outcome, handledBy: result.handledBy };
  } catch (error) {
    // Another delivery holds the event (or the receiver is closing): wait, without using an attempt.
    const waitMs = error instanceof CactusEventInProgressError ? error.retryAfterSeconds * 1000 : error instanceof CactusShuttingDownError ? 1000 : undefined;
    if (waitMs !== undefined) {
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
    await job.log(ATTEMPT_LOG_PREFIX + JSON.stringify(attemptRecord(attempt, error)));
    settings.report(error, 500);
    // Bad input does not get better with retries: straight to the dead letters.
    const permanent = error instanceof CactusValidationError || error instanceof CactusParseError;
    if (permanent || attempt >= settings.attempts) {
      throw new UnrecoverableError(`${error instanceof Error ? error.message : String(error)} (attempt ${attempt} of ${settings.attempts}; now a dead letter)`);
    }
    throw error;
  }
}

function resolveBackoff(backoff: CactusBackoff | number | undefined): Required<CactusBackoff> {
  const given: CactusBackoff = typeof backoff === "number" ? { delayMs: backoff } : backoff ?? { delayMs: 1_000 };
  if (typeof given !== "object" || given === null) throw new CactusConfigError("queue.work backoff must be a number of ms or { type, delayMs }");
  const type = given.type ?? "exponential";
  if (type !== "exponential" && type !== "fixed") throw new CactusConfigError(`queue.work backoff.type must be "exponential" or "fixed", got ${String(type)}`);
  return { type, delayMs: checkInteger("backoff.delayMs", given.delayMs, 0), maxDelayMs: checkInteger("backoff.maxDelayMs", given.maxDelayMs ?? 3_600_000, 0) };
}

/** The delay before the next attempt, after `attemptsMade` failed ones (1 after the first failure). */
export function backoffDelay(backoff: Required<CactusBackoff>, attemptsMade: number): number {
  const delay = backoff.type === "fixed" ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(backoff.maxDelayMs, delay);
}

function checkInteger(name: string, value: number, min = 1): number {
  if (!Number.isSafeInteger(value) || value < min) throw new CactusConfigError(`queue.work ${name} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

function defaultReport(receiverLogs: boolean): CactusErrorReporter {
  return (error) => {
    // Bad input is logged as a warning by the receiver, which the default logger does not print.
    if (receiverLogs && !(error instanceof CactusValidationError || error instanceof CactusParseError)) return;
    console.error(formatConsoleLine({ err: serializeError(error) }, `queue job attempt failed: ${describeThrown(error).slice(0, 200)}`));
  };
}
