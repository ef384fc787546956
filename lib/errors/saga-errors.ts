import { CactusError } from "./cactus-error";
import type { CactusSagaErrorCode } from "./codes";

/**
 * A saga could not apply an event: a state that is not JSON, a compensation that failed, or a
 * version conflict. Nothing of the event was committed: it is not marked handled and Cactus
 * redelivers it (a state that is not JSON fails every time, until the code is fixed).
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof CactusSagaError && err.code === "saga_state_invalid") console.error(err.saga, err.field); }
 * ```
 */
export class CactusSagaError extends CactusError {
  declare readonly code: CactusSagaErrorCode;
  /** The saga's name (its `sagaName`, by default the class name). */
  readonly saga: string;
  /** The instance: the related object's id, when there is one. */
  readonly objectId: string | undefined;
  /** For `saga_state_invalid`: the path of the offending field, e.g. `state.lastAttempt`. */
  readonly field: string | undefined;

  /**
   * @param code see {@link CactusSagaErrorCode}
   * @param message what was wrong, naming the saga (and the field)
   * @param details the saga, the instance, the field, the cause
   */
  constructor(code: CactusSagaErrorCode, message: string, details: { saga: string; objectId?: string | undefined; field?: string | undefined; cause?: unknown }) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.saga = details.saga;
    this.objectId = details.objectId;
    this.field = details.field;
  }
}
