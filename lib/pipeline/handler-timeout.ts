/** What {@link settleWithin} saw: the work's own outcome, or that the limit came first. */
export type Settled<T> =
  | { readonly kind: "fulfilled"; readonly value: T }
  | { readonly kind: "rejected"; readonly error: unknown }
  | { readonly kind: "timed_out" };

/**
 * Waits for `work` at most `timeoutMs` (no limit when `undefined`). The work is not cancelled by a
 * timeout: it keeps running, and its own outcome is still delivered to `late` when it settles.
 * One timer per call, cleared as soon as the work settles.
 */
export function settleWithin<T>(work: Promise<T>, timeoutMs: number | undefined, late: (settled: Settled<T>) => void): Promise<Settled<T>> {
  const own: Promise<Settled<T>> = work.then(
    (value) => ({ kind: "fulfilled", value }),
    (error: unknown) => ({ kind: "rejected", error }),
  );
  if (timeoutMs === undefined) return own;
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      resolve({ kind: "timed_out" });
    }, timeoutMs);
    void own.then((settled) => {
      clearTimeout(timer);
      if (timedOut) late(settled);
      else resolve(settled);
    });
  });
}
