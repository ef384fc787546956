import { CactusHandlerError, describe } from "../errors";

/**
 * One handler that failed while the router dispatched an event.
 *
 * @example
 * ```ts
 * for (const { handler, error } of err.failures) console.error(`${handler} failed`, error);
 * ```
 */
export interface HandlerFailure {
  /** Which subscription failed, e.g. `movie.completed`, `order.*`, `onOther` or `Audit.onAny (*)`. */
  readonly handler: string;
  /** What it threw or rejected with. */
  readonly error: unknown;
}

/**
 * One or more of the router's handlers for an event failed. Every handler still ran (one failure
 * does not stop the others); this error gathers all the failures, so none is lost, and
 * `handle(body)` rejects with it so that Cactus redelivers the event. It is a
 * {@link CactusHandlerError} (same `code`, `eventId`, `eventType`); `cause` is an `AggregateError`
 * of every error, also in `errors`, and `failures` says which handler threw which.
 *
 * Redelivery runs every handler again, including those that succeeded: make them idempotent
 * (SPEC §1: delivery is at-least-once anyway).
 *
 * @example
 * ```ts
 * try { await router.handle(body); }
 * catch (err) {
 *   if (err instanceof CactusHandlersError) for (const f of err.failures) log(f.handler, f.error);
 *   throw err; // answer non-2xx
 * }
 * ```
 */
export class CactusHandlersError extends CactusHandlerError {
  /** Each failed handler with what it threw, in the order the handlers were started. */
  readonly failures: readonly HandlerFailure[];
  /** Just the errors, in the same order (also the `AggregateError` in `cause`). */
  readonly errors: readonly unknown[];
  /** How many handlers ran for the event, failed or not. */
  readonly handlerCount: number;

  /**
   * @param eventId id of the event
   * @param eventType its type
   * @param failures every handler that failed (at least one)
   * @param handlerCount how many handlers ran in all
   */
  constructor(eventId: string, eventType: string, failures: readonly HandlerFailure[], handlerCount: number) {
    const errors = failures.map((failure) => failure.error);
    const summary = failures.map((failure) => `${failure.handler}: ${describe(failure.error)}`).join("; ");
    const message = `${failures.length} of ${handlerCount} handlers for ${eventType} event ${eventId} failed: ${summary}`;
    super(eventId, eventType, new AggregateError(errors, message), message);
    this.failures = failures;
    this.errors = errors;
    this.handlerCount = handlerCount;
  }
}

/**
 * A router received an event that no subscription matched, and it has no `onOther` (nor `"*"`).
 * `handle` rejects with this, so the delivery is answered non-2xx and Cactus redelivers it:
 * an event nobody decided about is kept, not dropped. Register `router.onOther(fn)` to decide.
 *
 * @example
 * ```ts
 * router.onOther((event) => log.info(`not handled: ${event.type} ${event.id}`));
 * ```
 */
export class CactusUnhandledEventError extends CactusHandlerError {
  /** @param eventId id of the event; @param eventType its type */
  constructor(eventId: string, eventType: string) {
    super(
      eventId,
      eventType,
      undefined,
      `No handler matched ${eventType} event ${eventId} and no onOther is registered: ` +
        `add router.onOther(fn) (or a "*" handler) to decide what unexpected events mean`,
      "unhandled_event",
    );
  }
}
