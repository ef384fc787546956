import type { Job, Queue } from "bullmq";
import type { CactusJobData } from "./job-data";
import { jobIdOf } from "./job-data";

/** One failed attempt of a dead letter. */
export interface DeadLetterAttempt {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** When it failed (ISO 8601). */
  readonly at: string;
  /** The error's message. */
  readonly message: string;
  /** The error's `code` (a `CactusError` code, or your error's own), when it had one. */
  readonly code?: string;
  /** The error's stack, when it had one. */
  readonly stack?: string;
}

/**
 * An event whose every attempt failed: it waits in the dead-letter store, untouched, until you
 * replay or purge it. While it is there, a redelivery of the same event adds nothing.
 */
export interface DeadLetter {
  /** The event id. */
  readonly id: string;
  /** The event type. */
  readonly type: string;
  /** The verified event as Cactus sent it. */
  readonly event: Record<string, unknown>;
  /** How many attempts ran (and failed) since it was queued or last replayed. */
  readonly attempts: number;
  /** Every recorded attempt's error, oldest first (replays add to the list). */
  readonly errors: readonly DeadLetterAttempt[];
  /** The reason BullMQ recorded for the final failure. */
  readonly failedReason: string;
  /** When the queue stored it (ISO 8601). */
  readonly receivedAt: string;
  /** When it became a dead letter (ISO 8601). */
  readonly deadAt: string;
  /** The delivery's `webhook-id`, as it was queued. */
  readonly deliveryId?: string;
  /** The delivery's W3C `traceparent`, as it was queued. */
  readonly traceparent?: string;
  /** The delivery's `x-correlation-id`, as it was queued. */
  readonly correlationId?: string;
  /**
   * Set when the job's data is not a queued event (written by hand, or by another tool): why it
   * cannot be read. `event` is then `{}`, and `replayAll` skips it; `purge` removes it.
   */
  readonly unreadable?: string;
}

/** Options of {@link DeadLetters.replay}. */
export interface ReplayOptions {
  /** Called after each replayed event with the count so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * The dead-letter store of a {@link CactusQueue}: the jobs that exhausted their attempts. They are
 * BullMQ's failed jobs of the queue (kept, never removed automatically), so an event is moved there
 * in one atomic step and is never both handled and dead.
 *
 * @example
 * ```ts
 * for (const letter of await queue.deadLetters.list()) console.log(letter.id, letter.errors.at(-1)?.message);
 * await queue.deadLetters.replay("evt_123");
 * ```
 */
export class DeadLetters {
  readonly #queues: readonly Queue[];

  /**
   * @param queue the BullMQ queue whose failed jobs are the dead letters, or every shard's queue
   *   of a sharded `CactusQueue` (read as one dead-letter store)
   */
  constructor(queue: Queue | readonly Queue[]) {
    this.#queues = isQueueList(queue) ? [...queue] : [queue];
  }

