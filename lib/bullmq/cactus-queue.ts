import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Cluster, type Redis } from "ioredis";
import { CactusConfigError, CactusQueueUnavailableError, CactusShuttingDownError, CactusWebhookRequestError } from "../errors";
import { decodeJsonObject } from "../events/json";
import type { EventBody } from "../events/json";
import { parseThinEvent } from "../events/parse";
import type { DeliveryContext, HandleResult, WebhookReceiver } from "../delivery/types";
import { receiverSettings } from "../pipeline/receiver-options";
import { WorkerIdempotencyStore } from "./worker-idempotency";
import { closeRedis, openRedis, type CactusRedisConnection } from "./connection";
import { CACTUS_BACKOFF_TYPE, CactusWorker, JOB_ATTEMPTS_CEILING, type CactusWorkOptions } from "./cactus-worker";
import { DeadLetters } from "./dead-letters";
import { jobIdOf, type CactusJobData } from "./job-data";
import { waitForReplicas } from "./replication";
import { hashTagOf, MAX_QUEUE_SHARDS, routingKeyOf, shardOf, shardPrefix } from "./shards";

/** Default queue name. */
export const DEFAULT_QUEUE_NAME = "cactus-events";
/** Default BullMQ key prefix: the `{cactus}` hash tag keeps every key of the queue on one Redis Cluster slot. */
export const DEFAULT_QUEUE_PREFIX = "{cactus}";
/** Default bound on the wait for Redis to acknowledge a job, in ms (Cactus waits 15 s for an answer). */
export const DEFAULT_ADD_TIMEOUT_MS = 2_000;

/** Default bound on the wait for the replicas (`replicas` option), in ms. */
export const DEFAULT_REPLICATION_TIMEOUT_MS = 1_000;

/** Default largest event a queue stores: 1 MiB of JSON. */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

/** Options of {@link CactusQueue}. */
export interface CactusQueueOptions {
  /** Redis: a URL, ioredis options, or an ioredis `Redis`/`Cluster` (copied; yours stays open). */
  readonly connection: CactusRedisConnection;
  /** The queue's name; receivers and workers of one queue use the same. Default `"cactus-events"`. */
  readonly name?: string;
  /**
   * BullMQ key prefix. Default `"{cactus}"`. On a Redis Cluster it must hold a hash tag (`{...}`),
   * so that every key of a shard (and of the worker's idempotency store) lands on one slot; a
   * Cluster connection with a prefix without one throws `CactusConfigError`.
   */
  readonly prefix?: string;
  /**
   * How many BullMQ queues the events are spread over. Default 1. With N > 1, shard `i` has its own
   * hash tag (`{cactus:0}`, `{cactus:1}`, ...), so on a Redis Cluster the shards land on different
   * slots and spread over the masters. An event goes to the shard of its related object (every event
   * of one object in one shard, in order), or of its id when it has none. Receivers, workers and
   * tools of one queue must use the same N; see the docs before changing it.
   */
  readonly shards?: number;
  /**
   * Acknowledged means replicated: answer 202 only once the job reached at least this many replicas
   * of the Redis (on a Cluster, of the master owning the shard's slot), with Redis `WAIT`. Default 0
   * (off): 202 once the master stored it. Not replicated within `replicationTimeoutMs`: 503
   * `queue_unavailable` (the job stays; the redelivery adds nothing and waits again).
   */
  readonly replicas?: number;
  /** How long the add waits for `replicas`, in ms. Default 1000. */
  readonly replicationTimeoutMs?: number;
  /** How long `receive` waits for Redis to acknowledge a job before answering 503, in ms. Default 2000. */
  readonly addTimeoutMs?: number;
  /**
   * Largest event `receive` stores, in bytes of its JSON. Default 1 MiB (the middleware's
   * `maxBodyBytes`; a thin event is a few hundred bytes). Larger: `payload_too_large` (413), nothing stored.
   */
  readonly maxEventBytes?: number;
}

/**
 * A webhook receiver that stores each verified event as a BullMQ job (job id = event id) and
 * answers 202 `queued` once Redis acknowledged it; workers (`queue.work(handler)`) on any number
 * of processes and machines then run your handler. Redis down or slow answers 503
 * `queue_unavailable`, so Cactus redelivers: nothing is acknowledged that was not stored.
 *
 * Needs the optional peer dependencies `bullmq` and `ioredis`.
 *
 * @example
 * ```ts
 * import { CactusQueue } from "cactus-sdk/bullmq";
 * const queue = new CactusQueue({ connection: process.env.REDIS_URL! });
 * http.createServer(createNodeMiddleware(queue, { webhookSecret })).listen(3000);   // receiver process
 * queue.work(new MyHandler(client), { concurrency: 8, attempts: 5 });              // worker process
 * ```
 */
