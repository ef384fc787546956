import { CactusEventInProgressError, CactusIdempotencyError } from "../errors";
import type { IdempotencyStore } from "./idempotency-store";
import type { SyncIdempotencySteps } from "./sync-store";

/** A claim that ran: what `commit` and `release` need. `token` is `undefined` with no store. */
export interface HeldClaim {
  readonly store: IdempotencyStore | undefined;
  readonly eventId: string;
  readonly token: string | undefined;
  /** The store's synchronous steps, when it has them (the memory store). */
  readonly steps?: SyncIdempotencySteps | undefined;
}

/**
 * The claim step: with no store, every event runs (a no-op claim). With a store: `"duplicate"` when
 * the event was already handled; throws {@link CactusEventInProgressError} when another delivery
 * holds it, and {@link CactusIdempotencyError} when the store fails (nothing runs; Cactus redelivers).
 */
export async function claimEvent(
  store: IdempotencyStore | undefined,
  event: { readonly id: string; readonly type: string },
  leaseMs: number,
): Promise<HeldClaim | "duplicate"> {
  if (store === undefined) return { store, eventId: event.id, token: undefined };
  let claim;
  try {
    claim = await store.claim(event.id, leaseMs);
  } catch (cause) {
    throw new CactusIdempotencyError(`The idempotency store could not claim ${event.type} event ${event.id}; nothing ran`, { cause });
  }
  if (claim.status === "duplicate") return "duplicate";
  if (claim.status === "in_progress") {
    throw new CactusEventInProgressError(event.id, event.type, Math.max(1, Math.ceil(claim.retryAfterMs / 1000)));
  }
  return { store, eventId: event.id, token: claim.token };
}

/** The commit step: marks the event done. Throws {@link CactusIdempotencyError} if the store fails. */
export async function commitClaim(claim: HeldClaim): Promise<void> {
  if (claim.store === undefined || claim.token === undefined) return;
  try {
    await claim.store.commit(claim.eventId, claim.token);
  } catch (cause) {
    throw new CactusIdempotencyError(`The idempotency store could not record event ${claim.eventId} as done`, { cause });
  }
}

/** The release step after a failure, so the redelivery runs. Throws {@link CactusIdempotencyError} if the store fails. */
export async function releaseClaim(claim: HeldClaim): Promise<void> {
  if (claim.store === undefined || claim.token === undefined) return;
  try {
    await claim.store.release(claim.eventId, claim.token);
  } catch (cause) {
    throw new CactusIdempotencyError(`The idempotency store could not release event ${claim.eventId}; its lease expires on its own`, { cause });
  }
}