  /** How many dead letters there are (in every shard). */
  async count(): Promise<number> {
    const counts = await Promise.all(this.#queues.map((queue) => queue.getFailedCount()));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** The dead letters of every shard, newest first; at most `limit` (default 1000). */
  async list(options: { readonly limit?: number } = {}): Promise<DeadLetter[]> {
    const limit = options.limit ?? 1_000;
    const perShard = await Promise.all(this.#queues.map(async (queue) => (await queue.getFailed(0, Math.max(0, limit - 1))).filter(isJob).map((job) => ({ job, queue }))));
    const newest = perShard.flat().sort((a, b) => deadAtOf(b.job) - deadAtOf(a.job)).slice(0, limit);
    return Promise.all(newest.map(({ job, queue }) => this.#describe(job, queue)));
  }

  /** The dead letter of `eventId`, or `undefined` when it is not dead (or unknown). */
  async get(eventId: string): Promise<DeadLetter | undefined> {
    const found = await this.#failedJob(eventId);
    return found === undefined ? undefined : this.#describe(found.job, found.queue);
  }

  /**
   * Puts the dead letter of `eventId` back in the queue with a fresh set of attempts. Resolves
   * with `[eventId]`, or `[]` when it is not dead. (An event may be named `all`: that replays only
   * it; {@link replayAll} replays every dead letter.)
   */
  async replay(eventId: string, options: ReplayOptions = {}): Promise<string[]> {
    const found = await this.#failedJob(eventId);
    return this.#retry(found === undefined ? [] : [found.job], options);
  }

  /** Puts every readable dead letter (of every shard) back in the queue with fresh attempts; resolves with the ids replayed. */
  async replayAll(options: ReplayOptions = {}): Promise<string[]> {
    const perShard = await Promise.all(this.#queues.map((queue) => queue.getFailed(0, -1)));
    const jobs = perShard.flat().filter(isJob).filter((job) => unreadableReason(job.data) === undefined);
    return this.#retry(jobs, options);
  }

  async #retry(jobs: readonly Job<CactusJobData>[], options: ReplayOptions): Promise<string[]> {
    const replayed: string[] = [];
    for (const job of jobs) {
      await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      replayed.push(eventIdOf(job));
      options.onProgress?.(replayed.length, jobs.length);
    }
    return replayed;
  }

  /** Deletes every dead letter (and its recorded errors) of every shard. Resolves with how many were deleted. */
  async purge(): Promise<number> {
    let removed = 0;
    for (const queue of this.#queues) {
      for (;;) {
        const ids = await queue.clean(0, 1_000, "failed");
        removed += ids.length;
        if (ids.length === 0) break;
      }
    }
    return removed;
  }

  // The event's failed job and its shard. An event always goes to one shard, but which one depends
  // on its related object, which only the job knows: each shard is asked.
  async #failedJob(eventId: string): Promise<{ readonly job: Job<CactusJobData>; readonly queue: Queue } | undefined> {
    for (const queue of this.#queues) {
      const job: unknown = await queue.getJob(jobIdOf(eventId));
      if (isJob(job) && (await job.getState()) === "failed") return { job, queue };
    }
    return undefined;
  }

  async #describe(job: Job<CactusJobData>, queue: Queue): Promise<DeadLetter> {
    const { logs } = await queue.getJobLogs(job.id ?? "", 0, -1, true);
    const data: unknown = job.data;
    const unreadable = unreadableReason(data);
    if (unreadable !== undefined || !isJobData(data)) {
      const finished = new Date(job.finishedOn ?? job.timestamp).toISOString();
      return {
        id: job.id ?? "",
        type: typeof job.name === "string" ? job.name : "",
        event: {},
        attempts: job.attemptsMade,
        errors: logs.flatMap(parseAttempt),
        failedReason: job.failedReason ?? "",
        receivedAt: new Date(job.timestamp).toISOString(),
        deadAt: finished,
        unreadable: unreadable ?? "the job data is not a queued event",
      };
    }
    return {
      id: eventIdOf(job),
      type: typeof data.event["type"] === "string" ? data.event["type"] : job.name,
      event: data.event,
      attempts: job.attemptsMade,
      errors: logs.flatMap(parseAttempt),
      failedReason: job.failedReason ?? "",
      receivedAt: data.receivedAt,
      deadAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
      ...(data.deliveryId === undefined ? {} : { deliveryId: data.deliveryId }),
      ...(data.traceparent === undefined ? {} : { traceparent: data.traceparent }),
      ...(data.correlationId === undefined ? {} : { correlationId: data.correlationId }),
    };
  }
}

/** The log line a worker writes for a failed attempt (see {@link parseAttempt}). */
export const ATTEMPT_LOG_PREFIX = "cactus-attempt ";

/** Turns a thrown value into the record kept for a failed attempt. */
export function attemptRecord(attempt: number, error: unknown, at = new Date()): DeadLetterAttempt {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === "object" && error !== null && typeof Reflect.get(error, "code") === "string" ? String(Reflect.get(error, "code")) : undefined;
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : undefined;
  return { attempt, at: at.toISOString(), message, ...(code === undefined ? {} : { code }), ...(stack === undefined ? {} : { stack }) };
}

function parseAttempt(line: string): DeadLetterAttempt[] {
  if (!line.startsWith(ATTEMPT_LOG_PREFIX)) return [];
  try {
    const value: unknown = JSON.parse(line.slice(ATTEMPT_LOG_PREFIX.length));
    return isAttempt(value) ? [value] : [];
  } catch {
    return [];
  }
}

// Why a job's data is not what a CactusQueue stores, or undefined when it is.
function unreadableReason(data: unknown): string | undefined {
  if (data === null || data === undefined) return `the job data is ${String(data)}, not a queued event`;
  if (typeof data !== "object") return `the job data is a ${typeof data}, not a queued event`;
  const event: unknown = Reflect.get(data, "event");
  if (typeof event !== "object" || event === null || Array.isArray(event)) return "the job data has no event object";
  if (typeof Reflect.get(data, "receivedAt") !== "string") return "the job data has no receivedAt time";
  return undefined;
}

function isJobData(data: unknown): data is CactusJobData {
  return unreadableReason(data) === undefined;
}

function eventIdOf(job: Job<CactusJobData>): string {
  const data: unknown = job.data;
  if (!isJobData(data)) return job.id ?? "";
  const id = data.event["id"];
  return typeof id === "string" ? id : job.id ?? "";
}

function isQueueList(queue: Queue | readonly Queue[]): queue is readonly Queue[] {
  return Array.isArray(queue);
}

function deadAtOf(job: Job<CactusJobData>): number {
  return job.finishedOn ?? job.timestamp;
}

function isJob(job: unknown): job is Job<CactusJobData> {
  return typeof job === "object" && job !== null && typeof Reflect.get(job, "retry") === "function";
}

// An attempt record as attemptRecord writes it: the message is what every reader relies on.
function isAttempt(value: unknown): value is DeadLetterAttempt {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "message") === "string";
}
