import { claimEvent, commitClaim, releaseClaim, type ClaimOutcome, type HeldClaim } from "../delivery/claim";
import { deliveryRunnerOf, type DeliveryRunner, type DeliverySource, type RunnerOrder } from "../delivery/delivery-runner";
import type { CactusTransaction } from "../delivery/transaction";
import { StartedDispatch, dispatchedResult, type Dispatched } from "../delivery/started-dispatch";
import { CactusConfigError, CactusHandlerError, CactusHandlerTimeoutError, CactusLeaseExpiredError, describeThrown, isInstanceOf } from "../errors";
import { eventTypeLabel } from "../observability/outcome";
import { reportForAttempt } from "../observability/error-reporter";
import type { PushedThinEvent } from "../events/catalog";
import { armDeadline, type Deadline } from "../delivery/deadlines";
import { emitRuntimeWarning } from "../platform/warning";
import type { ReceiverSettings } from "./receiver-options";
import type { CactusErrorReporter, DeliveryContext, DispatchResult, HandleResult } from "../delivery/types";

type Dispatch = (event: PushedThinEvent, transaction?: CactusTransaction, order?: RunnerOrder) => Dispatched;

/**
 * How a receiver ends a delivery: `ok` and `fail` run once, right before the caller's promise
 * settles (the receiver leaves its in-flight count and ends the delivery's observation there), so
 * no promise layer of its own is needed for it. `ok` returns the result; `fail` rethrows.
 */
export interface DeliveryEnd {
  /** The delivery was handled (or was a duplicate): returns `result`. */
  ok(result: HandleResult): HandleResult;
  /** The delivery failed: throws `error`. */
  fail(error: unknown): never;
  /**
   * Whether the delivery runs inside its caller's own call (`handle`, `handleWebhook`): its
   * handlers then start on a later tick. `false` when the caller is past that already (the
   * webhook endpoint, which awaited the body first): they start at once.
   */
  readonly inCallersCall: boolean;
}

/**
 * The steps after parsing, composed once: claim -> dispatch -> commit (or release on failure).
 * Every receiver entry (`handle`, `handleWebhook`, the middleware, a queue worker) ends here.
 * A store that answers synchronously (the memory store) is claimed and committed without a
 * promise per step; any other store is awaited; a store with its own delivery runner (the
 * PostgreSQL event store) runs claim, dispatch and commit itself. `end` runs before the answer settles.
 */
export function claimDispatchCommit(event: PushedThinEvent, dispatch: Dispatch, settings: ReceiverSettings, context: DeliveryContext, end: DeliveryEnd): Promise<HandleResult> {
  const store = context.idempotency ?? settings.idempotency;
  const chosen = context.onError ?? settings.onError;
  // A queue worker's delivery carries its attempt: the default reporter words its line for a worker.
  const report: CactusErrorReporter = context.attempt === undefined ? chosen : (error, status) => reportForAttempt(context.attempt, () => chosen(error, status));
  if (store === undefined) {
    if (settings.ordering === "per-object") return failed(end, orderingNeedsEventStore());
    const answer = new Answer(event, context, report, end);
    dispatchThenSettle(event, dispatch, undefined, report, settings, end.inCallersCall, answer);
    return answer.promise;
  }
  const runner = deliveryRunnerOf(store);
  if (runner !== undefined) {
    const answer = new Answer(event, context, report, end);
    runThrough(runner, event, dispatch, settings, context, report).then(
      (result) => answer.succeed(result),
      (error: unknown) => answer.fail(error),
    );
    return answer.promise;
  }
  if (settings.ordering === "per-object") return failed(end, orderingNeedsEventStore());
  let claim: ClaimOutcome | Promise<ClaimOutcome>;
  try {
    claim = claimEvent(store, event, settings.leaseMs);
  } catch (error) {
    return failed(end, error);
  }
  if (!(claim instanceof Promise)) return afterClaim(event, dispatch, claim, context, report, settings, end);
  return claim.then(
    (outcome) => afterClaim(event, dispatch, outcome, context, report, settings, end),
    (error: unknown) => end.fail(error),
  );
}