export class CactusQueue implements WebhookReceiver {
  /** The queue's name. */
  readonly name: string;
  /** The BullMQ key prefix. */
  readonly prefix: string;
  /** The underlying BullMQ queue (of shard 0), for counts, metrics and tools (Bull Board). */
  readonly bullmq: Queue<CactusJobData>;
  /** One BullMQ queue per shard (`bullmqShards[0]` is `bullmq`); one entry without `shards`. */
  readonly bullmqShards: readonly Queue<CactusJobData>[];
  /** How many shards the events are spread over (1 without the `shards` option). */
  readonly shards: number;
  /** The events whose every attempt failed, in every shard: `list`, `get`, `replay`, `purge`. */
  readonly deadLetters: DeadLetters;
  readonly #connection: CactusRedisConnection;
  readonly #client: Redis | Cluster;
  readonly #addTimeoutMs: number;
  readonly #maxEventBytes: number;
  readonly #replicas: number;
  readonly #replicationTimeoutMs: number;
  readonly #workers = new Set<CactusWorker>();
  #closing: Promise<{ readonly unfinished: number }> | undefined;
  #inFlight = 0;
  readonly #idle: (() => void)[] = [];

  /** @param options Redis connection, name, prefix; bad options throw `CactusConfigError` */
  constructor(options: CactusQueueOptions) {
    if (typeof options !== "object" || options === null || options.connection === undefined) {
      throw new CactusConfigError('CactusQueue needs { connection }: a Redis URL ("redis://127.0.0.1:6379"), ioredis options or an ioredis client');
    }
    this.name = nonEmpty("name", options.name ?? DEFAULT_QUEUE_NAME);
    this.prefix = nonEmpty("prefix", options.prefix ?? DEFAULT_QUEUE_PREFIX);
    const addTimeoutMs = options.addTimeoutMs ?? DEFAULT_ADD_TIMEOUT_MS;
    if (!Number.isSafeInteger(addTimeoutMs) || addTimeoutMs <= 0) throw new CactusConfigError(`CactusQueue addTimeoutMs must be an integer > 0, got ${String(addTimeoutMs)}`);
    this.#addTimeoutMs = addTimeoutMs;
    const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    if (!Number.isSafeInteger(maxEventBytes) || maxEventBytes <= 0) throw new CactusConfigError(`CactusQueue maxEventBytes must be an integer > 0, got ${String(maxEventBytes)}`);
    this.#maxEventBytes = maxEventBytes;
    const shards = options.shards ?? 1;
    if (!Number.isSafeInteger(shards) || shards < 1 || shards > MAX_QUEUE_SHARDS) {
      throw new CactusConfigError(`CactusQueue shards must be an integer from 1 to ${MAX_QUEUE_SHARDS}, got ${String(shards)}`);
    }
    this.shards = shards;
    const replicas = options.replicas ?? 0;
    if (!Number.isSafeInteger(replicas) || replicas < 0) throw new CactusConfigError(`CactusQueue replicas must be an integer >= 0, got ${String(replicas)}`);
    this.#replicas = replicas;
    const replicationTimeoutMs = options.replicationTimeoutMs ?? DEFAULT_REPLICATION_TIMEOUT_MS;
    if (!Number.isSafeInteger(replicationTimeoutMs) || replicationTimeoutMs <= 0) {
      throw new CactusConfigError(`CactusQueue replicationTimeoutMs must be an integer > 0, got ${String(replicationTimeoutMs)}`);
    }
    this.#replicationTimeoutMs = replicationTimeoutMs;
    if (options.connection instanceof Cluster && hashTagOf(this.prefix) === undefined) {
      throw new CactusConfigError(
        `CactusQueue prefix ${JSON.stringify(this.prefix)} has no hash tag, so on a Redis Cluster its keys would hash to different slots and every add would fail with CROSSSLOT; wrap it in braces: ${JSON.stringify(`{${this.prefix}}`)}`,
      );
    }
    this.#connection = options.connection;
    this.#client = openRedis(options.connection);
    // Connection errors surface as 503s on `receive`; without a listener ioredis would print each retry.
    this.#client.on("error", () => undefined);
    this.bullmqShards = Array.from({ length: shards }, (_, index) => {
      const queue = new Queue<CactusJobData>(this.name, { connection: this.#client, prefix: shardPrefix(this.prefix, index, shards) });
      queue.on("error", () => undefined);
      return queue;
    });
    this.bullmq = this.#shard(0);
    this.deadLetters = new DeadLetters(this.bullmqShards);
  }

  /**
   * The shard `event` goes to: of its related object when it has one, else of its id.
   *
   * @example
   * ```ts
   * const shard = queue.shardOf({ id: "evt_1", relatedObject: { id: "ord_9" } }); // the same for every event of ord_9
   * ```
   */
  shardOf(event: { readonly id: string; readonly relatedObject?: { readonly id: string } | null | undefined }): number {
    return shardOf(routingKeyOf(event), this.shards);
  }

  #shard(index: number): Queue<CactusJobData> {
    const queue = this.bullmqShards[index];
    if (queue === undefined) throw new CactusConfigError(`CactusQueue ${this.name} has ${this.shards} shard(s) (0 to ${this.shards - 1}); there is no shard ${index}`);
    return queue;
  }

  /**
   * Validates `body` (already verified and decoded by the middleware) and stores it as a job.
   * Resolves `{ outcome: "queued" }` only after Redis acknowledged the job. Rejects with
   * `CactusValidationError`/`CactusParseError` (400; nothing stored), `CactusWebhookRequestError`
   * `payload_too_large` (413; larger than `maxEventBytes`), `CactusQueueUnavailableError`
   * (503; Redis down or slower than `addTimeoutMs`) or `CactusShuttingDownError` (503).
   */
  async receive(body: EventBody, context: DeliveryContext = {}): Promise<HandleResult> {
    if (this.#closing !== undefined) throw new CactusShuttingDownError(`CactusQueue ${this.name}`);
    const raw = decodeJsonObject(body);
    const size = Buffer.byteLength(JSON.stringify(raw), "utf8");
    if (size > this.#maxEventBytes) {
      throw new CactusWebhookRequestError("payload_too_large", `The event is ${size} bytes, larger than the queue's maxEventBytes (${this.#maxEventBytes}); not stored`);
    }
    const event = parseThinEvent(raw);
    const data: CactusJobData = {
      event: raw,
      receivedAt: new Date().toISOString(),
      ...(context.deliveryId === undefined ? {} : { deliveryId: context.deliveryId }),
      ...(context.traceparent === undefined ? {} : { traceparent: context.traceparent }),
      ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
      ...(context.source === undefined ? {} : { source: context.source }),
    };
    this.#inFlight += 1;
    try {
      // A replay is a job of its own (the event's own job id may still be kept as completed).
      await this.#add(this.#shard(this.shardOf(event)), event.type, event.id, data, context.source === "replay" ? `${jobIdOf(event.id)}__replay_${Date.now()}_${randomUUID().slice(0, 8)}` : undefined);
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const wake of this.#idle.splice(0)) wake();
    }
    return { event, outcome: "queued", handledBy: "", handlers: [] };
  }

  async #add(shard: Queue<CactusJobData>, type: string, eventId: string, data: CactusJobData, jobId = jobIdOf(eventId)): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CactusQueueUnavailableError(`Redis did not acknowledge ${type} event ${eventId} within ${this.#addTimeoutMs} ms (queue ${this.name}); not stored`)),
        this.#addTimeoutMs,
      );
    });
    const adding = shard.add(type, data, {
      jobId,
      attempts: JOB_ATTEMPTS_CEILING,
      backoff: { type: CACTUS_BACKOFF_TYPE },
      removeOnComplete: true,
      removeOnFail: false,
    });
    adding.catch(() => undefined); // a late failure after the timeout answered is not unhandled
    try {
      await Promise.race([adding, timeout]);
    } catch (cause) {
      if (cause instanceof CactusQueueUnavailableError) throw cause;
      throw new CactusQueueUnavailableError(`Redis could not store ${type} event ${eventId} (queue ${this.name}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    } finally {
      clearTimeout(timer);
    }
    if (this.#replicas > 0) await this.#replicated(shard, type, eventId);
  }

  // Acknowledged means replicated: WAIT on the connection that made the add (on a Cluster, the one
  // to the master owning the shard's slot), so the job survives that master's failover.
  async #replicated(shard: Queue<CactusJobData>, type: string, eventId: string): Promise<void> {
    let reached: number;
    try {
      reached = await waitForReplicas(this.#client, shard.toKey("wait"), this.#replicas, this.#replicationTimeoutMs);
    } catch (cause) {
      throw new CactusQueueUnavailableError(`Redis stored ${type} event ${eventId} (queue ${this.name}) but did not say whether it reached ${this.#replicas} replica(s): ${cause instanceof Error ? cause.message : String(cause)}; not acknowledged`, { cause });
    }
    if (reached < this.#replicas) {
      throw new CactusQueueUnavailableError(
        `${type} event ${eventId} reached ${reached} of the ${this.#replicas} replica(s) required within ${this.#replicationTimeoutMs} ms (queue ${this.name}); not acknowledged, so Cactus redelivers (the stored job is kept and the redelivery adds nothing)`,
      );
    }
  }

  /**
   * Starts a worker in this process that runs the queue's jobs through `receiver` (your
   * `CactusHandler` subclass or `CactusRouter`), with retries, backoff and dead letters.
   *
   * @example
   * ```ts
   * const worker = queue.work(new MyHandler(client), { concurrency: 4, attempts: 5, backoff: { delayMs: 1_000 } });
   * ```
   */
  work(receiver: WebhookReceiver, options: CactusWorkOptions = {}): CactusWorker {
    if (this.#closing !== undefined) throw new CactusShuttingDownError(`CactusQueue ${this.name}`);
    const indexes = options.shards ?? this.bullmqShards.map((_, index) => index);
    if (!Array.isArray(indexes) || indexes.length === 0 || indexes.some((index) => !Number.isSafeInteger(index) || index < 0 || index >= this.shards) || new Set(indexes).size !== indexes.length) {
      throw new CactusConfigError(`queue.work shards must list distinct shard numbers from 0 to ${this.shards - 1}, got ${JSON.stringify(options.shards)}`);
    }
    const connection = openRedis(this.#connection, { maxRetriesPerRequest: null });
    connection.on("error", () => undefined);
    const instrumentation = receiverSettings(receiver)?.observability.instrumentation;
    const shards = indexes.map((index) => {
      const prefix = shardPrefix(this.prefix, index, this.shards);
      // The default store runs each job's claim and commit itself, the commit riding with the job's completion.
      const store = options.idempotency === false ? undefined : options.idempotency ?? new WorkerIdempotencyStore(connection, { keyPrefix: `${prefix}:idem:` }, instrumentation);
      return { prefix, store };
    });
    const worker: CactusWorker = new CactusWorker(receiver, options, {
      queueName: this.name,
      shards,
      connection,
      onClosed: async () => {
        this.#workers.delete(worker);
        await closeRedis(connection);
      },
    });
    this.#workers.add(worker);
    return worker;
  }

  /**
   * How many jobs are in each state (`waiting`, `active`, `delayed`, `completed`, `failed`, ...):
   * what `cactusPrometheus({ queue })` reports as `cactus_queue_jobs{state}`.
   *
   * @example
   * ```ts
   * const { waiting, active } = await queue.getJobCounts();
   * ```
   */
  async getJobCounts(): Promise<Record<string, number>> {
    const perShard = await Promise.all(this.bullmqShards.map((queue) => queue.getJobCounts()));
    const total: Record<string, number> = {};
    for (const counts of perShard) for (const [state, count] of Object.entries(counts)) total[state] = (total[state] ?? 0) + count;
    return total;
  }

  /** How many dead letters there are (`cactus_dead_letters`). */
  deadLetterCount(): Promise<number> {
    return this.deadLetters.count();
  }

  /**
   * Graceful shutdown: `receive` answers 503 `shutting_down` from now on; the adds under way get
   * up to `timeoutMs` (default 10 s) to be acknowledged; this queue's workers finish their jobs
   * (same deadline); then the connections close. Works with `shutdownOnSignals([queue])`.
   * Resolves with how many adds and jobs were still unfinished at the deadline.
   */
  close(options: { timeoutMs?: number } = {}): Promise<{ readonly unfinished: number }> {
    this.#closing ??= this.#close(options.timeoutMs ?? 10_000);
    return this.#closing;
  }

  async #close(timeoutMs: number): Promise<{ readonly unfinished: number }> {
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.#idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    let unfinished = this.#inFlight;
    const closed = await Promise.all([...this.#workers].map((worker) => worker.close({ timeoutMs })));
    for (const result of closed) unfinished += result.unfinished;
    await Promise.all(this.bullmqShards.map((queue) => queue.close().catch(() => undefined)));
    await closeRedis(this.#client);
    return { unfinished };
  }
}

function nonEmpty(name: string, value: string): string {
  if (typeof value !== "string" || value.length === 0 || value.includes(":")) {
    throw new CactusConfigError(`CactusQueue ${name} must be a non-empty string without ":", got ${JSON.stringify(value)}`);
  }
  return value;
}
