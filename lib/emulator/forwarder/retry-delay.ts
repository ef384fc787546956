import { backoffCeilingMs } from "../../client/backoff";

/** Longest wait between two automatic attempts, so a local session never waits for hours. */
export const MAX_RETRY_DELAY_MS = 60_000;

/**
 * Milliseconds before automatic attempt `attempt + 1`, after automatic attempt `attempt` failed:
 * `backoffMs`, then doubling, capped at {@link MAX_RETRY_DELAY_MS}. Cactus itself retries for
 * days; a local session keeps the same shape, compressed.
 */
export function retryDelayMs(attempt: number, backoffMs: number): number {
  return backoffCeilingMs(Math.max(0, attempt - 1), { baseDelayMs: backoffMs, maxDelayMs: MAX_RETRY_DELAY_MS });
}
