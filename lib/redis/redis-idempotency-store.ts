import { randomUUID } from "node:crypto";
import type { Cluster, Redis } from "ioredis";
import { DEFAULT_DONE_TTL_MS, type IdempotencyClaim, type IdempotencyStore } from "../delivery/idempotency-store";
import { CactusConfigError, CactusIdempotencyError } from "../errors";
import { CLAIM_SCRIPT, COMMIT_SCRIPT, RELEASE_SCRIPT } from "./lua-scripts";

/** Default key prefix: the `{cactus}` hash tag puts every key of the store on one Redis Cluster slot. */
export const DEFAULT_REDIS_IDEMPOTENCY_PREFIX = "{cactus}:idem:";

/** Options of {@link RedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /**
   * Prepended to every event id to make its key. Default `"{cactus}:idem:"`. On a Redis Cluster,
   * keep a hash tag (`{...}`) in it: every key of one store then lives on one slot. Give two
   * applications sharing one Redis different prefixes (`"{billing}:idem:"`).
   */
  readonly keyPrefix?: string;
  /** How long a done event id is remembered, in ms. Default 7 days (longer than Cactus redelivers). */
  readonly doneTtlMs?: number;
}

/**
 * An {@link IdempotencyStore} in Redis (through ioredis), shared by every process and machine
 * that uses the same Redis and key prefix: one event runs to success once across all of them.
 *
 * - `claim` is `SET key lease:<token> NX PX leaseMs`: a done key answers `duplicate`, a live lease
 *   `in_progress` with its remaining TTL. A process that dies mid-handler leaves a lease that
 *   expires on its own, and the redelivery then runs.
 * - `commit` turns the key into a done marker with the done TTL, only if we still hold the lease.
 * - `release` deletes the key, only if we still hold the lease.
 *
 * Redis errors are thrown as they come (the receiver answers 503 `idempotency_store_failed`, so
 * Cactus redelivers). The client's own retry and offline-queue settings decide how long a call
 * may wait for a Redis that is down; `maxRetriesPerRequest: 1` keeps answers well within Cactus's 15 s.
 *
 * @example
 * ```ts
 * import Redis from "ioredis";
 * import { RedisIdempotencyStore } from "cactus-sdk/redis";
 * const idempotency = new RedisIdempotencyStore(new Redis(process.env.REDIS_URL!));
 * const handler = new MyHandler(client, { webhookSecret, idempotency });
 * ```
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  /** The ioredis client (a `Redis` or a `Cluster`); the store never closes it. */
  readonly redis: Redis | Cluster;
  /** The key prefix in use. */
  readonly keyPrefix: string;
  readonly #doneTtlMs: number;

  /** @param redis an ioredis `Redis` or `Cluster`; @param options key prefix and done TTL */
  constructor(redis: Redis | Cluster, options: RedisIdempotencyStoreOptions = {}) {
    if (typeof redis !== "object" || redis === null || typeof Reflect.get(redis, "eval") !== "function") {
      throw new CactusConfigError("RedisIdempotencyStore needs an ioredis client, e.g. new RedisIdempotencyStore(new Redis(url))");
    }
    const prefix = options.keyPrefix ?? DEFAULT_REDIS_IDEMPOTENCY_PREFIX;
    if (typeof prefix !== "string") throw new CactusConfigError(`RedisIdempotencyStore keyPrefix must be a string, got ${typeof prefix}`);
    const doneTtlMs = options.doneTtlMs ?? DEFAULT_DONE_TTL_MS;
    if (!Number.isSafeInteger(doneTtlMs) || doneTtlMs <= 0) {
      throw new CactusConfigError(`RedisIdempotencyStore doneTtlMs must be an integer > 0, got ${String(doneTtlMs)}`);
    }
    this.redis = redis;
    this.keyPrefix = prefix;
    this.#doneTtlMs = doneTtlMs;
  }

  /** The Redis key of `eventId`. */
  keyOf(eventId: string): string {
    return this.keyPrefix + eventId;
  }

  /** @inheritdoc */
  async claim(eventId: string, leaseMs: number): Promise<IdempotencyClaim> {
    const token = randomUUID();
    const answer = await this.redis.eval(CLAIM_SCRIPT, 1, this.keyOf(eventId), token, String(Math.max(1, Math.ceil(leaseMs))));
    if (!Array.isArray(answer)) throw unexpected("claim", eventId, answer);
    const [status, pttl]: unknown[] = answer;
    if (status === "claimed") return { status: "claimed", token };
    if (status === "duplicate") return { status: "duplicate" };
    // PTTL is -2 when the lease expired between SET and PTTL (then 1 ms: come back at once).
    if (status === "in_progress" && typeof pttl === "number") return { status: "in_progress", retryAfterMs: Math.max(1, pttl) };
    throw unexpected("claim", eventId, answer);
  }

  /** @inheritdoc */
  async commit(eventId: string, token: string): Promise<void> {
    await this.redis.eval(COMMIT_SCRIPT, 1, this.keyOf(eventId), token, String(this.#doneTtlMs));
  }

  /** @inheritdoc */
  async release(eventId: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.keyOf(eventId), token);
  }
}

function unexpected(step: string, eventId: string, answer: unknown): CactusIdempotencyError {
  return new CactusIdempotencyError(`Redis answered the ${step} of event ${eventId} with ${JSON.stringify(answer)}, not a claim result`);
}
