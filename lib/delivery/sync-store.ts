import type { IdempotencyClaim, IdempotencyStore } from "./idempotency-store";

/** The key of a store's synchronous claim/commit/release (stores that answer from memory). */
export const SYNC_STORE: unique symbol = Symbol("cactus.syncStore");

/** A claim that {@link SyncIdempotencySteps} granted: `commit` and `release` are given it back as it is. */
export type GrantedClaim = Extract<IdempotencyClaim, { readonly status: "claimed" }>;

/**
 * The same three steps as {@link IdempotencyStore}, answered without a promise. `commit` and
 * `release` get the claim object `claim` returned (not only its token), so a store may tell its
 * own lease by identity and never make a token string.
 */
export class SyncIdempotencySteps {
  /**
   * @param claim as `claim`, synchronously
   * @param commit as `commit`, synchronously, given the granted claim
   * @param release as `release`, synchronously, given the granted claim
   */
  constructor(
    readonly claim: (eventId: string, leaseMs: number) => IdempotencyClaim,
    readonly commit: (eventId: string, claim: GrantedClaim) => void,
    readonly release: (eventId: string, claim: GrantedClaim) => void,
  ) {}
}

/** The synchronous steps of `store`, when it has them (the memory store does): no promise per step. */
export function syncStepsOf(store: IdempotencyStore): SyncIdempotencySteps | undefined {
  const holder: IdempotencyStore & { readonly [SYNC_STORE]?: unknown } = store;
  const steps = holder[SYNC_STORE];
  return steps instanceof SyncIdempotencySteps ? steps : undefined;
}
