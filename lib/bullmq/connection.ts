import { Cluster, Redis, type RedisOptions } from "ioredis";

/** How to reach Redis: a URL (`redis://host:6379/0`), ioredis options, or an ioredis client to copy. */
export type CactusRedisConnection = string | RedisOptions | Redis | Cluster;

/**
 * A new client of our own for `connection` (we close what we open; a client you pass is copied,
 * never closed). `overrides` are the settings BullMQ needs for that use.
 */
export function openRedis(connection: CactusRedisConnection, overrides: RedisOptions = {}): Redis | Cluster {
  if (typeof connection === "string") return new Redis(connection, overrides);
  if (connection instanceof Cluster) {
    return connection.duplicate(undefined, { ...connection.options, redisOptions: { ...connection.options.redisOptions, ...overrides } });
  }
  if (connection instanceof Redis) return connection.duplicate(overrides);
  return new Redis({ ...connection, ...overrides });
}

/** Closes a client we opened: politely, then at once if Redis does not answer. */
export async function closeRedis(client: Redis | Cluster): Promise<void> {
  if (client.status === "end") return;
  try {
    await Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  } catch {
    // quit fails when the connection is already gone: nothing left to close politely.
  }
  client.disconnect();
}
