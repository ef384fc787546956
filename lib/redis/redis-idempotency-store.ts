import { createHash, randomUUID } from "node:crypto";
import type { Cluster, Redis } from "ioredis";
import { armDeadline } from "../delivery/deadlines";
import { DEFAULT_DONE_TTL_MS, type IdempotencyClaim, type IdempotencyStore } from "../delivery/idempotency-store";
import { CactusConfigError, CactusIdempotencyError, CactusLeaseExpiredError } from "../errors";
import { CLAIM_SCRIPT, COMMIT_SCRIPT, RELEASE_SCRIPT } from "./lua-scripts";

/** Default key prefix: the `{cactus}` hash tag puts every key of the store on one Redis Cluster slot. */
export const DEFAULT_REDIS_IDEMPOTENCY_PREFIX = "{cactus}:idem:";

/** Default bound on each Redis call of the store, in ms. */
export const DEFAULT_REDIS_IDEMPOTENCY_TIMEOUT_MS = 2_000;

/** A Lua script and its SHA1, so that each call sends `EVALSHA` (40 bytes) rather than the whole script. */
interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function luaScript(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

const CLAIM = luaScript(CLAIM_SCRIPT);
const COMMIT = luaScript(COMMIT_SCRIPT);
const RELEASE = luaScript(RELEASE_SCRIPT);

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
  /**
   * How long each Redis call (claim, commit, release) may take, in ms. Default 2000. A Redis that
   * does not answer in time fails the call with `CactusIdempotencyError`, so a delivery is answered
   * 503 with `Retry-After` well within Cactus's 15 s, whatever the client's own retry settings.
   */
  readonly timeoutMs?: number;
}

/**
 * An {@link IdempotencyStore} in Redis (through ioredis), shared by every process and machine
 * that uses the same Redis and key prefix: one event runs to success once across all of them.
 *
 * - `claim` is `SET key lease:<token> NX PX leaseMs`: a done key answers `duplicate`, a live lease
 *   `in_progress` with its remaining TTL. A process that dies mid-handler leaves a lease that
 *   expires on its own, and the redelivery then runs.
 * - `commit` turns the key into a done marker with the done TTL if we still hold the lease, or if
 *   the lease expired and nobody took the key since. A commit after the lease expired rejects
 *   with {@link CactusLeaseExpiredError} (reported by the receiver, never silent), saying whether
 *   the event is now recorded or another delivery has it (then the handler may run twice).
 * - `release` deletes the key, only if we still hold the lease.
 *
 * Redis errors are thrown as they come (the receiver answers 503 `idempotency_store_failed`, so
 * Cactus redelivers). Each call has its own deadline (`timeoutMs`, default 2 s): a hung Redis
 * fails the call with `CactusIdempotencyError` instead of holding the delivery. A claim that
 * Redis runs after its deadline is released as soon as its late answer arrives.
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
  readonly #timeoutMs: number;

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
    const timeoutMs = options.timeoutMs ?? DEFAULT_REDIS_IDEMPOTENCY_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw new CactusConfigError(`RedisIdempotencyStore timeoutMs must be an integer > 0, got ${String(timeoutMs)}`);
    }
    this.redis = redis;
    this.keyPrefix = prefix;
    this.#doneTtlMs = doneTtlMs;
    this.#timeoutMs = timeoutMs;
  }

  /** The Redis key of `eventId`. */
  keyOf(eventId: string): string {
    return this.keyPrefix + eventId;
  }

  /** @inheritdoc */
  async claim(eventId: string, leaseMs: number): Promise<IdempotencyClaim> {
    const token = randomUUID();
    // Past the deadline, a claim Redis runs later would hold the event for a whole lease: let it go.
    const answer = await this.#within("claim", eventId, (expired) => this.#script(CLAIM, expired, this.keyOf(eventId), token, String(Math.max(1, Math.ceil(leaseMs)))), (late) => {
      if (Array.isArray(late) && late[0] === "claimed") void this.#script(RELEASE, () => false, this.keyOf(eventId), token).catch(() => undefined);
    });
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
    const answer = await this.#within("commit", eventId, (expired) => this.#script(COMMIT, expired, this.keyOf(eventId), token, String(this.#doneTtlMs)));
    if (answer === 2) throw new CactusLeaseExpiredError(eventId, "recorded");
    if (answer === 3) throw new CactusLeaseExpiredError(eventId, "handled_elsewhere");
    if (answer === 0) throw new CactusLeaseExpiredError(eventId, "held_elsewhere");
  }

  /** @inheritdoc */
  async release(eventId: string, token: string): Promise<void> {
    await this.#within("release", eventId, (expired) => this.#script(RELEASE, expired, this.keyOf(eventId), token));
  }

  // One round trip: EVALSHA; a Redis that does not know the script yet (NOSCRIPT: restarted,
  // SCRIPT FLUSH, another node of a Cluster) gets the whole script once with EVAL, which caches it;
  // unless the call's deadline passed meanwhile (`expired`): NOSCRIPT ran nothing, so nothing is left to undo.
  #script(script: LuaScript, expired: () => boolean, key: string, ...args: string[]): Promise<unknown> {
    return this.redis.evalsha(script.sha, 1, key, ...args).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith("NOSCRIPT") && !expired()) return this.redis.eval(script.source, 1, key, ...args);
      throw error;
    });
  }

  // The call's answer, or a CactusIdempotencyError once timeoutMs passed; `late` sees an answer
  // that came after the deadline. The deadline shares one timer with every other call of the same
  // length (no timer made and cleared per call).
  #within(step: string, eventId: string, start: (expired: () => boolean) => Promise<unknown>, late?: (answer: unknown) => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const deadline = armDeadline(this.#timeoutMs, () => {
        timedOut = true;
        reject(new CactusIdempotencyError(`Redis did not answer the ${step} of event ${eventId.slice(0, 200)} within ${this.#timeoutMs} ms`));
      });
      start(() => timedOut).then(
        (answer) => {
          if (deadline.settle()) resolve(answer);
          else late?.(answer);
        },
        (error: unknown) => {
          if (deadline.settle()) reject(error);
        },
      );
    });
  }
}

function unexpected(step: string, eventId: string, answer: unknown): CactusIdempotencyError {
  return new CactusIdempotencyError(`Redis answered the ${step} of event ${eventId} with ${JSON.stringify(answer)}, not a claim result`);
}
