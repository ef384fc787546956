import { Cluster } from "ioredis";
import { CactusQueue } from "../../lib/bullmq";
import { clusterSlotOf, hashTagOf, routingKeyOf, shardOf, shardPrefix } from "../../lib/bullmq/shards";
import { dlqCommand } from "../../lib/cli/dlq-command";
import { CactusConfigError } from "../../lib/errors";
import { ControlledHandler, eventually } from "../delivery/controlled-handler";
import { describeRedis } from "../redis/describe-redis";
import { useRedis } from "../redis/redis-server";

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function shippedOf(id: string, order: string): string {
  return JSON.stringify({ id, type: "order.shipped", related_object: { id: order, type: "order" } });
}

describe("shard routing and layout", () => {
  it("hashes like Redis Cluster (CLUSTER KEYSLOT)", () => {
    // Values from redis-cli CLUSTER KEYSLOT.
    expect(clusterSlotOf("foo")).toBe(12182);
    expect(clusterSlotOf("{cactus}:cactus-events:wait")).toBe(7659);
    expect(clusterSlotOf("{cactus:0}:cactus-events:wait")).toBe(clusterSlotOf("cactus:0"));
  });

  it("finds hash tags as Redis does", () => {
    expect(hashTagOf("{cactus}")).toBe("cactus");
    expect(hashTagOf("shop")).toBeUndefined();
    expect(hashTagOf("{}shop")).toBeUndefined();
    expect(hashTagOf("a{b}{c}")).toBe("b");
  });

  it("gives each shard its own hash tag, and keeps the unsharded layout for one shard", () => {
    expect(shardPrefix("{cactus}", 0, 1)).toBe("{cactus}");
    expect([0, 1, 2].map((index) => shardPrefix("{cactus}", index, 3))).toEqual(["{cactus:0}", "{cactus:1}", "{cactus:2}"]);
    expect(shardPrefix("app{shop}x", 2, 3)).toBe("app{shop:2}x");
    expect(shardPrefix("shop", 1, 2)).toBe("shop:1");
  });

  it("routes every event of one object to one shard, events without one by id, and spreads them", () => {
    const ofObject = new Set(Array.from({ length: 50 }, (_, index) => shardOf(routingKeyOf({ id: `evt_${index}`, relatedObject: { id: "ord_7" } }), 3)));
    expect(ofObject.size).toBe(1);
    expect(shardOf(routingKeyOf({ id: "evt_x", relatedObject: null }), 3)).toBe(shardOf(routingKeyOf({ id: "evt_x" }), 3));
    const counts = [0, 0, 0];
    for (let index = 0; index < 3_000; index += 1) counts[shardOf(routingKeyOf({ id: "evt", relatedObject: { id: `ord_${index}` } }), 3)]! += 1;
    for (const count of counts) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });

  it("refuses bad shards and replicas options", () => {
    for (const shards of [0, -1, 1.5, 257]) expect(() => new CactusQueue({ connection: "redis://127.0.0.1:9", shards })).toThrow(CactusConfigError);
    expect(() => new CactusQueue({ connection: "redis://127.0.0.1:9", replicas: -1 })).toThrow(CactusConfigError);
    expect(() => new CactusQueue({ connection: "redis://127.0.0.1:9", replicationTimeoutMs: 0 })).toThrow(CactusConfigError);
  });

  it("refuses a Redis Cluster prefix without a hash tag, at construction", () => {
    const cluster = new Cluster([{ host: "127.0.0.1", port: 9 }], { lazyConnect: true });
    try {
      expect(() => new CactusQueue({ connection: cluster, prefix: "shop" })).toThrow(/no hash tag.*CROSSSLOT.*"\{shop\}"/);
      expect(() => new CactusQueue({ connection: cluster, prefix: "shop" })).toThrow(CactusConfigError);
    } finally {
      cluster.disconnect();
    }
  });
});

