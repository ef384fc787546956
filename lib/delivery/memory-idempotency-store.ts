import { CactusConfigError } from "../errors";
import { DEFAULT_DONE_TTL_MS, type IdempotencyClaim, type IdempotencyStore } from "./idempotency-store";
import { SYNC_STORE, type SyncIdempotencySteps } from "./sync-store";

/** Options of {@link MemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** How long a done event is remembered, in milliseconds. Default 7 days (longer than Cactus redelivers). */
  readonly doneTtlMs?: number;
  /** Most event ids remembered at once (done or in flight); the oldest done ones go first. Default 100,000. */
  readonly maxEntries?: number;
  /** The clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

interface Entry {
  /** `lease` while a handler runs; `done` after a commit. */
  state: "lease" | "done";
  token: string;
  expiresAt: number;
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
  // Insertion order = claim order: a Map iterates the oldest claim first, so eviction is O(1) per entry.
  readonly #entries = new Map<string, Entry>();
  readonly #doneTtlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  #tokens = 0;
  #nextSweep = 0;

  /** @param options TTL, bound and clock; bad numbers throw {@link CactusConfigError}. */
  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.#doneTtlMs = positive("doneTtlMs", options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
    this.#maxEntries = positive("maxEntries", options.maxEntries ?? DEFAULT_MEMORY_MAX_ENTRIES);
    this.#now = options.now ?? Date.now;
  }

  /** How many event ids are remembered now (done or leased). */
  get size(): number {
    return this.#entries.size;
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
  readonly [SYNC_STORE]: SyncIdempotencySteps = {
    claim: (eventId, leaseMs) => this.#claim(eventId, leaseMs),
    commit: (eventId, token) => this.#commit(eventId, token),
    release: (eventId, token) => this.#release(eventId, token),
  };

  #claim(eventId: string, leaseMs: number): IdempotencyClaim {
    const now = this.#now();
    const entry = this.#entries.get(eventId);
    if (entry !== undefined && entry.expiresAt > now) {
      return entry.state === "done" ? DUPLICATE : { status: "in_progress", retryAfterMs: entry.expiresAt - now };
    }
    // Tokens only need to be unique within this store (one process): a counter is enough.
    const token = String((this.#tokens += 1));
    if (entry !== undefined) this.#entries.delete(eventId); // re-inserted below, as the newest
    this.#entries.set(eventId, { state: "lease", token, expiresAt: now + leaseMs });
    // Past the bound, evict now; expired entries are swept at most once a second (claim ignores
    // them meanwhile), so a claim does not walk the map every time.
    if (this.#entries.size > this.#maxEntries || now >= this.#nextSweep) {
      this.#nextSweep = now + SWEEP_INTERVAL_MS;
      this.#evict(now);
    }
    return { status: "claimed", token };
  }

  #commit(eventId: string, token: string): void {
    const entry = this.#entries.get(eventId);
    if (entry === undefined || entry.token !== token) return;
    // Done in place: the entry keeps its place in the map's claim order.
    entry.state = "done";
    entry.expiresAt = this.#now() + this.#doneTtlMs;
  }

  #release(eventId: string, token: string): void {
    const entry = this.#entries.get(eventId);
    if (entry !== undefined && entry.state === "lease" && entry.token === token) this.#entries.delete(eventId);
  }

  // Oldest first: expired entries always go; past the bound, done ones go too. A live lease stays
  // (its handler is still running), so the bound never makes a running event run twice.
  #evict(now: number): void {
    for (const [id, entry] of this.#entries) {
      const over = this.#entries.size > this.#maxEntries;
      if (entry.expiresAt <= now || (over && entry.state === "done")) this.#entries.delete(id);
      else if (!over) return;
    }
  }
}

const SWEEP_INTERVAL_MS = 1000;
const DUPLICATE: IdempotencyClaim = Object.freeze({ status: "duplicate" });

function positive(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new CactusConfigError(`MemoryIdempotencyStore ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}
