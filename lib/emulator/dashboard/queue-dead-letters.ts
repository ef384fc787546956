// Opens a CactusQueue's dead letters for the dashboard. bullmq and ioredis are optional peers: they
// are loaded here, on demand, only when `--redis` is given; nothing else in the dashboard imports them.
import { CactusConfigError, CactusQueueUnavailableError } from "../../errors";
import type { DeadLetterSource } from "./dead-letter-routes";

/** What `--redis`, `--redis-cluster`, `--queue`, `--prefix` and `--shards` say. */
export interface QueueDeadLetterOptions {
  /** `redis://` or `rediss://` URL; may carry a password, which is never printed. A cluster node is detected. */
  readonly redis?: string | undefined;
  /** A Redis Cluster's startup nodes, `host:port,host:port` (credentials from `redis` when given). */
  readonly redisCluster?: string | undefined;
  /** The queue's `shards` (default 1). */
  readonly shards?: number;
  /** Queue name (default `cactus-events`). */
  readonly queue?: string;
  /** BullMQ key prefix (default `{cactus}`). */
  readonly prefix?: string;
  /** How long to wait for Redis at start, in ms (default 5000). */
  readonly connectTimeoutMs?: number;
}

/** A queue's dead letters, open. */
export interface QueueDeadLetters {
  /** What the dashboard's routes read. */
  readonly source: DeadLetterSource;
  /** `queue cactus-events on redis://***@host:6379`: safe to print. */
  readonly description: string;
  /** Closes the queue and its Redis connection. */
  close(): Promise<void>;
}

/**
 * Connects to the `CactusQueue` named by `options` and checks Redis answers, so a wrong URL fails
 * at start rather than in the page. Needs the packages bullmq and ioredis.
 *
 * @example
 * ```ts
 * const letters = await openQueueDeadLetters({ redis: "redis://127.0.0.1:6379" });
 * attachDashboard(emulator, { routes: deadLetterRoutes(letters.source) });
 * ```
 */
export async function openQueueDeadLetters(options: QueueDeadLetterOptions): Promise<QueueDeadLetters> {
  if (options.redis !== undefined && !/^rediss?:\/\//.test(options.redis)) throw new CactusConfigError(`--redis must be a redis:// or rediss:// URL, got ${JSON.stringify(redactRedisUrl(options.redis))}`);
  let modules: [typeof import("../../bullmq"), typeof import("../../bullmq/tool-connection")];
  try {
    modules = await Promise.all([import("../../bullmq"), import("../../bullmq/tool-connection")]);
  } catch {
    throw new CactusConfigError("--redis needs the packages bullmq and ioredis: npm install bullmq ioredis");
  }
  const [{ CactusQueue }, { openToolRedis }] = modules;
  const timeoutMs = options.connectTimeoutMs ?? 5_000;
  // A command fails fast while Redis is away (the page shows it).
  const { client: redis, description: shown } = await openToolRedis({ url: options.redis, clusterNodes: options.redisCluster, connectTimeoutMs: timeoutMs, keepReconnecting: true });
  let queue: InstanceType<typeof CactusQueue>;
  try {
    queue = new CactusQueue({
      connection: redis,
      ...(options.shards === undefined ? {} : { shards: options.shards }),
      ...(options.queue === undefined ? {} : { name: options.queue }),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const close = async (): Promise<void> => {
    await queue.close({ timeoutMs: 2_000 });
    redis.disconnect();
  };
  const description = `queue ${queue.name}${queue.shards > 1 ? ` (${queue.shards} shards)` : ""} on ${shown}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queue.deadLetters.count(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (cause) {
    await close();
    throw new CactusQueueUnavailableError(`Could not read the dead letters of ${description}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    clearTimeout(timer);
  }
  const source: DeadLetterSource = queue.deadLetters;
  return { source, description, close };
}

/**
 * The URL with its whole userinfo (user and password) replaced by `***`: everything between `//`
 * and the last `@` before the path, so a password holding `@` is hidden too.
 */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/[^/?#]*@/, "//***@");
}
