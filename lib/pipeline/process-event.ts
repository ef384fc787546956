import { claimEvent, commitClaim, releaseClaim, type HeldClaim } from "../delivery/claim";
import { CactusHandlerError, CactusHandlerTimeoutError, isInstanceOf } from "../errors";
import type { PushedThinEvent } from "../events/catalog";
import { settleWithin, type Settled } from "./handler-timeout";
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
  const claim = await claimEvent(context.idempotency ?? settings.idempotency, event, settings.leaseMs);
  if (claim === "duplicate") return { event, outcome: "duplicate", handledBy: "", handlers: [] };
  const report = context.onError ?? settings.onError;
  const running = runDispatch(event, dispatch).then(
    async (result) => {
      // The handler succeeded: answer so. A store that cannot record it is reported; the lease
      // then expires and a redelivery may run the handler again (at least once, never lost).
      try {
        await commitClaim(claim);
      } catch (error) {
        safeReport(report, error, 500);
      }
      return result;
    },
    async (error: unknown) => {
      await releaseQuietly(claim, report);
      throw error;
    },
  );
  const settled = await settleWithin(running, context.handlerTimeoutMs, (late) => reportLate(late, report));
  if (settled.kind === "timed_out") throw new CactusHandlerTimeoutError(event.id, event.type, context.handlerTimeoutMs ?? 0);
  if (settled.kind === "rejected") throw settled.error;
  const { handlers } = settled.value;
  return { event, outcome: "handled", handledBy: handlers.join(", "), handlers };
}

// A handler's throw (sync or async) becomes a CactusHandlerError carrying the event id and type.
async function runDispatch(event: PushedThinEvent, dispatch: (event: PushedThinEvent) => Promise<DispatchResult>): Promise<DispatchResult> {
  try {
    return await dispatch(event);
  } catch (cause) {
    throw isInstanceOf(cause, CactusHandlerError) ? cause : new CactusHandlerError(event.id, event.type, cause);
  }
}

// The handler's failure is what the caller must see; a store that cannot release is reported aside.
async function releaseQuietly(claim: HeldClaim, report: CactusErrorReporter): Promise<void> {
  try {
    await releaseClaim(claim);
  } catch (error) {
    safeReport(report, error, 500);
  }
}

// The delivery was already answered 503 handler_timeout; the handler's real outcome still counts.
function reportLate(settled: Settled<DispatchResult>, report: CactusErrorReporter): void {
  if (settled.kind === "rejected") safeReport(report, settled.error, 500);
}

/** Calls an error reporter; a reporter that throws must not turn into an unhandled rejection. */
export function safeReport(report: CactusErrorReporter, error: unknown, status: number): void {
  try {
    report(error, status);
  } catch {
    // ignored on purpose: the answer matters more than the log line
  }
}
