// A real Redis Cluster (3 masters + 3 replicas on 127.0.0.1, started here): sharded queues spread
// over the masters, the CLI reads every shard through the cluster, acknowledged means replicated,
// and a master SIGKILLed right after the 202s loses nothing with `replicas: 1`.
import { Cluster } from "ioredis";
import { CactusQueue, CactusQueueUnavailableError } from "../../lib/bullmq";
import { clusterSlotOf } from "../../lib/bullmq/shards";
import { dlqCommand } from "../../lib/cli/dlq-command";
import { ControlledHandler, eventually } from "../delivery/controlled-handler";
import { describeCluster, startRedisCluster, type LocalRedisCluster } from "../redis/describe-cluster";

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function shippedOf(id: string, order: string): string {
  return JSON.stringify({ id, type: "order.shipped", related_object: { id: order, type: "order" } });
}

describeCluster("CactusQueue on a Redis Cluster", () => {
  jest.setTimeout(60_000);
  let cluster: LocalRedisCluster;
  const clients: Cluster[] = [];
  const connect = (): Cluster => {
    const client = new Cluster([...cluster.nodes]);
    client.on("error", () => undefined);
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await cluster?.stop();
  });

  it("puts the shards on different masters, consumes them all, and cactus dlq reads them as one queue", async () => {
    const queue = new CactusQueue({ connection: connect(), name: "spread", shards: 3 });
    const handler = new ControlledHandler({ logger: silent });
    try {
      const owners = await Promise.all(queue.bullmqShards.map((shard) => cluster.masterOf(clusterSlotOf(shard.toKey("wait")))));
      expect(new Set(owners).size).toBe(3);
      const ids = Array.from({ length: 30 }, (_, index) => `evt_c${index}`);
      await Promise.all(ids.map((id) => queue.receive(shippedOf(id, `ord_${id}`))));
      expect((await queue.getJobCounts())["waiting"]).toBe(30);
      handler.failuresLeft = 1_000;
      const worker = queue.work(handler, { attempts: 1, concurrency: 2, onError: () => undefined });
      await eventually(async () => (await queue.deadLetters.count()) === 30, 20_000, "30 dead letters over 3 shards");
      await worker.close();

      const out: string[] = [];
      const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
      expect(await dlqCommand(["list", "--redis-cluster", cluster.nodeList, "--queue", "spread", "--shards", "3"], io)).toBe(0);
      expect(out.at(-1)).toBe("30 dead letter(s) in queue spread");
      // A node that owns none of the shards' slots, given as a plain URL: detected as a cluster node, no MOVED.
      const masters = await cluster.masters();
      const replica = cluster.nodes.find((node) => !masters.includes(node.port));
      expect(replica).toBeDefined();
      expect(await dlqCommand(["replay", "evt_c3", "--redis", `redis://127.0.0.1:${replica?.port}`, "--queue", "spread", "--shards", "3"], io)).toBe(0);
      expect(out.at(-1)).toBe("replayed evt_c3 into queue spread");
      expect(await queue.deadLetters.count()).toBe(29);
      expect(await dlqCommand(["purge", "--redis-cluster", cluster.nodeList, "--queue", "spread", "--shards", "3"], io)).toBe(0);
      expect(await queue.deadLetters.count()).toBe(0);
    } finally {
      await queue.close();
    }
  });

  it("refuses, in cactus dlq, a prefix whose keys would cross slots", async () => {
    const out: string[] = [];
    await expect(dlqCommand(["list", "--redis-cluster", cluster.nodeList, "--prefix", "shop"], { out: (line) => out.push(line), err: (line) => out.push(line) })).rejects.toThrow(/no hash tag/);
  });

  it("answers 503 when the job did not reach the replicas in time, and 202 once it does", async () => {
    const queue = new CactusQueue({ connection: connect(), name: "replicated", replicas: 1, replicationTimeoutMs: 300 });
    try {
      await expect(queue.receive(shippedOf("evt_r1", "ord_r"))).resolves.toMatchObject({ outcome: "queued" });
      const master = await cluster.masterOf(clusterSlotOf(queue.bullmq.toKey("wait")));
      const [replica] = await cluster.replicasOf(master);
      expect(replica).toBeDefined();
      cluster.pause(replica ?? 0);
      try {
        const refused = queue.receive(shippedOf("evt_r2", "ord_r"));
        await expect(refused).rejects.toThrow(CactusQueueUnavailableError);
        await expect(refused).rejects.toThrow(/reached 0 of the 1 replica\(s\) required within 300 ms/);
      } finally {
        cluster.resume(replica ?? 0);
      }
      // The redelivery adds nothing new and is acknowledged once the replica has it.
      await eventually(async () => (await queue.receive(shippedOf("evt_r2", "ord_r")).then(() => true, () => false)), 10_000, "the redelivery to be acknowledged");
      expect(await queue.bullmq.getWaitingCount()).toBe(2);
    } finally {
      await queue.close();
    }
  });

  // Last: it leaves the cluster with one master fewer (its replica took over).
  it("loses no acknowledged event when the master is SIGKILLed right after the 202s (replicas: 1)", async () => {
    const queue = new CactusQueue({ connection: connect(), name: "failover", replicas: 1, replicationTimeoutMs: 2_000 });
    const ids = Array.from({ length: 200 }, (_, index) => `evt_f${index}`);
    const master = await cluster.masterOf(clusterSlotOf(queue.bullmq.toKey("wait")));
    try {
      const answers = await Promise.all(ids.map((id) => queue.receive(shippedOf(id, "ord_f")).then(() => "202", () => "503")));
      cluster.kill(master);
      expect(answers.filter((answer) => answer === "202")).toHaveLength(ids.length);
    } finally {
      await queue.close({ timeoutMs: 1_000 });
    }
    await cluster.waitUntilHealthy();
    expect(await cluster.masterOf(clusterSlotOf("{cactus}"))).not.toBe(master);
    const after = new CactusQueue({ connection: connect(), name: "failover" });
    try {
      await eventually(async () => (await after.bullmq.getWaitingCount().catch(() => -1)) >= 0, 20_000, "the promoted replica to answer");
      const stored = new Set((await after.bullmq.getWaiting(0, -1)).map((job) => job.id));
      expect(ids.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await after.close();
    }
  });
});
