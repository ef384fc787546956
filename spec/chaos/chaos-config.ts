/** What every chaos child process is told (as one JSON argument). */
export interface ChaosChildConfig {
  readonly mode: "queue" | "direct";
  readonly redisUrl: string;
  readonly queueName: string;
  readonly secret: string;
  /** Share of handler calls that throw. */
  readonly failRate: number;
  /** Idempotency lease, ms (short, so a killed process's leases expire soon). */
  readonly leaseMs: number;
  /** Worker concurrency. */
  readonly concurrency: number;
  /** Worker attempts before a dead letter. */
  readonly attempts: number;
  /** The queue is on this Redis Cluster (startup nodes); `redisUrl` then only records the effects. */
  readonly cluster?: readonly { readonly host: string; readonly port: number }[];
  /** The queue's `shards`. */
  readonly shards?: number;
  /** The queue's `replicas` (acknowledged means replicated). */
  readonly replicas?: number;
}

/** Redis keys where the children record what the handlers did, across processes. */
export const CHAOS_KEYS = {
  /** Hash: event id -> successful handler runs. */
  ok: "chaos:ok",
  /** Hash: event id -> failed handler runs. */
  failed: "chaos:failed",
  /** Set per process: event ids whose handler ran to success there (`chaos:ok:<pid>`). */
  succeededIn: (pid: number): string => `chaos:ok:${pid}`,
  /** Hash: event id -> how many times its handler returned successfully (a repeat finds the effect done). */
  runs: "chaos:runs",
  /** Hash: event id -> when its effect happened (ms since the epoch). */
  effectAt: "chaos:effect-at",
} as const;
