// The Redis connection of a tool (`cactus dlq`, the dashboard's dead letters): a single Redis from
// a URL, a Redis Cluster from a list of startup nodes, or a URL that turns out to point at a
// cluster node (detected with INFO cluster, then opened as a Cluster from that node).
import { Cluster, Redis, type ClusterNode, type RedisOptions } from "ioredis";
import { CactusConfigError } from "../errors";

/** Where a tool finds Redis: `url` (`redis://`/`rediss://`), or `clusterNodes` (`host:port,host:port`). */
export interface ToolRedisTarget {
  /** A `redis://` or `rediss://` URL; a cluster node is detected and opened as a Cluster. */
  readonly url?: string | undefined;
  /** Startup nodes of a Redis Cluster, `host:port,host:port`; credentials come from `url` when both are given. */
  readonly clusterNodes?: string | undefined;
  /** How long to wait for Redis while connecting, in ms. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Keep reconnecting for as long as the tool runs (a dashboard), instead of giving up after a few tries (a command). */
  readonly keepReconnecting?: boolean;
}

/** A tool's open Redis client, and a description of it that is safe to print (no password). */
export interface ToolRedis {
  readonly client: Redis | Cluster;
  /** `redis://***@host:6379` or `Redis Cluster 10.0.0.1:6379,10.0.0.2:6379`. */
  readonly description: string;
}

/**
 * Opens the client a tool reads a queue through: commands fail fast while Redis is away instead of
 * waiting for ever. A `url` whose server runs in cluster mode is reopened as a `Cluster`, so a
 * node that does not own the queue's slot answers through the cluster instead of `MOVED`.
 *
 * @example
 * ```ts
 * const { client } = await openToolRedis({ clusterNodes: "10.0.0.1:6379,10.0.0.2:6379" });
 * ```
 */
export async function openToolRedis(target: ToolRedisTarget): Promise<ToolRedis> {
  const timeoutMs = target.connectTimeoutMs ?? 5_000;
  const fromUrl = target.url === undefined ? {} : credentialsOf(target.url);
  if (target.clusterNodes !== undefined) {
    const nodes = parseClusterNodes(target.clusterNodes);
    return { client: openCluster(nodes, fromUrl, timeoutMs, target.keepReconnecting === true), description: `Redis Cluster ${nodes.map(({ host, port }) => `${host}:${port}`).join(",")}` };
  }
  if (target.url === undefined) throw new CactusConfigError("a Redis URL (--redis) or the nodes of a Redis Cluster (--redis-cluster host:port,host:port) is needed");
  const shown = redactUrl(target.url);
  const single = new Redis(target.url, {
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    lazyConnect: true,
    ...(target.keepReconnecting === true ? {} : { retryStrategy: (times: number) => (times > 3 ? null : 200) }),
  });
  single.on("error", () => undefined);
  let clusterEnabled = false;
  try {
    await single.connect();
    clusterEnabled = /cluster_enabled:1/.test(await single.info("cluster"));
  } catch {
    // Not reachable now: kept as it is; the tool's first command reports it.
    return { client: single, description: shown };
  }
  if (!clusterEnabled) return { client: single, description: shown };
  single.disconnect();
  const url = new URL(target.url);
  const node = { host: url.hostname, port: url.port === "" ? 6379 : Number(url.port) };
  return { client: openCluster([node], fromUrl, timeoutMs, target.keepReconnecting === true), description: `Redis Cluster ${shown} (detected)` };
}

/** `host:port,host:port` as ioredis startup nodes; `CactusConfigError` for anything else. */
export function parseClusterNodes(list: string): { host: string; port: number }[] {
  const nodes = list.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0).map((entry) => {
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (match === null || match[1] === undefined || port < 1 || port > 65_535) {
      throw new CactusConfigError(`--redis-cluster takes host:port,host:port (the cluster's startup nodes), got ${JSON.stringify(entry.slice(0, 100))}`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ""), port };
  });
  if (nodes.length === 0) throw new CactusConfigError("--redis-cluster needs at least one host:port");
  return nodes;
}

function openCluster(nodes: ClusterNode[], credentials: RedisOptions, timeoutMs: number, keepReconnecting: boolean): Cluster {
  const cluster = new Cluster(nodes, {
    ...(keepReconnecting ? {} : { clusterRetryStrategy: (times: number) => (times > 3 ? null : 200) }),
    redisOptions: { ...credentials, maxRetriesPerRequest: 1, connectTimeout: timeoutMs },
  });
  cluster.on("error", () => undefined);
  return cluster;
}

function credentialsOf(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CactusConfigError(`--redis must be a redis:// or rediss:// URL, got ${JSON.stringify(redactUrl(url))}`);
  }
  return {
    ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
  };
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^/?#]*@/, "//***@");
}
