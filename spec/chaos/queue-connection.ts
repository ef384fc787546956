import { Cluster } from "ioredis";
import { CactusQueue } from "../../lib/bullmq";
import type { ChaosChildConfig } from "./chaos-config";

/** The chaos queue as every process of a run opens it: on the single Redis, or on the Redis Cluster with its shards. */
export function chaosQueue(config: Pick<ChaosChildConfig, "redisUrl" | "queueName" | "cluster" | "shards" | "replicas">): CactusQueue {
  const connection = config.cluster === undefined ? config.redisUrl : new Cluster([...config.cluster], { redisOptions: { maxRetriesPerRequest: 1 } });
  if (connection instanceof Cluster) connection.on("error", () => undefined);
  const queue = new CactusQueue({
    connection,
    name: config.queueName,
    ...(config.shards === undefined ? {} : { shards: config.shards }),
    ...(config.replicas === undefined ? {} : { replicas: config.replicas, replicationTimeoutMs: 2_000 }),
  });
  // The queue copied the cluster client; the original is only its template.
  if (connection instanceof Cluster) connection.disconnect();
  return queue;
}
