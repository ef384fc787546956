/**
 * What {@link IdempotencyStore.claim} found:
 * - `claimed`: nobody handled this event yet; run it, then `commit` (or `release` on failure) with `token`;
 * - `duplicate`: it was already handled successfully; run nothing;
 * - `in_progress`: another delivery holds it right now; run nothing and ask Cactus to come back.
 */
export type IdempotencyClaim =
  | { readonly status: "claimed"; readonly token: string }
  | { readonly status: "duplicate" }
  | { readonly status: "in_progress"; readonly retryAfterMs: number };

/**
 * Remembers which event ids were handled, so that each event's handler runs to success once even
 * though Cactus delivers at least once. Keyed on the event id; claim / commit / release:
 *
 * - `claim(id, leaseMs)` takes a lease on `id` for `leaseMs` (so a process that dies mid-handler
 *   lets the redelivery run once the lease expires);
 * - `commit(id, token)` records `id` as done (kept for the store's done TTL);
 * - `release(id, token)` drops the lease after a failure, so the redelivery runs the handler again.
 *
 * `MemoryIdempotencyStore` (this package's root) is for one process; `RedisIdempotencyStore`
 * (`cactus-sdk/redis`) shares the record between processes and machines. Implement this interface
 * to keep it elsewhere (a SQL table with a unique key, DynamoDB with a condition expression).
 *
 * @example
 * ```ts
 * const handler = new MyHandler(client, { idempotency: new MemoryIdempotencyStore() });
 * ```
 */
export interface IdempotencyStore {
  /** Takes a lease on `eventId` for `leaseMs`, unless it is done or leased already. */
  claim(eventId: string, leaseMs: number): Promise<IdempotencyClaim>;
  /** Marks `eventId` done; `token` is the one `claim` returned (a lease taken over by another holder is left alone). */
  commit(eventId: string, token: string): Promise<void>;
  /** Drops the lease on `eventId` so a redelivery runs it again; `token` as for `commit`. */
  release(eventId: string, token: string): Promise<void>;
}

/** Default time a done event id is remembered: 7 days, longer than Cactus keeps redelivering. */
export const DEFAULT_DONE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Default lease of a claim: 60 s, longer than a handler may run before `handlerTimeoutMs` answers. */
export const DEFAULT_LEASE_MS = 60_000;
