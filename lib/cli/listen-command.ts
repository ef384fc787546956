import { parseArgs } from "node:util";
import { CactusError } from "../errors";
import { CactusEmulator, DEFAULT_EMULATOR_API_KEY } from "../emulator/cactus-emulator";
import { attachDashboard, deadLetterRoutes } from "../emulator/dashboard";
import { openQueueDeadLetters, type QueueDeadLetters } from "../emulator/dashboard/queue-dead-letters";
import { DEFAULT_FORWARDER_CONCURRENCY, DeliveryLog, forwardEmulatorEvents, WebhookForwarder, type DeliveryAttemptRecord, type EventSummary } from "../emulator/forwarder";
import { CliUsageError, integerOption, usageErrorsOf, type CliIo } from "./cli-io";
import { printable } from "./printable";
import { DEFAULT_EMULATOR_PORT } from "./usage";

/** `cactus listen` usage, printed by `cactus listen --help` and with usage errors. */
export const LISTEN_USAGE = `  CACTUS_WEBHOOK_SECRET=whsec_... cactus listen --forward-to <endpoint> [options]
      Runs the Cactus API emulator and delivers every event created in it (from the dashboard,
      or by code) to <endpoint>, signed, as Cactus does: a non-2xx answer, a redirect or no
      answer within the timeout is redelivered with exponential backoff. Prints a line per
      attempt and the URL of the local dashboard (events, attempts, Replay, Trigger, Fail next).
    --forward-to <endpoint>   where to POST (required), e.g. http://localhost:3000/webhooks
    --secret <whsec_...>      the endpoint secret (default: $CACTUS_WEBHOOK_SECRET); prefer the
                              variable: a flag is visible to other users in the process list
    --port <port>             emulator port (default ${DEFAULT_EMULATOR_PORT}; 0 = any free port)
    --api-key <key>           emulator API key (default: $CACTUS_API_KEY, else sk_test_emulator)
    --max-attempts <n>        automatic attempts per event (default 5)
    --backoff-ms <ms>         delay before the first retry, doubled each time (default 1000)
    --timeout-ms <ms>         how long to wait for an answer (default 15000)
    --concurrency <n>         deliveries sent at once; the others wait their turn (default ${DEFAULT_FORWARDER_CONCURRENCY})
    --max-events <n>          events the dashboard keeps (default 10000; fewer when their
                              attempts pass 64 MiB: the oldest go first)
    --redis <url>             also show a CactusQueue's dead letters in the dashboard, with Replay
                              (needs the packages bullmq and ioredis), e.g. redis://127.0.0.1:6379
    --queue <name>            that queue's name (default cactus-events)
    --prefix <prefix>         its BullMQ key prefix (default {cactus})
    --redis-cluster <nodes>   the queue is on a Redis Cluster: its startup nodes, host:port,host:port
    --shards <n>              the queue's shards option (default 1)`;

/**
 * `cactus listen --forward-to <url> --secret <whsec_...>`: serves the emulator and its dashboard
 * on 127.0.0.1 and forwards every new event until `io.signal` aborts (Ctrl-C). Resolves with 0.
 *
 * @example
 * ```ts
 * const status = await listenCommand(["--forward-to", "http://localhost:3000/webhooks", "--secret", secret], io);
 * ```
 */
