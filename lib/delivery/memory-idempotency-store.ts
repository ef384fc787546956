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
  // Leases (handlers running): few, short-lived. Done events: the event id and when it was
  // committed, in ms since this store was made (a small integer, so no object per event is kept);
  // insertion order = commit order, and with one TTL for all that is expiry order too.
  readonly #leases = new Map<string, Lease>();
  readonly #done = new Map<string, number>();
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
  }

  /** How many event ids are remembered now (done or leased). */
  get size(): number {
    return this.#leases.size + this.#done.size;
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
    const lease = this.#leases.get(eventId);
    if (lease !== undefined && lease.expiresAt > now) return { status: "in_progress", retryAfterMs: lease.expiresAt - now };
    const committedAt = this.#done.get(eventId);
    if (committedAt !== undefined) {
      if (this.#epoch + committedAt + this.#doneTtlMs > now) return DUPLICATE;
      this.#done.delete(eventId);
    }
    // Tokens only need to be unique within this store (one process): a counter is enough.
    const token = String((this.#tokens += 1));
    this.#leases.set(eventId, { token, expiresAt: now + leaseMs });
    // Past the bound, evict now; expired entries are swept at most once a second (claim ignores
    // them meanwhile), so a claim does not walk the maps every time.
    if (this.size > this.#maxEntries || now >= this.#nextSweep) {
      this.#nextSweep = now + SWEEP_INTERVAL_MS;
      this.#evict(now);
    }
    return { status: "claimed", token };
  }

  #commit(eventId: string, token: string): void {
    const lease = this.#leases.get(eventId);
    if (lease === undefined || lease.token !== token) return;
    this.#leases.delete(eventId);
    // An expired done entry of this id was dropped by the claim, so this one is the newest.
    this.#done.set(eventId, this.#now() - this.#epoch);
  }

  #release(eventId: string, token: string): void {
    const lease = this.#leases.get(eventId);
    if (lease !== undefined && lease.token === token) this.#leases.delete(eventId);
  }

  // Expired entries always go (done ones oldest first, and they expire in that order); past the
  // bound, the oldest done ones go too. A live lease stays (its handler is still running), so the
  // bound never makes a running event run twice.
  #evict(now: number): void {
    for (const [id, lease] of this.#leases) if (lease.expiresAt <= now) this.#leases.delete(id);
    const expiredBefore = now - this.#epoch - this.#doneTtlMs;
    for (const [id, committedAt] of this.#done) {
      if (committedAt <= expiredBefore || this.size > this.#maxEntries) this.#done.delete(id);
      else return;
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
