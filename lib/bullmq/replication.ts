import { Cluster, type Redis } from "ioredis";
import { clusterSlotOf } from "./shards";

/**
 * The connection a write to `key` went through: the client itself on a single Redis, or on a
 * Redis Cluster the client's connection to the master that owns the key's slot. `WAIT` only counts
 * the writes of the connection it is sent on, so it must go to this one.
 */
export function connectionOwning(client: Redis | Cluster, key: string): Redis | undefined {
  if (!(client instanceof Cluster)) return client;
  const owner = client.slots[clusterSlotOf(key)]?.[0];
  if (owner === undefined) return undefined;
  return client.nodes("master").find((node) => `${node.options.host ?? "127.0.0.1"}:${node.options.port ?? 6379}` === owner);
}

/**
 * Sends `WAIT replicas timeoutMs` on the connection that wrote `key` and resolves with how many
 * replicas acknowledged every write made on it so far (so at least the write just made). Resolves
 * `0` when no connection owns the slot (the cluster is re-sharding or failing over: nothing is
 * known to be replicated). Rejects when Redis does not answer within `timeoutMs` plus a margin.
 */
export async function waitForReplicas(client: Redis | Cluster, key: string, replicas: number, timeoutMs: number): Promise<number> {
  const connection = connectionOwning(client, key);
  if (connection === undefined) return 0;
  let timer: NodeJS.Timeout | undefined;
  const margin = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to WAIT within ${timeoutMs + 500} ms`)), timeoutMs + 500);
  });
  const waiting = connection.wait(replicas, timeoutMs);
  waiting.catch(() => undefined);
  try {
    return await Promise.race([waiting, margin]);
  } finally {
    clearTimeout(timer);
  }
}
