import { CactusEventInProgressError, CactusIdempotencyError } from "../errors";
import type { IdempotencyClaim, IdempotencyStore } from "./idempotency-store";
import { syncStepsOf, type GrantedClaim, type SyncIdempotencySteps } from "./sync-store";

/** A claim that ran: what `commit` and `release` need. */
export interface HeldClaim {
  readonly store: IdempotencyStore;
  readonly eventId: string;
  /** What the store granted (its token is what `commit` and `release` are given). */
  readonly granted: GrantedClaim;
  /** The store's synchronous steps, when it has them (the memory store): no promise per step. */
  readonly steps: SyncIdempotencySteps | undefined;
}

/** What the claim step found: the event is ours to run, or it was handled already. */
export type ClaimOutcome = HeldClaim | "duplicate";

type ClaimedEvent = { readonly id: string; readonly type: string };

/**
 * The claim step: `"duplicate"` when the event was already handled; throws
 * {@link CactusEventInProgressError} when another delivery holds it, and
 * {@link CactusIdempotencyError} when the store fails (nothing runs; Cactus redelivers). A store
 * with synchronous steps (the memory store) answers at once, any other through a promise.
 */
export function claimEvent(store: IdempotencyStore, event: ClaimedEvent, leaseMs: number): ClaimOutcome | Promise<ClaimOutcome> {
  const steps = syncStepsOf(store);
  if (steps !== undefined) {
    let claim: IdempotencyClaim;
    try {
      claim = steps.claim(event.id, leaseMs);
    } catch (cause) {
      throw claimFailed(event, cause);
    }
    return held(store, steps, event, claim);
  }
  let pending: Promise<IdempotencyClaim>;
  try {
    pending = Promise.resolve(store.claim(event.id, leaseMs));
  } catch (cause) {
    throw claimFailed(event, cause);
  }
  return pending.then(
    (claim) => held(store, undefined, event, claim),
    (cause: unknown) => {
      throw claimFailed(event, cause);
    },
  );
}

/** The commit step: marks the event done. Throws (or rejects with) {@link CactusIdempotencyError} if the store fails. */
export function commitClaim(claim: HeldClaim): void | Promise<void> {
  return settleClaim(claim, "commit", `The idempotency store could not record event ${claim.eventId} as done`);
}

/** The release step after a failure, so the redelivery runs. Throws (or rejects with) {@link CactusIdempotencyError} if the store fails. */
export function releaseClaim(claim: HeldClaim): void | Promise<void> {
  return settleClaim(claim, "release", `The idempotency store could not release event ${claim.eventId}; its lease expires on its own`);
}

function settleClaim(claim: HeldClaim, step: "commit" | "release", failure: string): void | Promise<void> {
  const { store, steps, eventId, granted } = claim;
  let pending: Promise<void>;
  try {
    if (steps !== undefined) return steps[step](eventId, granted);
    pending = Promise.resolve(store[step](eventId, granted.token));
  } catch (cause) {
    throw new CactusIdempotencyError(failure, { cause });
  }
  return pending.catch((cause: unknown) => {
    throw new CactusIdempotencyError(failure, { cause });
  });
}

function held(store: IdempotencyStore, steps: SyncIdempotencySteps | undefined, event: ClaimedEvent, claim: IdempotencyClaim): ClaimOutcome {
  if (claim.status === "duplicate") return "duplicate";
  if (claim.status === "in_progress") throw new CactusEventInProgressError(event.id, event.type, Math.max(1, Math.ceil(claim.retryAfterMs / 1000)));
  return { store, eventId: event.id, granted: claim, steps };
}

function claimFailed(event: ClaimedEvent, cause: unknown): CactusIdempotencyError {
  return new CactusIdempotencyError(`The idempotency store could not claim ${event.type} event ${event.id}; nothing ran`, { cause });
}
