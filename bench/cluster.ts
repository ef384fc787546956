// `npm run bench:cluster`: a CactusQueue on a real Redis Cluster (3 masters + 3 replicas on
// 127.0.0.1, started here), with 1 shard and with 3 shards, in one run. For each: end-to-end
// events/s (receive → job → worker → handler done, receiver and worker in this process, the same
// total worker concurrency) and how the queue's Redis commands spread over the masters
// (INFO commandstats, reset before each round). Alternating rounds, medians.
import "reflect-metadata";
import { Cluster } from "ioredis";
import { CactusClient, CactusHandler, type BaseThinEvent } from "../lib";
import { CactusQueue } from "../lib/bullmq";
import { redisClusterAvailable, startRedisCluster, type LocalRedisCluster } from "../examples/queue/local-redis-cluster";
import { median } from "./targets";

const QUICK = process.argv.includes("--quick") || process.env["BENCH_QUICK"] === "1";
const EVENTS = Number(process.env["BENCH_CLUSTER_EVENTS"] ?? (QUICK ? 1_000 : 4_000));
const ROUNDS = QUICK ? 1 : 3;
const IN_FLIGHT = 64;
const TOTAL_CONCURRENCY = 24;
// Commands of the bench itself and of the cluster's own upkeep, not of the queue.
const NOT_THE_QUEUE = new Set(["config", "info", "replconf", "ping", "cluster", "command", "client", "select"]);
const quiet = (): void => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };
const client = new CactusClient({ apiKey: "sk_test_bench", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });

class CountingHandler extends CactusHandler {
  handled = 0;
  #target = 0;
  #done: (() => void) | undefined;

  constructor() {
    super(client, { logger: silent, onError: quiet });
  }

  until(count: number): Promise<void> {
    this.#target = count;
    return new Promise((resolve) => {
      this.#done = resolve;
      if (this.handled >= count) resolve();
    });
  }

  override async onOther(_event: BaseThinEvent): Promise<void> {
    this.handled += 1;
    if (this.handled >= this.#target) this.#done?.();
  }
}

interface Round {
  readonly eventsPerSecond: number;
  /** The queue's commands served by each master, as a share of all of them. */
  readonly shares: readonly number[];
}

async function commandsByMaster(cluster: LocalRedisCluster, masters: readonly number[]): Promise<number[]> {
  return Promise.all(
    masters.map(async (port) => {
      let calls = 0;
      for (const match of (await cluster.info(port, "commandstats")).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        if (!NOT_THE_QUEUE.has((match[1] ?? "").split("|")[0] ?? "")) calls += Number(match[2]);
      }
      return calls;
    }),
  );
}

async function round(cluster: LocalRedisCluster, shards: number, index: number): Promise<Round> {
  const connection = new Cluster([...cluster.nodes]);
  connection.on("error", quiet);
  const queue = new CactusQueue({ connection, name: `bench-${shards}-${index}`, shards });
  const handler = new CountingHandler();
  const masters = await cluster.masters();
  try {
    await Promise.all(masters.map((port) => cluster.info(port, "server"))); // warm
    await queue.getJobCounts(); // every shard's connection is up before the clock starts
    for (const port of masters) await cluster.command(port, "CONFIG", "RESETSTAT");
    const started = performance.now();
    queue.work(handler, { concurrency: Math.ceil(TOTAL_CONCURRENCY / shards) });
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < EVENTS) {
        next += 1;
        const id = `evt_bench_${shards}_${index}_${next}`;
        await queue.receive(JSON.stringify({ id, type: "order.shipped", related_object: { id: `ord_${next % 1000}`, type: "order" } }));
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    await handler.until(EVENTS);
    const seconds = (performance.now() - started) / 1000;
    const calls = await commandsByMaster(cluster, masters);
    const total = calls.reduce((sum, count) => sum + count, 0);
    return { eventsPerSecond: EVENTS / seconds, shares: calls.map((count) => count / total).sort((a, b) => b - a) };
  } finally {
    await queue.close({ timeoutMs: 5_000 });
    connection.disconnect();
  }
}

async function main(): Promise<void> {
  if (!redisClusterAvailable) {
    console.log("bench:cluster skipped: redis-server and redis-cli are not on PATH (apt-get install -y redis-server)");
    return;
  }
  const cluster = await startRedisCluster();
  try {
    const results = new Map<number, Round[]>([[1, []], [3, []]]);
    for (let index = 0; index < ROUNDS; index += 1) {
      for (const shards of [1, 3]) results.get(shards)?.push(await round(cluster, shards, index));
    }
    console.log(`CactusQueue on a Redis Cluster (3 masters + 3 replicas, 127.0.0.1), ${EVENTS} events per round, ${ROUNDS} round(s) each, ${IN_FLIGHT} receives in flight, worker concurrency ${TOTAL_CONCURRENCY} in total, receiver and worker in one Node process`);
    const rates = new Map<number, number>();
    for (const [shards, rounds] of results) {
      const rate = median(rounds.map((r) => r.eventsPerSecond));
      rates.set(shards, rate);
      const shares = [0, 1, 2].map((master) => median(rounds.map((r) => r.shares[master] ?? 0)));
      const spread = shares.map((share) => `${(share * 100).toFixed(1)}%`).join(" / ");
      const within = shares.every((share) => Math.abs(share - 1 / 3) <= 0.2 / 3);
      console.log(`  shards ${shards}: ${rate.toFixed(0)} events/s end to end; the queue's commands per master ${spread}${shards === 3 ? ` (each within 20% of a third: ${within ? "yes" : "no"})` : ""}`);
    }
    console.log(`  3 shards / 1 shard: ${((rates.get(3) ?? 0) / (rates.get(1) ?? 1)).toFixed(2)}x events/s`);
  } finally {
    await cluster.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
