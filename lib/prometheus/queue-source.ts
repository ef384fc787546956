/**
 * What the queue gauges read, structurally: a `CactusQueue` from `cactus-sdk/bullmq` fits, and so
 * does anything with these two methods.
 */
export interface QueueMetricsSource {
  /** Job counts by state, e.g. `{ waiting: 3, active: 1, failed: 0 }`. */
  getJobCounts(): Promise<Record<string, number>>;
  /** How many jobs are in the dead-letter list. */
  deadLetterCount(): Promise<number>;
}

/** The job states counted under their own `state` label; any other state counts as `other`. */
export const QUEUE_STATES: ReadonlySet<string> = new Set(["waiting", "active", "completed", "failed", "delayed", "paused", "prioritized", "waiting-children"]);
