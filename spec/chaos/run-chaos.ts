// The chaos run: "Cactus" (this process) delivers N events 1-3 times each in shuffled order to two
// receiver processes, redelivering every non-2xx; handlers fail 30% of calls; in queue mode two
// worker processes run the jobs. Mid-run one process (a worker in queue mode, a receiver in direct
// mode) is killed with SIGKILL and restarted. Then the effects recorded in Redis are checked.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import Redis from "ioredis";
import { signWebhook } from "../../lib/webhooks";
import { startRedis } from "../redis/redis-server";
import { startRedisCluster, type LocalRedisCluster } from "../../examples/queue/local-redis-cluster";
import { clusterSlotOf, routingKeyOf, shardOf } from "../../lib/bullmq/shards";
import { CHAOS_KEYS, type ChaosChildConfig } from "./chaos-config";
import { chaosQueue } from "./queue-connection";

/** How big and how rough a run is. */
export interface ChaosOptions {
  readonly mode: "queue" | "direct";
  readonly events: number;
  readonly failRate?: number;
  readonly workerConcurrency?: number;
  readonly attempts?: number;
  /** Deliveries in flight at once from "Cactus". */
  readonly senders?: number;
  /** Kill when this share of events has run to success. */
  readonly killAt?: number;
  /**
   * Queue mode on a Redis Cluster (3 masters + 3 replicas) with this many shards and
   * `replicas: 1`; the second blow is then a SIGKILL of the master owning shard 0, not a SIGTERM.
   * 0: a single Redis.
   */
  readonly clusterShards?: number;
}

/** What a run saw; `problems` is empty when every promise held. */
export interface ChaosReport {
  readonly options: Required<ChaosOptions>;
  readonly deliveries: number;
  readonly answers: Readonly<Record<string, number>>;
  readonly handlerCalls: number;
  readonly handlerFailures: number;
  readonly handled: number;
  readonly deadLetters: number;
  readonly lost: readonly string[];
  /** Handled (an effect recorded) and dead. Allowed only for an effect in the killed process. */
  readonly both: readonly string[];
  readonly bothOutsideKilled: readonly string[];
  /** Dead letters that had a success, and events with no success that are not dead letters. */
  readonly dlqMismatch: readonly string[];
  /** Dead letters whose recorded attempts differ from the configured attempts. */
  readonly dlqAttemptsWrong: readonly string[];
  readonly ranTwice: readonly string[];
  readonly ranTwiceOutsideKilled: readonly string[];
  /** Events the kill left with an effect but no committed claim (ran twice, or handled and dead). */
  readonly killWindow: number;
  readonly killedInFlightBound: number;
  readonly killedAfterHandled: number;
  readonly stoppedAfterHandled: number;
  /** Cluster runs: events run to success more than once outside the killed worker (all must be work in flight on the killed master's shard). */
  readonly rerunByFailover: readonly string[];
  /** Of those, the ones that were not: their first effect outside the failover window, or in another shard. */
  readonly rerunOutsideFailover: readonly string[];
  /** Cluster runs: from the master's SIGKILL until every slot was served again, and the answers 503 meanwhile, ms. */
  readonly failoverMs: number;
  /** Cluster runs: from then until the killed master, restarted, served as the new master's replica, ms. */
  readonly rejoinMs: number;
  readonly seconds: number;
  readonly problems: readonly string[];
}

const SECRET = "whsec_Y2hhb3MtdGVzdC1zZWNyZXQtMzItYnl0ZXMtbG9uZyE=";
const HOOK = join(__dirname, "require-hook.js");

interface Child {
  readonly process: ChildProcess;
  readonly port: number;
}

