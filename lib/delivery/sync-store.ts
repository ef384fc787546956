import type { IdempotencyClaim, IdempotencyStore } from "./idempotency-store";

/** The key of a store's synchronous claim/commit/release (stores that answer from memory). */
export const SYNC_STORE: unique symbol = Symbol("cactus.syncStore");

/** The same three steps as {@link IdempotencyStore}, answered without a promise. */
export class SyncIdempotencySteps {
  /**
   * @param claim as `claim`, synchronously
   * @param commit as `commit`, synchronously
   * @param release as `release`, synchronously
   */
  constructor(
    readonly claim: (eventId: string, leaseMs: number) => IdempotencyClaim,
    readonly commit: (eventId: string, token: string) => void,
    readonly release: (eventId: string, token: string) => void,
  ) {}
}

/** The synchronous steps of `store`, when it has them (the memory store does): no promise per step. */
export function syncStepsOf(store: IdempotencyStore): SyncIdempotencySteps | undefined {
  const holder: IdempotencyStore & { readonly [SYNC_STORE]?: unknown } = store;
  const steps = holder[SYNC_STORE];
  return steps instanceof SyncIdempotencySteps ? steps : undefined;
}
