import { CactusError } from "./cactus-error";

/**
 * The queue could not store a delivery: Redis was unreachable, or did not acknowledge the job
 * within the queue's `addTimeoutMs`. Nothing was acknowledged; the webhook middleware answers 503
 * `queue_unavailable` with `Retry-After`, so Cactus redelivers the event later.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof CactusQueueUnavailableError) metrics.queueDown.inc(); }
 * ```
 */
export class CactusQueueUnavailableError extends CactusError {
  declare readonly code: "queue_unavailable";

  /** @param message what could not be stored, and where; @param options `cause`: the Redis error */
  constructor(message: string, options?: { cause?: unknown }) {
    super("queue_unavailable", message, options);
  }
}