describeRedis("a sharded queue on one Redis", () => {
  const redis = useRedis();

  it("keeps one object's events in one shard, consumes every shard, and counts them as one queue", async () => {
    const queue = new CactusQueue({ connection: redis.url, name: "sharded", shards: 3 });
    try {
      for (let index = 0; index < 30; index += 1) await queue.receive(shippedOf(`evt_s${index}`, `ord_${index % 10}`));
      const perShard = await Promise.all(queue.bullmqShards.map((shard) => shard.getWaitingCount()));
      expect(perShard.reduce((sum, count) => sum + count, 0)).toBe(30);
      expect(perShard.filter((count) => count > 0).length).toBeGreaterThan(1);
      for (let order = 0; order < 10; order += 1) {
        const shard = queue.shardOf({ id: "any", relatedObject: { id: `ord_${order}` } });
        const ids = (await queue.bullmqShards[shard]!.getWaiting(0, -1)).map((job) => job.id);
        expect(ids).toEqual(expect.arrayContaining([0, 1, 2].map((step) => `evt_s${order + step * 10}`)));
      }
      expect((await queue.getJobCounts())["waiting"]).toBe(30);
      const handler = new ControlledHandler({ logger: silent });
      queue.work(handler, { concurrency: 2 });
      await eventually(() => handler.successes.size === 30, 10_000, "every shard consumed");
    } finally {
      await queue.close();
    }
  });

  it("consumes only the shards given", async () => {
    const queue = new CactusQueue({ connection: redis.url, name: "some-shards", shards: 2 });
    try {
      expect(() => queue.work(new ControlledHandler({ logger: silent }), { shards: [2] })).toThrow(CactusConfigError);
      expect(() => queue.work(new ControlledHandler({ logger: silent }), { shards: [] })).toThrow(CactusConfigError);
      const ids = Array.from({ length: 20 }, (_, index) => `evt_o${index}`);
      for (const id of ids) await queue.receive(shippedOf(id, `ord_${id}`));
      const handler = new ControlledHandler({ logger: silent });
      queue.work(handler, { shards: [1] });
      const inShard1 = ids.filter((id) => queue.shardOf({ id, relatedObject: { id: `ord_${id}` } }) === 1);
      await eventually(() => handler.successes.size === inShard1.length, 10_000, "shard 1 consumed");
      expect([...handler.successes.keys()].sort()).toEqual([...inShard1].sort());
      expect(await queue.bullmqShards[0]!.getWaitingCount()).toBe(ids.length - inShard1.length);
    } finally {
      await queue.close();
    }
  });

  it("reads, replays and purges the dead letters of every shard as one store, in code and in cactus dlq", async () => {
    const queue = new CactusQueue({ connection: redis.url, name: "sharded-dlq", shards: 3 });
    const handler = new ControlledHandler({ logger: silent });
    handler.failuresLeft = 1_000;
    try {
      const ids = Array.from({ length: 9 }, (_, index) => `evt_d${index}`);
      for (const id of ids) await queue.receive(shippedOf(id, `ord_${id}`));
      const worker = queue.work(handler, { attempts: 1, onError: () => undefined });
      await eventually(async () => (await queue.deadLetters.count()) === 9, 10_000, "nine dead letters");
      const shardsUsed = new Set(ids.map((id) => queue.shardOf({ id, relatedObject: { id: `ord_${id}` } })));
      expect(shardsUsed.size).toBeGreaterThan(1);
      expect((await queue.deadLetters.list()).map((letter) => letter.id).sort()).toEqual([...ids].sort());
      expect((await queue.deadLetters.get("evt_d4"))?.errors).toHaveLength(1);
      expect((await queue.getJobCounts())["failed"]).toBe(9);

      const out: string[] = [];
      const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
      const cli = (...args: string[]) => dlqCommand([...args, "--redis", redis.url, "--queue", "sharded-dlq", "--shards", "3"], io);
      expect(await cli("list")).toBe(0);
      expect(out.at(-1)).toBe("9 dead letter(s) in queue sharded-dlq");
      expect(await cli("show", "evt_d7")).toBe(0);
      await worker.close();
      handler.failuresLeft = 0;
      expect(await cli("replay", "evt_d7")).toBe(0);
      expect(await queue.deadLetters.count()).toBe(8);
      expect(await cli("purge")).toBe(0);
      expect(out.at(-1)).toBe("purged 8 dead letter(s) from queue sharded-dlq");
      // Read with the wrong layout, the shards are not there: the count says so.
      expect(await dlqCommand(["list", "--redis", redis.url, "--queue", "sharded-dlq"], io)).toBe(0);
      expect(out.at(-1)).toBe("0 dead letter(s) in queue sharded-dlq");
    } finally {
      await queue.close();
    }
  });
});
