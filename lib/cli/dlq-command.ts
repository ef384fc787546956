import { parseArgs } from "node:util";
import type { DeadLetter, DeadLetters } from "../bullmq/dead-letters";
import { CactusConfigError } from "../errors";
import { redactRedisUrl } from "../emulator/dashboard/queue-dead-letters";
import { CliUsageError, integerOption, usageErrorsOf, type CliIo } from "./cli-io";
import { printable } from "./printable";

/** The `cactus dlq` lines of `cactus help`. */
export const DLQ_USAGE = `  cactus dlq list|show <id>|replay <id>|replay --all|purge --redis <url> | --redis-cluster <nodes> [--queue <name>] [--prefix <prefix>] [--shards <n>]
      The dead letters of a CactusQueue (cactus-sdk/bullmq): events whose every attempt failed.
      list shows one line each; show prints one as JSON (event, every attempt's error, times);
      replay puts one (or --all, with a progress bar) back in the queue with fresh attempts;
      purge deletes them all. Every shard of a sharded queue is read as one. Needs the packages bullmq and ioredis.
    --redis <url>             Redis URL (default: $REDIS_URL), e.g. redis://127.0.0.1:6379;
                              a node of a Redis Cluster is detected and used as the cluster
    --redis-cluster <nodes>   a Redis Cluster's startup nodes, host:port,host:port (default:
                              $REDIS_CLUSTER_NODES); a password comes from --redis's URL
    --queue <name>            queue name (default cactus-events)
    --prefix <prefix>         BullMQ key prefix (default {cactus})
    --shards <n>              the queue's shards option (default 1)
    --limit <n>               list at most n (default 1000)
`;

/**
 * `cactus dlq list | show <id> | replay <id> | replay --all | purge --redis <url> [--queue name]`.
 * Loads bullmq and ioredis only when it runs. Exit 0 done, 1 when the dead letter is not there.
 *
 * @example
 * ```ts
 * const status = await dlqCommand(["list", "--redis", "redis://127.0.0.1:6379"], { out: console.log, err: console.error });
 * ```
 */
export async function dlqCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = usageErrorsOf(() => parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      redis: { type: "string" },
      queue: { type: "string" },
      prefix: { type: "string" },
      shards: { type: "string" },
      "redis-cluster": { type: "string" },
      limit: { type: "string" },
      all: { type: "boolean" },
    },
  }));
  const [action, target, ...extra] = positionals;
  if (extra.length > 0) throw new CliUsageError(`cactus dlq takes at most one id, got ${extra.length} more argument(s) (not shown: one may be a secret)`);
  if (action !== "list" && action !== "show" && action !== "replay" && action !== "purge") {
    throw new CliUsageError(`cactus dlq needs an action: list, show <id>, replay <id> | --all, or purge${action === undefined ? "" : ` (got ${JSON.stringify(action)})`}`);
  }
  if (action === "show" && target === undefined) throw new CliUsageError("cactus dlq show needs an event id");
  if (action === "replay" && (target === undefined) === (values.all !== true)) throw new CliUsageError("cactus dlq replay needs an event id or --all (one of them)");
  if ((action === "list" || action === "purge") && target !== undefined) throw new CliUsageError(`cactus dlq ${action} takes no id`);
  const clusterNodes = values["redis-cluster"] ?? process.env["REDIS_CLUSTER_NODES"];
  const url = values.redis ?? process.env["REDIS_URL"];
  if (url === undefined && clusterNodes === undefined) throw new CliUsageError("cactus dlq needs --redis <url> (or REDIS_URL), or --redis-cluster host:port,host:port");
  if (url !== undefined && !/^rediss?:\/\//.test(url)) throw new CliUsageError(`--redis must be a redis:// or rediss:// URL, got ${JSON.stringify(redactRedisUrl(url))}`);
  const limit = integerOption("limit", values.limit, 1_000, 1);
  const shards = integerOption("shards", values.shards, 1, 1);

  const { CactusQueue, openToolRedis } = await loadQueueModules();
  // Fail fast when Redis is not there, instead of retrying for ever.
  const { client: redis } = await openToolRedis({ url, clusterNodes });
  let queue: InstanceType<typeof CactusQueue>;
  try {
    queue = new CactusQueue({ connection: redis, shards, ...(values.queue === undefined ? {} : { name: values.queue }), ...(values.prefix === undefined ? {} : { prefix: values.prefix }) });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  try {
    const letters = queue.deadLetters;
    switch (action) {
      case "list": {
        const all = await letters.list({ limit });
        for (const letter of all) io.out(describeLetter(letter));
        io.out(`${all.length} dead letter(s) in queue ${queue.name}`);
        return 0;
      }
      case "show": {
        if (target === undefined) return 2; // refused above, with the usage
        const letter = await letters.get(target);
        if (letter === undefined) return notDead(io, target, queue.name);
        io.out(JSON.stringify(letter, null, 2));
        return 0;
      }
      case "replay": {
        if (values.all === true) {
          const replayed = await replayAll(letters);
          io.out(`replayed ${replayed} dead letter(s) into queue ${queue.name}`);
          return 0;
        }
        if (target === undefined) return 2; // refused above, with the usage
        const replayed = await letters.replay(target);
        if (replayed.length === 0) return notDead(io, target, queue.name);
        io.out(`replayed ${target} into queue ${queue.name}`);
        return 0;
      }
      case "purge": {
        io.out(`purged ${await letters.purge()} dead letter(s) from queue ${queue.name}`);
        return 0;
      }
    }
  } finally {
    await queue.close({ timeoutMs: 2_000 });
    redis.disconnect();
  }
}

async function replayAll(letters: DeadLetters): Promise<number> {
  const { SingleBar, Presets } = await import("cli-progress");
  // On a terminal, a bar on stderr; elsewhere (pipes, CI) cli-progress stays silent and the summary line says it all.
  const bar = new SingleBar({ stream: process.stderr, format: "replaying [{bar}] {value}/{total} dead letters", hideCursor: true }, Presets.shades_classic);
  bar.start(await letters.count(), 0);
  try {
    const replayed = await letters.replayAll({
      onProgress: (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      },
    });
    return replayed.length;
  } finally {
    bar.stop();
  }
}

function describeLetter(letter: DeadLetter): string {
  const last = letter.errors.at(-1);
  const reason = letter.unreadable === undefined ? (last?.message ?? letter.failedReason).split("\n")[0] ?? "" : `unreadable: ${letter.unreadable}`;
  return `${printable(letter.id)}  ${printable(letter.type)}  ${letter.attempts} attempt(s)  dead since ${letter.deadAt}  ${printable(reason.slice(0, 160))}`;
}

function notDead(io: CliIo, id: string, queue: string): number {
  io.err(`cactus: no dead letter ${printable(id)} in queue ${queue}`);
  return 1;
}

async function loadQueueModules(): Promise<{ CactusQueue: typeof import("../bullmq").CactusQueue; openToolRedis: typeof import("../bullmq/tool-connection").openToolRedis }> {
  try {
    const [bullmq, tool] = await Promise.all([import("../bullmq"), import("../bullmq/tool-connection")]);
    return { CactusQueue: bullmq.CactusQueue, openToolRedis: tool.openToolRedis };
  } catch {
    throw new CactusConfigError("cactus dlq needs the packages bullmq and ioredis: npm install bullmq ioredis");
  }
}
