import type { DeliveryResult } from "../webhooks/deliver-webhook";
import { percentile } from "./percentile";

/** What `cactus trigger --count` reports. */
export interface LoadSummary {
  /** Events sent (each possibly redelivered up to `--max-attempts`). */
  readonly sent: number;
  /** Events that got a 2xx. */
  readonly delivered: number;
  /** Events that did not. */
  readonly failed: number;
  /** HTTP attempts in all. */
  readonly attempts: number;
  /** Latency of the attempts (request sent to answer read), nearest-rank percentiles in ms. */
  readonly latencyMs: { readonly p50: number; readonly p99: number } | undefined;
}

/**
 * Runs `deliver` on every event, at most `concurrency` at a time, calling `onResult` as each
 * finishes. When `signal` aborts, no new delivery starts; the ones under way finish.
 */
export async function deliverAll<T>(
  events: readonly T[],
  deliver: (event: T) => Promise<DeliveryResult>,
  options: { readonly concurrency: number; readonly onResult?: (result: DeliveryResult) => void; readonly signal?: AbortSignal | undefined },
): Promise<DeliveryResult[]> {
  const results: DeliveryResult[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < events.length && options.signal?.aborted !== true) {
      const event = events[next++];
      if (event === undefined) break;
      const result = await deliver(event);
      results.push(result);
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, events.length) }, worker));
  return results;
}

/** Counts and latency percentiles of a load run. */
export function summarize(results: readonly DeliveryResult[]): LoadSummary {
  const durations = results.flatMap((result) => result.attempts.map((attempt) => attempt.durationMs));
  const delivered = results.filter((result) => result.delivered).length;
  const p50 = percentile(durations, 50);
  const p99 = percentile(durations, 99);
  return {
    sent: results.length,
    delivered,
    failed: results.length - delivered,
    attempts: durations.length,
    latencyMs: p50 === undefined || p99 === undefined ? undefined : { p50: round(p50), p99: round(p99) },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
