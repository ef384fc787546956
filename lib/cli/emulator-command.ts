import { Option, type Command } from "commander";
import { CactusEmulator, DEFAULT_EMULATOR_API_KEY } from "../emulator/cactus-emulator";
import { cactusEventTypes } from "../events/catalog";
import { attachDashboard, deadLetterRoutes } from "../emulator/dashboard";
import { openQueueDeadLetters } from "../emulator/dashboard/queue-dead-letters";
import { CactusConfigError } from "../errors";
import { fixtureEventId, UNKNOWN_FIXTURE_TYPE } from "../emulator/fixtures";
import type { CliIo } from "./cli-io";
import { wholeNumber, type CliCommand } from "./command";
import { DEFAULT_EMULATOR_PORT } from "./usage";

interface EmulatorOptions {
  readonly port: number;
  readonly host: string;
  readonly apiKey?: string;
  readonly redis?: string;
  readonly queue?: string;
  readonly prefix?: string;
  readonly redisCluster?: string;
  readonly shards?: number;
}

/** `cactus emulator [--port] [--host] [--api-key] [--redis <url> [--queue] [--prefix]]`: serves the local Cactus API until Ctrl-C. */
export const emulatorCommand: CliCommand = {
  name: "emulator",
  register(program: Command, context) {
    program
      .command("emulator")
      .summary("run the local Cactus API, preloaded with one event per type")
      .description(
        "Runs the local Cactus API (GET /v2/events/{id}, /v1/orders/{id}, /v1/movies/{id}) with one fixture event per type, until Ctrl-C.",
      )
      .option("--port <port>", "port to listen on (0 = any free port)", wholeNumber(0), DEFAULT_EMULATOR_PORT)
      .option("--host <host>", "interface to listen on", "127.0.0.1")
      .addOption(new Option("--api-key <key>", `the API key it accepts (default ${DEFAULT_EMULATOR_API_KEY})`).env("CACTUS_API_KEY"))
      .option("--redis <url>", "also show a CactusQueue's dead letters in the dashboard, with Replay (needs bullmq and ioredis)")
      .option("--queue <name>", "that queue's name (default cactus-events)")
      .option("--prefix <prefix>", "its BullMQ key prefix (default {cactus})")
      .option("--redis-cluster <nodes>", "the queue is on a Redis Cluster: its startup nodes, host:port,host:port (a node given as --redis is detected)")
      .option("--shards <n>", "the queue's shards option (default 1): every shard's dead letters are shown as one list", wholeNumber(1))
      .addHelpText("after", "\nExit status: 0 stopped by Ctrl-C, 1 could not start.")
      .action((options: EmulatorOptions) => context.run(() => serve(options, context.io)));
  },
};

async function serve(options: EmulatorOptions, io: CliIo): Promise<number> {
  const queueGiven = options.redis !== undefined || options.redisCluster !== undefined;
  if (!queueGiven && (options.queue !== undefined || options.prefix !== undefined || options.shards !== undefined)) throw new CactusConfigError("--queue, --prefix and --shards go with --redis <url> or --redis-cluster <nodes>");
  if (queueGiven && options.host !== "127.0.0.1") {
    throw new CactusConfigError(`--redis shows dead letters in the dashboard, which is only served when the emulator listens on 127.0.0.1 (got --host ${options.host})`);
  }
  const deadLetters = !queueGiven
    ? undefined
    : await openQueueDeadLetters({ redis: options.redis, redisCluster: options.redisCluster, ...(options.shards === undefined ? {} : { shards: options.shards }), ...(options.queue === undefined ? {} : { queue: options.queue }), ...(options.prefix === undefined ? {} : { prefix: options.prefix }) });
  const emulator = await CactusEmulator.start({ port: options.port, host: options.host, apiKey: options.apiKey ?? DEFAULT_EMULATOR_API_KEY }).catch(async (error: unknown) => {
    await deadLetters?.close();
    throw error;
  });
  const routes = deadLetters === undefined ? {} : { routes: deadLetterRoutes(deadLetters.source) };
  io.out(`Cactus API emulator listening on ${emulator.url}`);
  io.out(`  API key: ${emulator.apiKey === DEFAULT_EMULATOR_API_KEY ? emulator.apiKey : "(the one you passed)"}`);
  io.out(`  fixture events: ${[...cactusEventTypes, UNKNOWN_FIXTURE_TYPE].map(fixtureEventId).join(", ")}`);
  io.out(`  in your app: CACTUS_API_BASE_URL=${emulator.url}`);
  io.out(`  dashboard: ${emulator.url.startsWith("http://127.0.0.1:") ? attachDashboard(emulator, routes).url : "only when the emulator listens on 127.0.0.1"}`);
  if (deadLetters !== undefined) io.out(`    with the dead letters of ${deadLetters.description}`);
  io.out(`  then: cactus trigger order.shipped --url http://localhost:3000/webhooks --secret whsec_... --api-url ${emulator.url}`);
  io.out("Press Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await emulator.close();
  await deadLetters?.close();
  io.out("emulator stopped");
  return 0;
}