/** Runs one chaos round against a fresh redis-server and returns what it saw. */
export async function runChaos(input: ChaosOptions): Promise<ChaosReport> {
  const options: Required<ChaosOptions> = {
    failRate: 0.3,
    workerConcurrency: 4,
    attempts: 3,
    senders: 24,
    killAt: 0.3,
    clusterShards: 0,
    ...input,
  };
  const started = Date.now();
  const server = await startRedis();
  const redis = new Redis(server.url);
  const children = new Set<ChildProcess>();
  let cluster: LocalRedisCluster | undefined;
  try {
    if (options.clusterShards > 0) cluster = await startRedisCluster();
    const config: ChaosChildConfig = {
      ...(cluster === undefined ? {} : { cluster: cluster.nodes, shards: options.clusterShards, replicas: 1 }),
      mode: options.mode,
      redisUrl: server.url,
      queueName: "chaos",
      secret: SECRET,
      failRate: options.failRate,
      leaseMs: 2_000,
      concurrency: options.workerConcurrency,
      attempts: options.attempts,
    };
    const startChild = async (script: string): Promise<Child> => {
      const child = await spawnChild(script, config);
      children.add(child.process);
      child.process.once("exit", () => children.delete(child.process));
      return child;
    };
    const receivers = await Promise.all([startChild("receiver-process.ts"), startChild("receiver-process.ts")]);
    const workers = options.mode === "queue" ? await Promise.all([startChild("worker-process.ts"), startChild("worker-process.ts")]) : [];
    const ports = receivers.map((child) => child.port);

    // Mid-run, one process is killed with SIGKILL (no chance to finish anything) and a sibling
    // gets SIGTERM (graceful: it finishes what it holds); both are restarted.
    let killedPid = 0;
    let killedAfterHandled = 0;
    let stoppedAfterHandled = 0;
    let masterKilledAt = 0;
    let healedAt = 0;
    let replicatedAgainAt = 0;
    const handledAtLeast = async (share: number): Promise<number> => {
      for (;;) {
        const handled = await redis.hlen(CHAOS_KEYS.ok);
        if (handled >= options.events * share) return handled;
        await sleep(20);
      }
    };
    const script = options.mode === "queue" ? "worker-process.ts" : "receiver-process.ts";
    const victims = options.mode === "queue" ? workers : receivers;
    const killer = (async () => {
      killedAfterHandled = await handledAtLeast(options.killAt);
      const victim = victims[0] as Child;
      killedPid = victim.process.pid ?? 0;
      victim.process.kill("SIGKILL");
      await sleep(300);
      const replacement = await startChild(script);
      if (options.mode === "direct") ports[0] = replacement.port;
      stoppedAfterHandled = await handledAtLeast(Math.min(0.95, options.killAt + 0.3));
      if (cluster !== undefined) {
        // The master owning shard 0's slot dies; its replica takes over (cluster-node-timeout 1 s).
        const probe = chaosQueue(config);
        const slot = clusterSlotOf(probe.bullmq.toKey("wait"));
        await probe.close();
        const master = await cluster.masterOf(slot);
        masterKilledAt = Date.now();
        cluster.kill(master);
        await cluster.waitUntilHealthy();
        healedAt = Date.now();
        // With replicas: 1, shard 0 answers 503 until its new master has a replica again: the old one, restarted.
        await cluster.restart(master);
        replicatedAgainAt = Date.now();
        return;
      }
      await stopChild((victims[1] as Child).process);
      const second = await startChild(script);
      if (options.mode === "direct") ports[1] = second.port;
    })();

    const phase = (name: string): void => {
      if (process.env["CHAOS_DEBUG"]) console.log(`  [${((Date.now() - started) / 1000).toFixed(1)} s] ${name}`);
    };
    phase("processes ready");
    const answers: Record<string, number> = {};
    const progress = process.env["CHAOS_DEBUG"] ? setInterval(() => void redis.hlen(CHAOS_KEYS.ok).then((handled) => phase(`answers ${JSON.stringify(answers)}, handled ${handled}`)), 2_000) : undefined;
    const deliveries = await deliverAll(options, ports, answers).finally(() => clearInterval(progress));
    phase("every delivery answered 2xx");
    await killer;
    if (options.mode === "queue") await drained(config);
    phase("queue drained");

    const ok = toCounts(await redis.hgetall(CHAOS_KEYS.ok));
    const runs = toCounts(await redis.hgetall(CHAOS_KEYS.runs));
    const failed = toCounts(await redis.hgetall(CHAOS_KEYS.failed));
    // Events whose effect happened in the killed process: the only ones its SIGKILL may have left
    // without a committed claim (the effect done, the record of it lost).
    const succeededInKilled = new Set(await redis.smembers(CHAOS_KEYS.succeededIn(killedPid)));
    const dead = options.mode === "queue" ? await deadLetters(config) : new Map<string, number>();
    const effectAt = toCounts(await redis.hgetall(CHAOS_KEYS.effectAt));

    const ids = Array.from({ length: options.events }, (_, index) => eventId(index));
    const lost = ids.filter((id) => !ok.has(id) && !dead.has(id));
    const both = ids.filter((id) => ok.has(id) && dead.has(id));
    const bothOutsideKilled = both.filter((id) => !succeededInKilled.has(id));
    const dlqMismatch = ids.filter((id) => dead.has(id) !== (!ok.has(id) && (failed.get(id) ?? 0) > 0) && !succeededInKilled.has(id));
    const dlqAttemptsWrong = [...dead].filter(([, attempts]) => attempts !== options.attempts).map(([id]) => id);
    const ranTwice = ids.filter((id) => (runs.get(id) ?? 0) > 1);
    const rerunByFailover = cluster === undefined ? [] : ranTwice.filter((id) => !succeededInKilled.has(id));
    // Work in flight at the master's death: a first effect shortly before the kill (its commit or
    // its job's completion not yet replicated) or before every slot was served again, in shard 0.
    const rerunOutsideFailover = rerunByFailover.filter((id) => {
      const at = effectAt.get(id) ?? 0;
      const index = Number(id.slice("evt_chaos_".length));
      const body = JSON.parse(eventBody(index)) as { id: string; related_object?: { id: string } };
      const shard = shardOf(routingKeyOf({ id: body.id, relatedObject: body.related_object }), options.clusterShards);
      return shard !== 0 || at < masterKilledAt - 1_000 || at > healedAt;
    });
    const ranTwiceOutsideKilled = ranTwice.filter((id) => !succeededInKilled.has(id) && !rerunByFailover.includes(id));
    const killWindow = new Set([...ranTwice, ...both].filter((id) => !rerunByFailover.includes(id)));
    // A worker runs `concurrency` jobs in each shard it consumes.
    const killedInFlightBound = options.mode === "queue" ? options.workerConcurrency * Math.max(1, options.clusterShards) : options.senders;
    const handlerFailures = sum(failed);
    const problems = [
      lost.length > 0 ? `${lost.length} events lost (e.g. ${lost.slice(0, 3).join(", ")})` : "",
      both.length > 0 ? `${both.length} events both handled and dead (e.g. ${both.slice(0, 3).join(", ")})` : "",
      dlqMismatch.length > 0 ? `${dlqMismatch.length} events where the dead letters disagree with the handler runs (e.g. ${dlqMismatch.slice(0, 3).join(", ")})` : "",
      dlqAttemptsWrong.length > 0 ? `${dlqAttemptsWrong.length} dead letters without ${options.attempts} recorded attempts` : "",
      ranTwiceOutsideKilled.length > 0 ? `${ranTwiceOutsideKilled.length} events ran to success twice outside the killed process` : "",
      killWindow.size > killedInFlightBound ? `${killWindow.size} events hit by the kill, more than the ${killedInFlightBound} the killed process could hold` : "",
      killedPid === 0 ? "no process was killed" : "",
      rerunOutsideFailover.length > 0 ? `${rerunOutsideFailover.length} events ran twice though not in flight on the killed master's shard (e.g. ${rerunOutsideFailover.slice(0, 3).join(", ")})` : "",
      cluster !== undefined && masterKilledAt === 0 ? "no master was killed" : "",
    ].filter((problem) => problem !== "");
    return {
      options,
      deliveries,
      answers,
      handlerCalls: sum(ok) + handlerFailures,
      handlerFailures,
      handled: ok.size,
      deadLetters: dead.size,
      lost,
      both,
      bothOutsideKilled,
      dlqMismatch,
      dlqAttemptsWrong,
      ranTwice,
      ranTwiceOutsideKilled,
      killWindow: killWindow.size,
      killedInFlightBound,
      killedAfterHandled,
      stoppedAfterHandled,
      rerunByFailover,
      rerunOutsideFailover,
      failoverMs: healedAt - masterKilledAt,
      rejoinMs: replicatedAgainAt - healedAt,
      seconds: (phase("checked"), (Date.now() - started) / 1000),
      problems,
    };
  } finally {
    await Promise.all([...children].map((child) => stopChild(child)));
    redis.disconnect();
    await server.stop();
    await cluster?.stop();
  }
}

