// `npm run bench:queue` (P7): the queue path end to end on one Redis (started here: redis-server on
// 127.0.0.1, a free port, no persistence), in one run, alternating rounds after a warm-up round: a
// plain BullMQ Queue + Worker doing the same jobs (add with a job id, removeOnComplete; the worker
// parses the body and counts it) against CactusQueue `receive` -> `queue.work(handler)` with the
// default idempotency (the worker's Redis store), and, for reference only, the same with
// `idempotency: false`. For each: events/s (receiver and worker in this process, 64 adds in flight,
// worker concurrency 8), Redis commands per event (INFO commandstats, reset per round, the bench's
// own CONFIG/INFO left out) and CPU per event of this process and of redis-server.
import "reflect-metadata";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { CactusClient, CactusHandler, type BaseThinEvent } from "../lib";
import { CactusQueue } from "../lib/bullmq";
import { redisAvailable, startRedis } from "../examples/queue/local-redis";
import { median, printTargets, ratio, recordTarget } from "./targets";
import { QUICK } from "./options";

const EVENTS = Number(process.env["BENCH_QUEUE_EVENTS"] ?? (QUICK ? 1_000 : 2_000));
const ROUNDS = QUICK ? 1 : 3;
const IN_FLIGHT = 64;
const CONCURRENCY = 8;
const NOT_THE_QUEUE = new Set(["config", "info", "client", "select", "ping", "command", "hello"]);
const quiet = (): void => undefined;
const client = new CactusClient({ apiKey: "sk_test_bench", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });

/** What one side measured in one round. */
interface QueueRound {
  readonly eventsPerSecond: number;
  /** Redis commands per event, and the busiest commands. */
  readonly commandsPerEvent: number;
  readonly top: string;
  /** CPU per event in us: this Node process (receiver and worker), and redis-server (INFO cpu). */
  readonly nodeCpuUs: number;
  readonly redisCpuUs: number;
}

class Counter {
  handled = 0;
  #target = 0;
  #done: (() => void) | undefined;

  until(count: number): Promise<void> {
    this.#target = count;
    return new Promise((resolve) => {
      this.#done = resolve;
      if (this.handled >= count) resolve();
    });
  }

  tick(): void {
    this.handled += 1;
    if (this.handled >= this.#target) this.#done?.();
  }
}

// The handler's defaults (the default logger prints errors only): a custom logger, even one that
// drops every line, is given a line per job, which plain BullMQ does not build.
class CountingHandler extends CactusHandler {
  constructor(readonly counter: Counter) {
    super(client, { onError: quiet });
  }

  override async onOther(_event: BaseThinEvent): Promise<void> {
    this.counter.tick();
  }
}

function body(side: string, round: number, index: number): string {
  return JSON.stringify({ id: `evt_${side}_${round}_${index}`, type: "order.shipped", related_object: { id: `ord_${index % 1000}`, type: "order" } });
}

async function commandStats(admin: Redis): Promise<Map<string, number>> {
  const stats = new Map<string, number>();
  const text = String(await admin.info("commandstats"));
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const name = match[1] ?? "";
    if (!NOT_THE_QUEUE.has(name.split("|")[0] ?? "")) stats.set(name, Number(match[2]));
  }
  return stats;
}

async function redisCpuSeconds(admin: Redis): Promise<number> {
  const text = String(await admin.info("cpu"));
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(text)?.[1] ?? Number.NaN);
  return field("used_cpu_user") + field("used_cpu_sys");
}

async function measured(admin: Redis, run: () => Promise<void>): Promise<QueueRound> {
  await admin.config("RESETSTAT");
  const redisBefore = await redisCpuSeconds(admin);
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const node = process.cpuUsage(nodeBefore);
  const redisCpuUs = ((await redisCpuSeconds(admin)) - redisBefore) * 1e6 / EVENTS;
  const stats = await commandStats(admin);
  const total = [...stats.values()].reduce((sum, count) => sum + count, 0);
  const top = [...stats].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, count]) => `${name} ${(count / EVENTS).toFixed(2)}`).join(", ");
  return { eventsPerSecond: EVENTS / seconds, commandsPerEvent: total / EVENTS, top, nodeCpuUs: (node.user + node.system) / EVENTS, redisCpuUs };
}

