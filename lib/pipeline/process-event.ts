import { claimEvent, commitClaim, releaseClaim, type HeldClaim } from "../delivery/claim";
import { CactusHandlerError, CactusHandlerTimeoutError, isInstanceOf } from "../errors";
import type { PushedThinEvent } from "../events/catalog";
import { TIMED_OUT, withinTimeout } from "./handler-timeout";
import type { ReceiverSettings } from "./receiver-options";
import type { CactusErrorReporter, DeliveryContext, DispatchResult, HandleResult } from "./types";

/**
 * The steps after parsing, composed once: claim -> dispatch -> commit (or release on failure).
 * Every receiver entry (`handle`, `handleWebhook`, the middleware, a queue worker) ends here.
 */
export async function claimDispatchCommit(
  event: PushedThinEvent,
  dispatch: (event: PushedThinEvent) => Promise<DispatchResult>,
  settings: ReceiverSettings,
  context: DeliveryContext,
): Promise<HandleResult> {
  const store = context.idempotency ?? settings.idempotency;
  // No store: nothing to claim, and no promise to wait for.
  const claim = store === undefined ? { store, eventId: event.id, token: undefined } : await claimEvent(store, event, settings.leaseMs);
  if (claim === "duplicate") return { event, outcome: "duplicate", handledBy: "", handlers: [] };
  const report = context.onError ?? settings.onError;
  const outcome = await withinTimeout(dispatchThenSettle(event, dispatch, claim, report), context.handlerTimeoutMs, (error) => safeReport(report, error, 500));
  if (outcome === TIMED_OUT) throw new CactusHandlerTimeoutError(event.id, event.type, context.handlerTimeoutMs ?? 0);
  const { handlers } = outcome;
  return { event, outcome: "handled", handledBy: handlers.join(", "), handlers };
}

// Dispatch, then commit on success or release on failure: one async step, however long it runs
// (past a handler timeout it still commits or releases, so the claim always ends).
async function dispatchThenSettle(
  event: PushedThinEvent,
  dispatch: (event: PushedThinEvent) => Promise<DispatchResult>,
  claim: HeldClaim,
  report: CactusErrorReporter,
): Promise<DispatchResult> {
  let result: DispatchResult;
  try {
    result = await dispatch(event);
  } catch (cause) {
    if (claim.store !== undefined) await releaseQuietly(claim, report);
    // A handler's throw (sync or async) becomes a CactusHandlerError carrying the event id and type.
    throw isInstanceOf(cause, CactusHandlerError) ? cause : new CactusHandlerError(event.id, event.type, cause);
  }
  if (claim.store !== undefined) {
    // The handler succeeded: answer so. A store that cannot record it is reported; the lease then
    // expires and a redelivery may run the handler again (at least once, never lost).
    try {
      await commitClaim(claim);
    } catch (error) {
      safeReport(report, error, 500);
    }
  }
  return result;
}

// The handler's failure is what the caller must see; a store that cannot release is reported aside.
async function releaseQuietly(claim: HeldClaim, report: CactusErrorReporter): Promise<void> {
  try {
    await releaseClaim(claim);
  } catch (error) {
    safeReport(report, error, 500);
  }
}

/** Calls an error reporter; a reporter that throws must not turn into an unhandled rejection. */
export function safeReport(report: CactusErrorReporter, error: unknown, status: number): void {
  try {
    report(error, status);
  } catch {
    // ignored on purpose: the answer matters more than the log line
  }
}
