import { CactusError } from "./cactus-error";
import type { CactusHandlerErrorCode } from "./codes";
import { describeThrown } from "./describe";

/**
 * A user's handler method threw (or rejected). Carries the event id and type; the original
 * error is `cause`. Answer non-2xx so Cactus redelivers.
 */
export class CactusHandlerError extends CactusError {
  /** Id of the event being handled. */
  readonly eventId: string;
  /** Type of the event being handled. */
  readonly eventType: string;

  /**
   * @param eventId event id; @param eventType event type; @param cause what the handler threw
   * @param message overrides the default message; @param code overrides `handler_failed` (subclasses)
   */
  constructor(eventId: string, eventType: string, cause: unknown, message?: string, code: CactusHandlerErrorCode = "handler_failed") {
    super(
      code,
      message ?? `Handler for ${eventType} event ${eventId} failed: ${describeThrown(cause)}`,
      { cause },
    );
    this.eventId = eventId;
    this.eventType = eventType;
  }
}

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
 * (delivery is at-least-once anyway).
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
    const summary = failures.map((failure) => `${failure.handler}: ${describeThrown(failure.error)}`).join("; ");
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

/**
 * The handler ran longer than `handlerTimeoutMs`. The delivery is answered 503 `handler_timeout` with
 * `Retry-After`, so Cactus redelivers; the handler keeps running and its later outcome is reported
 * through `onError` (it is not abandoned silently). Its claim stays held until it ends, so the
 * redelivery answers `in_progress` while it runs.
 *
 * @example
 * ```ts
 * createNodeMiddleware(handler, { handlerTimeoutMs: 5_000, onError: (err) => log.error(err) });
 * ```
 */
export class CactusHandlerTimeoutError extends CactusHandlerError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  /** @param eventId id of the event; @param eventType its type; @param timeoutMs the limit */
  constructor(eventId: string, eventType: string, timeoutMs: number) {
    super(
      eventId,
      eventType,
      undefined,
      `The handler for ${eventType} event ${eventId} did not finish within handlerTimeoutMs (${timeoutMs} ms); ` +
        `it keeps running and Cactus will redeliver the event`,
      "handler_timeout",
    );
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Another delivery of the same event is being handled right now (idempotency claim held). Nothing
 * ran; answer 409 `in_progress` with `Retry-After` so Cactus comes back once the first has finished.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof CactusEventInProgressError) res.status(409).set("retry-after", String(err.retryAfterSeconds)); }
 * ```
 */
export class CactusEventInProgressError extends CactusHandlerError {
  /** Seconds after which a redelivery is worth trying. */
  readonly retryAfterSeconds: number;

  /** @param eventId id of the event; @param eventType its type; @param retryAfterSeconds when to try again; @param message what holds it, when not the event itself */
  constructor(eventId: string, eventType: string, retryAfterSeconds: number, message?: string) {
    super(
      eventId,
      eventType,
      undefined,
      message ?? `${eventType} event ${eventId} is already being handled by another delivery; try again in ${retryAfterSeconds} s`,
      "in_progress",
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** What a handler left behind when it returned: where it started it, and how it ended. */
export interface FloatingWork {
  /** `pending` (still running after the settle time) or `rejected` (rejected with nobody awaiting it). */
  readonly state: "pending" | "rejected";
  /** The first stack frame outside the SDK and node_modules where the promise was created. */
  readonly createdAt: string;
  /** The rejection reason, for `rejected`. */
  readonly reason?: unknown;
}

/**
 * A handler returned (so its event would be acknowledged) while work it started was still
 * running or rejected unawaited: usually a forgotten `await`. In production that event is
 * answered 2xx and never redelivered, and a rejection may then crash the process. Thrown by the
 * test helper `handleAndSettle` (`cactus-sdk/testing`); the first rejection, if any, is `cause`.
 *
 * @example
 * ```ts
 * await expect(handleAndSettle(handler, event)).resolves.toMatchObject({ outcome: "handled" });
 * ```
 */
export class CactusFloatingWorkError extends CactusError {
  /** Id of the event whose handler left work behind. */
  readonly eventId: string;
  /** Its type. */
  readonly eventType: string;
  /** What was left, in the order it was created. */
  readonly work: readonly FloatingWork[];

  /** @param eventId the event; @param eventType its type; @param work what was left */
  constructor(eventId: string, eventType: string, work: readonly FloatingWork[]) {
    const lines = work.slice(0, 5).map((item) => `  - a promise created at ${item.createdAt} ${item.state === "rejected" ? `rejected: ${describeThrown(item.reason).slice(0, 200)}` : "was still pending"}`);
    super(
      "floating_work",
      `The handler of ${eventType} event ${eventId} returned while work it started was not done (${work.length} promise${work.length === 1 ? "" : "s"}); ` +
        `the event would be acknowledged before that work finished or failed. Did you forget an await?\n${lines.join("\n")}`,
      { cause: work.find((item) => item.state === "rejected")?.reason },
    );
    this.eventId = eventId;
    this.eventType = eventType;
    this.work = work;
  }
}

/**
 * With `ordering: "per-object"`, another event of the same related object is being handled right
 * now (in this process or another). Answered like {@link CactusEventInProgressError} (409
 * `in_progress` with `Retry-After`); a queue worker puts the job back as delayed without using an
 * attempt.
 */
export class CactusObjectBusyError extends CactusEventInProgressError {
  /** The related object, e.g. `order:ord_456`. */
  readonly objectKey: string;

  /** @param eventId the event that waits; @param eventType its type; @param objectKey `type:id` of its object; @param retryAfterSeconds when to try again */
  constructor(eventId: string, eventType: string, objectKey: string, retryAfterSeconds: number) {
    super(eventId, eventType, retryAfterSeconds, `${eventType} event ${eventId} waits: another event of ${objectKey} is being handled (ordering: "per-object"); try again in ${retryAfterSeconds} s`);
    this.objectKey = objectKey;
  }
}