/** The report as printed by the test and `npm run chaos`. */
export function formatChaosReport(report: ChaosReport): string {
  const { options } = report;
  const answers = Object.entries(report.answers).sort().map(([status, count]) => `${status} x ${count}`).join(", ");
  const killed = options.mode === "queue" ? "worker" : "receiver";
  return [
    `chaos, ${options.mode} mode: ${options.events} events, ${report.deliveries} deliveries (1-3 per event, shuffled, every non-2xx redelivered)`,
    `  2 receiver processes${options.mode === "queue" ? `, 2 worker processes x concurrency ${options.workerConcurrency}, ${options.attempts} attempts` : ""}, ${Math.round(options.failRate * 100)}% of handler calls fail`,
    options.clusterShards > 0
      ? `  a Redis Cluster (3 masters + 3 replicas), ${options.clusterShards} shards, replicas: 1; one worker SIGKILLed after ${report.killedAfterHandled} events were handled (restarted), then the master of shard 0 SIGKILLed after ${report.stoppedAfterHandled} (every slot served again ${(report.failoverMs / 1000).toFixed(1)} s later; restarted, it was the new master's replica ${(report.rejoinMs / 1000).toFixed(1)} s after that)`
      : `  one ${killed} SIGKILLed after ${report.killedAfterHandled} events were handled, another SIGTERMed (graceful) after ${report.stoppedAfterHandled}; both restarted`,
    `  answers to Cactus: ${answers}`,
    `  handler calls: ${report.handlerCalls} (${report.handlerFailures} failed)`,
    `  handled: ${report.handled}   dead letters: ${report.deadLetters}   lost: ${report.lost.length}   handled and dead: ${report.both.length} (outside the killed ${killed}'s effects: ${report.bothOutsideKilled.length})`,
    `  dead letters = the events whose every attempt failed: ${report.dlqMismatch.length === 0 && report.dlqAttemptsWrong.length === 0 ? "yes" : "NO"}`,
    `  ran to success more than once: ${report.ranTwice.length} (outside the killed ${killed}'s effects: ${report.ranTwiceOutsideKilled.length}${options.clusterShards > 0 ? `; re-run after the master's failover: ${report.rerunByFailover.length}, of which not in flight on its shard at the kill: ${report.rerunOutsideFailover.length}` : ""})`,
    `  events whose effect the SIGKILL left uncommitted: ${report.killWindow} (bound: the killed ${killed}'s ${options.mode === "queue" ? "concurrency" : "deliveries in flight"}, ${report.killedInFlightBound})`,
    `  time: ${report.seconds.toFixed(1)} s`,
    report.problems.length === 0 ? "  result: every promise held" : `  result: FAILED: ${report.problems.join("; ")}`,
  ].join("\n");
}