/** Ends the delivery as failed, now, and answers with the rejection. */
export function failed(end: DeliveryEnd, error: unknown): Promise<HandleResult> {
  try {
    end.fail(error);
  } catch (thrown) {
    return Promise.reject(thrown);
  }
}

function afterClaim(event: PushedThinEvent, dispatch: Dispatch, claim: ClaimOutcome, context: DeliveryContext, report: CactusErrorReporter, settings: ReceiverSettings, end: DeliveryEnd): Promise<HandleResult> {
  if (claim === "duplicate") return Promise.resolve(end.ok({ event, outcome: "duplicate", handledBy: "", handlers: [] }));
  const answer = new Answer(event, context, report, end);
  dispatchThenSettle(event, dispatch, claim, report, settings, end.inCallersCall, answer);
  return answer.promise;
}

// The caller's answer: the work's result, or a timeout error once handlerTimeoutMs passed,
// whichever comes first. The work is not cancelled: it goes on, and if it fails after the
// timeout, the failure goes to `report`. The work settles it directly (no promise of its own is
// awaited for that); the deadline shares its timer with every other delivery of that limit.
class Answer {
  readonly promise: Promise<HandleResult>;
  #resolve!: (result: HandleResult) => void;
  #reject!: (error: unknown) => void;
  readonly #deadline: Deadline | undefined;

  constructor(
    private readonly event: PushedThinEvent,
    context: DeliveryContext,
    private readonly report: CactusErrorReporter,
    private readonly end: DeliveryEnd,
  ) {
    this.promise = new Promise<HandleResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const timeoutMs = context.handlerTimeoutMs;
    // A runtime whose timers cannot be armed still gets its answer, only without the timeout.
    this.#deadline = timeoutMs === undefined ? undefined : armOrWarn(timeoutMs, () => this.#expire(timeoutMs));
  }

  /** The work finished: the answer, unless the timeout came first. */
  succeed(result: DispatchResult | "duplicate" | "stale"): void {
    const deadline = this.#deadline;
    if (deadline === undefined || deadline.settle()) this.#resolve(this.end.ok(handledResult(this.event, result)));
  }

