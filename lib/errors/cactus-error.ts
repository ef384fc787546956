import type { CactusErrorCode } from "./codes";

/**
 * The root of the one error family of cactus-sdk. Every error the SDK throws is a
 * {@link CactusError} with a stable `code` (a {@link CactusErrorCode}), a message that says what
 * was wrong and where, and the cause attached.
 *
 * @example
 * ```ts
 * try { await handler.handle(body); }
 * catch (err) { if (err instanceof CactusError) console.error(err.code, err.message); }
 * ```
 */
export class CactusError extends Error {
  /** A stable, machine-readable code, e.g. `"validation_failed"`. */
  readonly code: CactusErrorCode;

  /**
   * @param code stable machine-readable code
   * @param message what was wrong and where
   * @param options `cause`: the underlying error, if any
   */
  constructor(code: CactusErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}