export async function listenCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = usageErrorsOf(() => parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      "forward-to": { type: "string" },
      secret: { type: "string" },
      port: { type: "string" },
      "api-key": { type: "string" },
      "max-attempts": { type: "string" },
      "backoff-ms": { type: "string" },
      "timeout-ms": { type: "string" },
      concurrency: { type: "string" },
      "max-events": { type: "string" },
      redis: { type: "string" },
      queue: { type: "string" },
      prefix: { type: "string" },
      "redis-cluster": { type: "string" },
      shards: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
  if (values.help) {
    io.out(LISTEN_USAGE);
    return 0;
  }
  // Not echoed: a misplaced argument is often the secret itself.
  if (positionals.length > 0) throw new CliUsageError(`cactus listen takes no positional arguments, got ${positionals.length} (not shown: it may be a secret; pass the secret as CACTUS_WEBHOOK_SECRET)`);
  const url = values["forward-to"];
  if (url === undefined) throw new CliUsageError("cactus listen needs --forward-to <endpoint>, e.g. --forward-to http://localhost:3000/webhooks");
  checkUrl(url);
  const secret = values.secret ?? process.env.CACTUS_WEBHOOK_SECRET;
  if (secret === undefined) throw new CliUsageError("cactus listen needs --secret <whsec_...> (or CACTUS_WEBHOOK_SECRET), the secret your endpoint verifies with");
  const forwarder = new WebhookForwarder({
    url,
    secret,
    maxAttempts: integerOption("max-attempts", values["max-attempts"], 5, 1),
    backoffMs: integerOption("backoff-ms", values["backoff-ms"], 1000, 1),
    timeoutMs: integerOption("timeout-ms", values["timeout-ms"], 15_000, 1),
    concurrency: integerOption("concurrency", values.concurrency, DEFAULT_FORWARDER_CONCURRENCY, 1),
    log: new DeliveryLog({ maxEvents: integerOption("max-events", values["max-events"], 10_000, 1) }),
    onAttempt: (event, attempt) => io.out(describeAttempt(event, attempt)),
  });
  const queueGiven = values.redis !== undefined || values["redis-cluster"] !== undefined;
  if (!queueGiven && (values.queue !== undefined || values.prefix !== undefined || values.shards !== undefined)) throw new CliUsageError("--queue, --prefix and --shards go with --redis <url> or --redis-cluster <nodes>");
  const port = integerOption("port", values.port, DEFAULT_EMULATOR_PORT, 0);
  const deadLetters: QueueDeadLetters | undefined = !queueGiven
    ? undefined
    : await openQueueDeadLetters({ redis: values.redis, redisCluster: values["redis-cluster"], shards: integerOption("shards", values.shards, 1, 1), ...(values.queue === undefined ? {} : { queue: values.queue }), ...(values.prefix === undefined ? {} : { prefix: values.prefix }) });
  const emulator = await CactusEmulator.start({ port, apiKey: values["api-key"] ?? process.env.CACTUS_API_KEY ?? DEFAULT_EMULATOR_API_KEY }).catch((cause: unknown) => {
    void deadLetters?.close();
    throw new CactusError("emulator_listen_failed", `cactus listen could not start the emulator on 127.0.0.1:${port}; pick another --port (0 = any free port)`, { cause });
  });
  const stopForwarding = forwardEmulatorEvents(emulator, forwarder);
  const dashboard = attachDashboard(emulator, { forwarder, ...(deadLetters === undefined ? {} : { routes: deadLetterRoutes(deadLetters.source) }) });
  io.out(`Cactus API emulator listening on ${emulator.url}`);
  io.out(`  in your app: CACTUS_API_BASE_URL=${emulator.url}`);
  io.out(`Forwarding new events to ${forwarder.url} (${forwarder.concurrency} at once; ${forwarder.log.maxEvents} kept for the dashboard)`);
  io.out(`Dashboard: ${dashboard.url}`);
  if (deadLetters !== undefined) io.out(`  with the dead letters of ${deadLetters.description}`);
  io.out("Press Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  stopForwarding();
  await forwarder.close();
  await emulator.close();
  await deadLetters?.close();
  io.out("listen stopped");
  return 0;
}

/** One line per attempt: `evt_1 order.shipped -> 500 in 12 ms (attempt 1, delivery); retry at 10:00:01`. */
export function describeAttempt(event: EventSummary, attempt: DeliveryAttemptRecord): string {
  const answer = attempt.response === null ? `no answer (${printable(attempt.error ?? "network error")})` : String(attempt.response.status);
  const redirect = attempt.response !== null && attempt.response.status >= 300 && attempt.response.status < 400 ? " (redirect not followed)" : "";
  const next = attempt.nextRetryAt === null ? (attempt.succeeded || attempt.trigger === "replay" ? "" : "; no retries left") : `; retry at ${attempt.nextRetryAt}`;
  return `${printable(event.id)} ${printable(event.type)} -> ${answer}${redirect} in ${attempt.latencyMs} ms (attempt ${attempt.attempt}, ${attempt.trigger}${attempt.edited ? ", edited" : ""})${next}${attempt.detail === undefined ? "" : `; cause: ${printable(attempt.detail)}`}`;
}

function checkUrl(value: string): void {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return;
  } catch {
    // reported below
  }
  throw new CliUsageError(`--forward-to must be an http(s) URL, got ${JSON.stringify(value)}`);
}