// `count` calls of `send` (numbered from 1), `width` of them in flight at a time.
async function inFlight(send: (index: number) => Promise<unknown>, count = EVENTS, width = IN_FLIGHT): Promise<void> {
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      await send(next);
    }
  };
  await Promise.all(Array.from({ length: width }, sender));
}

async function plainRound(url: string, admin: Redis, round: number): Promise<QueueRound> {
  const name = `plain-${round}`;
  const producer = new Redis(url, { maxRetriesPerRequest: null });
  const consumer = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection: producer });
  const counter = new Counter();
  await queue.waitUntilReady();
  try {
    return await measured(admin, async () => {
      const worker = new Worker(
        name,
        async (job) => {
          const event = JSON.parse(String(job.data.body)) as { id: string; type: string };
          if (event.type === "order.shipped") counter.tick();
          else counter.tick();
        },
        { connection: consumer, concurrency: CONCURRENCY },
      );
      await inFlight((index) => {
        const text = body("plain", round, index);
        return queue.add("order.shipped", { body: text }, { jobId: `evt_plain_${round}_${index}`, attempts: 3, removeOnComplete: true, removeOnFail: false });
      });
      await counter.until(EVENTS);
      await worker.close();
    });
  } finally {
    await queue.close();
    producer.disconnect();
    consumer.disconnect();
  }
}

async function cactusRound(url: string, admin: Redis, round: number, idempotency = true): Promise<QueueRound> {
  const queue = new CactusQueue({ connection: url, name: `cactus-${idempotency ? "" : "noidem-"}${round}` });
  const counter = new Counter();
  await queue.getJobCounts(); // the connection is up before the clock starts
  try {
    return await measured(admin, async () => {
      const worker = queue.work(new CountingHandler(counter), { concurrency: CONCURRENCY, ...(idempotency ? {} : { idempotency: false }) });
      await inFlight((index) => queue.receive(body("cactus", round, index)));
      await counter.until(EVENTS);
      await worker.close();
    });
  } finally {
    await queue.close({ timeoutMs: 5_000 });
  }
}

// Median CPU per event: this process (the receiver and the worker) and redis-server, and how busy
// the process was (its CPU over the round's wall time, in cores: the receiver and the worker share
// one JavaScript thread, so near 1.0 events/s follows the process's CPU per event).
function cpuOf(rounds: readonly QueueRound[]): string {
  const node = median(rounds.map((item) => item.nodeCpuUs));
  const redis = median(rounds.map((item) => item.redisCpuUs));
  const busy = median(rounds.map((item) => (item.nodeCpuUs * item.eventsPerSecond) / 1e6));
  return `CPU per event: Node ${node.toFixed(1)} us (process busy ${busy.toFixed(2)} of a core) + redis-server ${redis.toFixed(1)} us`;
}

// What P7's ratio leaves for the idempotency: with the process saturated, 0.85 x plain's events/s
// allows plain's Node CPU per event / 0.85; the same path without idempotency already takes its share.
function budgetOf(plain: readonly QueueRound[], cactus: readonly QueueRound[], bare: readonly QueueRound[], pingUs: number): string {
  const cpu = (rounds: readonly QueueRound[]): number => median(rounds.map((item) => item.nodeCpuUs));
  const allowed = cpu(plain) / 0.85;
  return (
    `  budget: 0.85 x plain allows about ${allowed.toFixed(1)} us of Node CPU per event; without idempotency the path takes ${cpu(bare).toFixed(1)} us (${(allowed - cpu(bare)).toFixed(1)} us left); ` +
    `the default's claim and commit add ${(cpu(cactus) - cpu(bare)).toFixed(1)} us; the cheapest Redis call (PING, ${CONCURRENCY} in flight) costs ${pingUs.toFixed(1)} us`
  );
}

