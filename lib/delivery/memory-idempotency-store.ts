import { CactusConfigError } from "../errors";
import { DEFAULT_DONE_TTL_MS, type IdempotencyClaim, type IdempotencyStore } from "./idempotency-store";
import { SYNC_STORE, SyncIdempotencySteps } from "./sync-store";

/** Options of {@link MemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** How long a done event is remembered, in milliseconds. Default 7 days (longer than Cactus redelivers). */
  readonly doneTtlMs?: number;
  /** Most event ids remembered at once (done or in flight); the oldest done ones go first. Default 100,000. */
  readonly maxEntries?: number;
  /** The clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** Default bound of {@link MemoryIdempotencyStore}: 100,000 event ids. */
export const DEFAULT_MEMORY_MAX_ENTRIES = 100_000;

/**
 * An {@link IdempotencyStore} in this process's memory: the default for one process and for tests.
 * Bounded by count (`maxEntries`) and by time (`doneTtlMs`), so memory stays flat however many
 * events arrive. It does not survive a restart and is not shared between processes: use
 * `RedisIdempotencyStore` from `cactus-sdk/redis` for that.
 *
 * When it is full, the oldest entry goes first; a lease (a handler still running) is only evicted
 * once it expired, so a running handler is never run twice because of the bound.
 *
 * @example
 * ```ts
 * const router = new CactusRouter(client, { idempotency: new MemoryIdempotencyStore({ doneTtlMs: 3_600_000 }) });
 * ```
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  // Leases (handlers running): few, short-lived. Done events live in two generations, each a Map
  // from the event id to when it was committed (ms since this store was made: a small integer, so
  // no object per event is kept). `#current` takes the commits since `#rotatedAt`; `#previous`
  // holds the span before, and is never written again. Every `doneTtlMs` the generations rotate and
  // the old previous one is dropped whole: all of its ids were committed more than `doneTtlMs` ago.
  // So expiry costs no walk over the ids and no timestamp check beyond the one a lookup makes, and
  // the bound evicts the oldest ids from the front of the frozen generation through one cursor.
  readonly #leases = new Map<string, Lease>();
  #current = new Map<string, number>();
  #previous = new Map<string, number>();
  #previousCursor: Iterator<[string, number]> = this.#previous.entries();
  #rotatedAt: number;
  readonly #doneTtlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #epoch: number;
  #tokens = 0;
  #nextSweep = 0;

  /** @param options TTL, bound and clock; bad numbers throw {@link CactusConfigError}. */
  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.#doneTtlMs = positive("doneTtlMs", options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
    this.#maxEntries = positive("maxEntries", options.maxEntries ?? DEFAULT_MEMORY_MAX_ENTRIES);
    this.#now = options.now ?? Date.now;
    this.#epoch = this.#now();
    this.#rotatedAt = 0;
  }

  /** How many event ids are remembered now (done or leased). */
  get size(): number {
    return this.#leases.size + this.#current.size + this.#previous.size;
  }

  /** @inheritdoc */
  async claim(eventId: string, leaseMs: number): Promise<IdempotencyClaim> {
    return this.#claim(eventId, leaseMs);
  }

  /** @inheritdoc */
  async commit(eventId: string, token: string): Promise<void> {
    this.#commit(eventId, token);
  }

  /** @inheritdoc */
  async release(eventId: string, token: string): Promise<void> {
    this.#release(eventId, token);
  }

  /**
   * The same steps without a promise each: the receivers use them, so that a delivery through
   * this store costs no extra turn of the event loop.
   */
  readonly [SYNC_STORE] = new SyncIdempotencySteps(
    (eventId, leaseMs) => this.#claim(eventId, leaseMs),
    (eventId, token) => this.#commit(eventId, token),
    (eventId, token) => this.#release(eventId, token),
  );

  #claim(eventId: string, leaseMs: number): IdempotencyClaim {
    const now = this.#now();
    const elapsed = now - this.#epoch;
    if (elapsed - this.#rotatedAt >= this.#doneTtlMs) this.#rotate(elapsed);
    const lease = this.#leases.get(eventId);
    if (lease !== undefined && lease.expiresAt > now) return { status: "in_progress", retryAfterMs: lease.expiresAt - now };
    let committedAt = this.#current.get(eventId);
    if (committedAt === undefined && this.#previous.size !== 0) committedAt = this.#previous.get(eventId);
    // A done id older than the TTL is ignored here; its generation is dropped at a later rotation.
    if (committedAt !== undefined && committedAt + this.#doneTtlMs > elapsed) return DUPLICATE;
    // Tokens only need to be unique within this store (one process): a counter is enough.
    const token = String((this.#tokens += 1));
    this.#leases.set(eventId, { token, expiresAt: now + leaseMs });
    // Expired leases are swept at most once a second (claim ignores them meanwhile), so a claim
    // does not walk the leases every time; past the bound, the oldest done ids go now.
    if (now >= this.#nextSweep) {
      this.#nextSweep = now + SWEEP_INTERVAL_MS;
      this.#sweep(now);
    }
    if (this.size > this.#maxEntries) this.#evictOldest(elapsed);
    return { status: "claimed", token };
  }

  #commit(eventId: string, token: string): void {
    const lease = this.#leases.get(eventId);
    if (lease === undefined || lease.token !== token) return;
    this.#leases.delete(eventId);
    // An older, expired commit of this id may sit in the previous generation: the newer one here wins.
    this.#current.set(eventId, this.#now() - this.#epoch);
  }

  #release(eventId: string, token: string): void {
    const lease = this.#leases.get(eventId);
    if (lease !== undefined && lease.token === token) this.#leases.delete(eventId);
  }

  // At least one TTL after the current generation began: its ids become the previous generation,
  // and the old previous one goes whole (all of it was committed before the current one began, so
  // more than one TTL ago).
  #rotate(elapsed: number): void {
    this.#previous = this.#current;
    this.#previousCursor = this.#previous.entries();
    this.#current = new Map();
    this.#rotatedAt = elapsed;
  }

  // Expired leases go. Expired done ids need no walk: a lookup ignores them, and their generation
  // is dropped whole at a later rotation (the bound caps memory meanwhile).
  #sweep(now: number): void {
    for (const [id, lease] of this.#leases) if (lease.expiresAt <= now) this.#leases.delete(id);
  }

  // Past the bound, the oldest done ids go: from the front of the previous generation (nothing is
  // added to it, so one cursor walks it once), then, once it is empty, the current one becomes the
  // previous one (its ids are kept; only the oldest are evicted). A live lease stays (its handler is
  // still running), so the bound never makes a running event run twice.
  #evictOldest(elapsed: number): void {
    while (this.size > this.#maxEntries) {
      if (this.#previous.size === 0) {
        if (this.#current.size === 0) return;
        this.#rotate(elapsed);
      }
      const oldest = this.#previousCursor.next();
      if (oldest.done === true) return;
      this.#previous.delete(oldest.value[0]);
    }
  }
}

interface Lease {
  readonly token: string;
  readonly expiresAt: number;
}

const SWEEP_INTERVAL_MS = 1000;
const DUPLICATE: IdempotencyClaim = Object.freeze({ status: "duplicate" });

function positive(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new CactusConfigError(`MemoryIdempotencyStore ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}