  /** The work failed: the rejection, or (after the timeout) a report. */
  fail(error: unknown): void {
    const deadline = this.#deadline;
    // The work settles once, so a deadline already settled is one that expired.
    if (deadline === undefined || deadline.settle()) settleWith(this.end, this.#reject, error);
    else safeReport(this.report, error, 500);
  }

  #expire(timeoutMs: number): void {
    settleWith(this.end, this.#reject, new CactusHandlerTimeoutError(this.event.id, this.event.type, timeoutMs));
  }
}

// `end.fail` rethrows the error it was given: that is the rejection.
function settleWith(end: DeliveryEnd, reject: (error: unknown) => void, error: unknown): void {
  try {
    end.fail(error);
  } catch (thrown) {
    reject(thrown);
  }
}

/** The warning code when a handler timeout could not be armed (the runtime's setTimeout threw). */
export const DEADLINE_UNARMED_WARNING = "CACTUS_DEADLINE_UNARMED";
let warnedUnarmed = false;

function armOrWarn(timeoutMs: number, expire: () => void): Deadline | undefined {
  try {
    return armDeadline(timeoutMs, expire);
  } catch (error) {
    if (!warnedUnarmed) {
      warnedUnarmed = true;
      emitRuntimeWarning(`handlerTimeoutMs could not be armed (${describeThrown(error)}); deliveries are answered when their handler finishes`, DEADLINE_UNARMED_WARNING);
    }
    return undefined;
  }
}

function handledResult(event: PushedThinEvent, result: DispatchResult | "duplicate" | "stale"): HandleResult {
  if (result === "duplicate" || result === "stale") return { event, outcome: result, handledBy: "", handlers: [] };
  const { handlers } = result;
  const [only] = handlers;
  return { event, outcome: "handled", handledBy: handlers.length === 1 && only !== undefined ? only : handlers.join(", "), handlers };
}

// Dispatch, then commit on success or release on failure, then settle `answer`: one async step,
// however long it runs (past a handler timeout it still commits or releases, so the claim always
// ends). It never rejects: every outcome goes to `answer`.
async function dispatchThenSettle(event: PushedThinEvent, dispatch: Dispatch, claim: HeldClaim | undefined, report: CactusErrorReporter, settings: ReceiverSettings, inCallersCall: boolean, answer: Answer): Promise<void> {
  let result: DispatchResult;
  // Handlers start on a later tick, never inside the caller's own call to handle() (the claim,
  // made synchronously, already holds the event). The webhook endpoint's caller is past that.
  if (inCallersCall) await undefined;
  try {
    const dispatched = dispatch(event);
    // A dispatch that knew its handlers (CactusHandler): their own promise, awaited here.
    if (dispatched instanceof StartedDispatch) {
      await dispatched.running;
      result = dispatched.result;
    } else result = await dispatched;
  } catch (cause) {
    if (claim !== undefined) await releaseQuietly(claim, report);
    // A handler's throw (sync or async) becomes a CactusHandlerError carrying the event id and type.
    answer.fail(isInstanceOf(cause, CactusHandlerError) ? cause : new CactusHandlerError(event.id, event.type, cause));
    return;
  }
  if (claim !== undefined) {
    // The handler succeeded: answer so. A store that cannot record it is reported; the lease then
    // expires and a redelivery may run the handler again (at least once, never lost).
    try {
      // A synchronous store (the memory store) has committed already: no extra tick for it.
      const committing = commitClaim(claim);
      if (committing !== undefined) await committing;
    } catch (error) {
      safeReport(report, error, 500);
      reportCommitFailure(settings, event, error);
    }
  }
  answer.succeed(result);
}

// A store that runs the delivery itself: it claims, calls the dispatch (with its transaction, if
// any) and commits or releases; the handler's throw is wrapped as everywhere else.
function runThrough(runner: DeliveryRunner, event: PushedThinEvent, dispatch: Dispatch, settings: ReceiverSettings, context: DeliveryContext, report: CactusErrorReporter): Promise<DispatchResult | "duplicate" | "stale"> {
  const source: DeliverySource = context.source ?? (context.attempt !== undefined ? "queue" : context.deliveryId !== undefined ? "webhook" : "direct");
  const run = async (transaction: CactusTransaction | undefined, order?: RunnerOrder): Promise<DispatchResult> => {
    await undefined;
    try {
      return await dispatchedResult(dispatch(event, transaction, order));
    } catch (cause) {
      throw isInstanceOf(cause, CactusHandlerError) ? cause : new CactusHandlerError(event.id, event.type, cause);
    }
  };
  try {
    return runner.run(event, { source, leaseMs: settings.leaseMs, ordering: settings.ordering, stale: settings.staleFor(event.type) }, run, (error) => safeReport(report, error, 500));
  } catch (error) {
    return Promise.reject(error);
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

// The instrumentation's count of successes the store could not record (a metric, beside onError).
function reportCommitFailure(settings: ReceiverSettings, event: PushedThinEvent, error: unknown): void {
  const hook = settings.observability.instrumentation?.commitFailed;
  if (hook === undefined) return;
  const cause = error instanceof Error ? error.cause : undefined;
  const reason = cause instanceof CactusLeaseExpiredError ? (`lease_expired_${cause.outcome}` as const) : "store_failed";
  try {
    hook.call(settings.observability.instrumentation, { reason, typeLabel: eventTypeLabel(event.type), eventId: event.id });
  } catch {
    // an instrumentation that throws must not change the answer
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

/** `ordering: "per-object"` is kept by the event store; any other store (or none) cannot keep it. */
export function orderingNeedsEventStore(): CactusConfigError {
  return new CactusConfigError('ordering: "per-object" needs the event store as the receiver\'s idempotency store: { idempotency: new PostgresEventStore({ db }) } from cactus-sdk/postgres');
}
