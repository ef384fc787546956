import { armDeadline } from "./deadlines";

/** What {@link withinTimeout} resolves to when the limit came first. */
export const TIMED_OUT: unique symbol = Symbol("cactus.timedOut");

/**
 * Waits for `work` at most `timeoutMs` (no limit when `undefined`), resolving with its value or
 * {@link TIMED_OUT}; a rejection of `work` before the limit rejects. The work is not cancelled by a
 * timeout: it keeps running, and if it later fails, `late` receives the error. Deliveries with the
 * same limit share one timer (see `armDeadline`), so a delivery costs no timer of its own.
 */
export function withinTimeout<T>(work: Promise<T>, timeoutMs: number | undefined, late: (error: unknown) => void): Promise<T | typeof TIMED_OUT> {
  if (timeoutMs === undefined) return work;
  return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
    const deadline = armDeadline(timeoutMs, () => {
      resolve(TIMED_OUT);
      work.catch(late);
    });
    work.then(
      (value) => {
        if (deadline.settle()) resolve(value);
      },
      (error: unknown) => {
        if (deadline.settle()) reject(error);
      },
    );
  });
}