function eventId(index: number): string {
  return `evt_chaos_${String(index).padStart(5, "0")}`;
}

function eventBody(index: number): string {
  const id = eventId(index);
  switch (index % 3) {
    case 0:
      return JSON.stringify({ id, type: "order.shipped", related_object: { id: `ord_${index}`, type: "order" } });
    case 1:
      return JSON.stringify({ id, type: "order.lost" });
    default:
      return JSON.stringify({ id, type: "movie.started", related_object: { id: `mov_${index}`, type: "movie" } });
  }
}

// "Cactus": every delivery is retried until it gets a 2xx, honouring Retry-After (capped, to keep the run short).
async function deliverAll(options: Required<ChaosOptions>, ports: number[], answers: Record<string, number>): Promise<number> {
  const pending: number[] = [];
  for (let index = 0; index < options.events; index += 1) {
    const copies = 1 + Math.floor(Math.random() * 3);
    for (let copy = 0; copy < copies; copy += 1) pending.push(index);
  }
  shuffle(pending);
  const total = pending.length;
  let waiting = 0; // deliveries sleeping before a redelivery
  const sender = async (): Promise<void> => {
    for (;;) {
      const index = pending.pop();
      if (index === undefined) {
        if (waiting === 0) return;
        await sleep(20);
        continue;
      }
      const { status, retryAfterMs } = await deliverOnce(eventBody(index), eventId(index), ports);
      answers[status] = (answers[status] ?? 0) + 1;
      if (status.startsWith("2")) continue;
      waiting += 1;
      void sleep(Math.min(retryAfterMs, 500) + Math.random() * 100).then(() => {
        waiting -= 1;
        pending.unshift(index);
      });
    }
  };
  await Promise.all(Array.from({ length: options.senders }, sender));
  return total;
}

