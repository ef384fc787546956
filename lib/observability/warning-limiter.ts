/**
 * At most one line per cause per interval: the first occurrence is written at once, the next ones
 * are counted, and the first line after the interval says how many were not written. Keeps a
 * flood of forged or misconfigured deliveries from flooding the log, while the first one always
 * shows. Causes are short codes chosen by the SDK (never text from the request), so the map stays small.
 */
export class WarningLimiter {
  private readonly causes = new Map<string, { lastAt: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * Whether a line for `cause` should be written now: `undefined` when not (it is counted), else
   * how many were held back since the last line for it.
   */
  take(cause: string): number | undefined {
    const at = this.now();
    const seen = this.causes.get(cause);
    if (seen !== undefined && at - seen.lastAt < this.intervalMs) {
      seen.suppressed += 1;
      return undefined;
    }
    const suppressed = seen?.suppressed ?? 0;
    this.causes.set(cause, { lastAt: at, suppressed: 0 });
    return suppressed;
  }
}

/** The process-wide limiter of the SDK's console warnings (the default logger's). */
export const consoleWarnings = new WarningLimiter();

/** `" (N more since the last such line)"`, or nothing. */
export function heldBack(suppressed: number): string {
  return suppressed > 0 ? ` (${suppressed} more since the last such line)` : "";
}
