import { CactusError } from "./cactus-error";

/**
 * The event store could not be reached, or did not answer within its deadline, or could not
 * commit: nothing was acknowledged and nothing was marked handled. The webhook middleware answers
 * 503 `event_store_unavailable` with `Retry-After`, so Cactus redelivers the event later.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof CactusEventStoreUnavailableError) metrics.storeDown.inc(); }
 * ```
 */
export class CactusEventStoreUnavailableError extends CactusError {
  declare readonly code: "event_store_unavailable";
  /** Seconds after which a redelivery is worth trying (the `Retry-After` of the 503). */
  readonly retryAfterSeconds: number;

  /**
   * @param message what could not be done, for which event
   * @param options `cause`: the database error; `retryAfterSeconds`: default 30
   */
  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super("event_store_unavailable", message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? 30;
  }
}
