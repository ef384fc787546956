import { CactusConfigError } from "../errors";
import { DEFAULT_DONE_TTL_MS, type IdempotencyClaim, type IdempotencyStore } from "./idempotency-store";
import { SYNC_STORE, SyncIdempotencySteps, type GrantedClaim } from "./sync-store";

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
  // Every remembered id lives in one of two generations, each a Map from the event id to its state:
  // a lease (its handler is running) or, once done, when it was committed (ms since this store was
  // made: a small integer, so no object per done id). A claim adds the lease and its commit turns
  // that same entry into a number in place. `#current` takes the claims since `#rotatedAt`;
  // `#previous` holds the span before and is only read (and trimmed) from then on. Every
  // `doneTtlMs` the generations rotate and the old previous one is dropped whole: all of its done
  // ids were committed more than `doneTtlMs` ago. So expiry costs no walk over the ids, an expired
  // lease is simply not honoured (and goes with its generation or the bound), and the bound evicts
  // the oldest ids from the front of the previous generation through one cursor.
  #current = new Map<string, Lease | number>();
  #previous = new Map<string, Lease | number>();
  #previousCursor: Iterator<[string, Lease | number]> = this.#previous.entries();
  #rotatedAt: number;
  readonly #doneTtlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #epoch: number;
  #tokens = 0;

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
    return this.#current.size + this.#previous.size;
  }

  /** @inheritdoc */
  async claim(eventId: string, leaseMs: number): Promise<IdempotencyClaim> {
    const claim = this.#claim(eventId, leaseMs);
    // A plain object with its token, not the lease itself.
    return claim instanceof Lease ? { status: "claimed", token: claim.token } : claim;
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
   * this store costs no extra turn of the event loop. Their claim is the lease itself, told by
   * identity at commit and release (no token string is made).
   */
  readonly [SYNC_STORE] = new SyncIdempotencySteps(
    (eventId, leaseMs) => this.#claim(eventId, leaseMs),
    (eventId, claim) => this.#commit(eventId, claim),
    (eventId, claim) => this.#release(eventId, claim),
  );

  #claim(eventId: string, leaseMs: number): Lease | IdempotencyClaim {
    const now = this.#now();
    const elapsed = now - this.#epoch;
    if (elapsed - this.#rotatedAt >= this.#doneTtlMs) this.#rotate(elapsed);
    // The current generation first: an id claimed again after it expired there shadows its older entry.
    let state = this.#current.get(eventId);
    if (state === undefined && this.#previous.size !== 0) state = this.#previous.get(eventId);
    if (typeof state === "number") {
      // A done id older than the TTL is ignored here; its generation is dropped at a later rotation.
      if (state + this.#doneTtlMs > elapsed) return DUPLICATE;
    } else if (state !== undefined && state.expiresAt > now) {
      return { status: "in_progress", retryAfterMs: state.expiresAt - now };
    }
    // Serials only need to be unique within this store (one process): a counter is enough.
    const lease = new Lease((this.#tokens += 1), now + leaseMs);
    this.#current.set(eventId, lease);
    if (this.size > this.#maxEntries) this.#evictOldest(elapsed, now);
    return lease;
  }

  // `holder`: the token (the async API) or the lease itself (the synchronous steps).
  #commit(eventId: string, holder: string | GrantedClaim): void {
    const committedAt = this.#now() - this.#epoch;
    const state = this.#current.get(eventId);
    if (state !== undefined) {
      // The usual case: the lease this claim added, turned into its commit time in place.
      if (isHeldBy(state, holder)) this.#current.set(eventId, committedAt);
      return;
    }
    // The generations rotated while the handler ran: its lease is in the previous one.
    if (!isHeldBy(this.#previous.get(eventId), holder)) return;
    this.#previous.delete(eventId);
    this.#current.set(eventId, committedAt);
  }

  #release(eventId: string, holder: string | GrantedClaim): void {
    for (const generation of [this.#current, this.#previous]) {
      const state = generation.get(eventId);
      if (state === undefined) continue;
      if (isHeldBy(state, holder)) generation.delete(eventId);
      return;
    }
  }

  // At least one TTL after the current generation began: its ids become the previous generation,
  // and the old previous one goes whole (all of its done ids were committed before the current
  // one began, so more than one TTL ago; a lease still in it had expired long before).
  #rotate(elapsed: number): void {
    this.#previous = this.#current;
    this.#previousCursor = this.#previous.entries();
    this.#current = new Map();
    this.#rotatedAt = elapsed;
  }

  // Past the bound, the oldest ids go: from the front of the previous generation (nothing is added
  // to it, so one cursor walks it once), then, once it is empty, the current one becomes the
  // previous one (its ids are kept; only the oldest are evicted). A live lease stays (its handler is
  // still running), so the bound never makes a running event run twice.
  #evictOldest(elapsed: number, now: number): void {
    while (this.size > this.#maxEntries) {
      if (this.#previous.size === 0) {
        if (this.#current.size === 0) return;
        this.#rotate(elapsed);
      }
      const oldest = this.#previousCursor.next();
      if (oldest.done === true) return;
      const [id, state] = oldest.value;
      if (typeof state === "number" || state.expiresAt <= now) this.#previous.delete(id);
    }
  }
}

// A running handler's hold on its event id, and the claim the synchronous steps answer with: its
// token string is only made when the async API asks for it.
class Lease {
  readonly status = "claimed";

  constructor(
    readonly serial: number,
    readonly expiresAt: number,
  ) {}

  get token(): string {
    return String(this.serial);
  }
}

// Whether `state` is the lease `holder` names: by token (the async API) or by identity.
function isHeldBy(state: Lease | number | undefined, holder: string | GrantedClaim): boolean {
  if (!(state instanceof Lease)) return false;
  return typeof holder === "string" ? state.token === holder : state === holder;
}

const DUPLICATE: IdempotencyClaim = Object.freeze({ status: "duplicate" });

function positive(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new CactusConfigError(`MemoryIdempotencyStore ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}