// Node CPU of one ioredis call at its cheapest: PING, CONCURRENCY calls in flight (their answers
// share reads), on a connection of its own.
async function pingCpuUs(url: string): Promise<number> {
  const redis = new Redis(url);
  try {
    await redis.ping();
    const calls = 20_000;
    const before = process.cpuUsage();
    await inFlight(() => redis.ping(), calls, CONCURRENCY);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / calls;
  } finally {
    redis.disconnect();
  }
}

/** P7's comparison; returns the median per-round ratio of events/s, or undefined without redis-server. */
export async function queueBenchmark(): Promise<number | undefined> {
  if (!redisAvailable) {
    console.log("P7 skipped: redis-server is not on PATH (apt-get install -y redis-server)");
    return undefined;
  }
  const redis = await startRedis();
  const admin = new Redis(redis.url);
  try {
    const plain: QueueRound[] = [];
    const cactus: QueueRound[] = [];
    const bare: QueueRound[] = [];
    // Round 0 warms up all three (the first round of a process ran at a third of the later ones'
    // speed, which made the order of the sides count): not counted.
    for (let round = 0; round <= ROUNDS; round += 1) {
      const sides = [await plainRound(redis.url, admin, round), await cactusRound(redis.url, admin, round), await cactusRound(redis.url, admin, round, false)] as const;
      if (round === 0) continue;
      plain.push(sides[0]);
      cactus.push(sides[1]);
      bare.push(sides[2]);
    }
    const ratios = cactus.map((item, index) => item.eventsPerSecond / (plain[index] as QueueRound).eventsPerSecond);
    console.log(`\nP7: the queue end to end on one Redis (127.0.0.1), ${EVENTS} events per round, ${ROUNDS} round(s) after one warm-up round, ${IN_FLIGHT} adds in flight, worker concurrency ${CONCURRENCY}, one Node process`);
    for (const [name, rounds] of [["plain BullMQ Queue.add + Worker (baseline)", plain], ["CactusQueue receive -> queue.work(handler), default idempotency", cactus]] as const) {
      const rates = rounds.map((item) => item.eventsPerSecond);
      console.log(`  ${name}: ${median(rates).toFixed(0)} events/s (rounds ${rates.map((rate) => rate.toFixed(0)).join(", ")}); ${median(rounds.map((item) => item.commandsPerEvent)).toFixed(2)} Redis commands per event (${rounds[rounds.length - 1]?.top ?? ""}); ${cpuOf(rounds)}`);
    }
    const bareRatios = bare.map((item, index) => item.eventsPerSecond / (plain[index] as QueueRound).eventsPerSecond);
    // Not the target: what the same path does without any claim, i.e. what the idempotency costs.
    console.log(`  (for reference) the same without idempotency (idempotency: false): ${median(bare.map((item) => item.eventsPerSecond)).toFixed(0)} events/s; ${median(bare.map((item) => item.commandsPerEvent)).toFixed(2)} Redis commands per event; ${cpuOf(bare)}; ${ratio(median(bareRatios))} x plain (rounds ${bareRatios.map((value) => value.toFixed(2)).join(", ")})`);
    console.log(budgetOf(plain, cactus, bare, await pingCpuUs(redis.url)));
    const result = median(ratios);
    console.log(`  cactus / plain: ${ratio(result)} x events/s (rounds ${ratios.map((value) => value.toFixed(2)).join(", ")})`);
    return result;
  } finally {
    admin.disconnect();
    await redis.stop();
  }
}

/** Records P7's verdict. */
export function recordP7Target(result: number | undefined): void {
  if (result === undefined) return;
  recordTarget({ id: "P7", goal: ">= 0.85 x a plain BullMQ Queue + Worker", measured: `${ratio(result)} x plain BullMQ events/s end to end`, pass: result >= 0.85 });
}

if (require.main === module) {
  queueBenchmark()
    .then((result) => {
      recordP7Target(result);
      printTargets();
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
