/** What {@link withinTimeout} resolves to when the limit came first. */
export const TIMED_OUT: unique symbol = Symbol("cactus.timedOut");

/**
 * Waits for `work` at most `timeoutMs` (no limit when `undefined`), resolving with its value or
 * {@link TIMED_OUT}; a rejection of `work` before the limit rejects. The work is not cancelled by a
 * timeout: it keeps running, and if it later fails, `late` receives the error. One timer per
 * call, cleared as soon as the work settles.
 */
export async function withinTimeout<T>(work: Promise<T>, timeoutMs: number | undefined, late: (error: unknown) => void): Promise<T | typeof TIMED_OUT> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, TIMED_OUT);
  });
  try {
    const winner = await Promise.race([work, limit]);
    if (winner === TIMED_OUT) work.catch(late);
    return winner;
  } finally {
    clearTimeout(timer);
  }
}