async function deliverOnce(body: string, id: string, ports: readonly number[]): Promise<{ status: string; retryAfterMs: number }> {
  const port = ports[Math.floor(Math.random() * ports.length)];
  try {
    const headers = signWebhook({ id, body, webhookSecret: SECRET });
    const response = await fetch(`http://127.0.0.1:${port}/webhooks`, { method: "POST", body, headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    const retryAfter = Number(response.headers.get("retry-after") ?? "0");
    return { status: String(response.status), retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 0 };
  } catch {
    return { status: "connection failed", retryAfterMs: 100 };
  }
}

async function drained(config: ChaosChildConfig): Promise<void> {
  const queue = chaosQueue(config);
  try {
    let quietPolls = 0;
    while (quietPolls < 3) {
      const counts = await queue.getJobCounts();
      const open = (counts["wait"] ?? counts["waiting"] ?? 0) + (counts["active"] ?? 0) + (counts["delayed"] ?? 0) + (counts["prioritized"] ?? 0);
      quietPolls = open === 0 ? quietPolls + 1 : 0;
      await sleep(100);
    }
  } finally {
    await queue.close();
  }
}

async function deadLetters(config: ChaosChildConfig): Promise<Map<string, number>> {
  const queue = chaosQueue(config);
  try {
    const letters = await queue.deadLetters.list({ limit: 1_000_000 });
    return new Map(letters.map((letter) => [letter.id, Math.min(letter.attempts, letter.errors.length)]));
  } finally {
    await queue.close();
  }
}

function spawnChild(script: string, config: ChaosChildConfig): Promise<Child> {
  const child = spawn(process.execPath, ["-r", HOOK, join(__dirname, script), JSON.stringify(config)], { stdio: ["ignore", "pipe", "pipe"] });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s: ${errors}`)), 30_000);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ process: child, port: Number(ready[1]) });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${String(code ?? signal)}) before it was ready: ${errors}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function toCounts(hash: Record<string, string>): Map<string, number> {
  return new Map(Object.entries(hash).map(([id, count]) => [id, Number(count)]));
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

function shuffle<T>(items: T[]): void {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
