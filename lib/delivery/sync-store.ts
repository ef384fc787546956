import type { IdempotencyClaim, IdempotencyStore } from "./idempotency-store";

/** The key of a store's synchronous claim/commit/release (stores that answer from memory). */
export const SYNC_STORE: unique symbol = Symbol("cactus.syncStore");

/** The same three steps as {@link IdempotencyStore}, answered without a promise. */
export interface SyncIdempotencySteps {
  /** As `claim`, synchronously. */
  claim(eventId: string, leaseMs: number): IdempotencyClaim;
  /** As `commit`, synchronously. */
  commit(eventId: string, token: string): void;
  /** As `release`, synchronously. */
  release(eventId: string, token: string): void;
}

/** The synchronous steps of `store`, when it has them (the memory store does): no promise per step. */
export function syncStepsOf(store: IdempotencyStore): SyncIdempotencySteps | undefined {
  const steps: unknown = Reflect.get(store, SYNC_STORE);
  return typeof steps === "object" && steps !== null && isSteps(steps) ? steps : undefined;
}

function isSteps(value: object): value is SyncIdempotencySteps {
  return typeof Reflect.get(value, "claim") === "function" && typeof Reflect.get(value, "commit") === "function" && typeof Reflect.get(value, "release") === "function";
}
