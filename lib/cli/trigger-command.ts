import { InvalidArgumentError, Option, type Command } from "commander";
import { DEFAULT_EMULATOR_API_KEY } from "../emulator/cactus-emulator";
import { CURRENT_API_VERSION, isKnownApiVersion, knownApiVersionsText, type CactusApiVersion } from "../events/api-versions";
import { deliverWebhook, type DeliveryAttempt, type DeliveryResult } from "../webhooks/deliver-webhook";
import type { WireThinEvent } from "../emulator/wire-types";
import { WebhookSecrets } from "../signature/secrets";
import { CliUsageError, type CliIo } from "./cli-io";
import { httpUrl, wholeNumber, type CliCommand } from "./command";
import { checkEventType } from "./event-type-check";
import { startProgress } from "./progress";
import { styleFor, type CliStyle } from "./style";
import { createInEmulator, inProcessEvents, fixtureEvents, type TriggerEvents } from "./trigger-events";
import { deliverAll, summarize, type LoadSummary } from "./trigger-load";
import { DEFAULT_EMULATOR_PORT } from "./usage";

/** The options of `cactus trigger`, as commander parses them (see the option list below). */
interface TriggerOptions {
  readonly url?: string;
  readonly secret?: string;
  readonly apiUrl?: string;
  readonly apiKey?: string;
  readonly emulatorPort: number;
  readonly maxAttempts?: number;
  readonly backoffMs: number;
  readonly unknown?: boolean;
  readonly count: number;
  readonly concurrency: number;
  readonly json?: boolean;
  readonly apiVersion?: CactusApiVersion;
}

/** `cactus trigger <type>`: sends signed thin events to an endpoint, as Cactus does. */
export const triggerCommand: CliCommand = {
  name: "trigger",
  register(program: Command, context) {
    program
      .command("trigger")
      .summary("send a signed event to your endpoint, as Cactus does")
      .description(
        [
          "Sends a signed thin event of <type> to your endpoint and redelivers it on any answer but a 2xx (a redirect counts as a failure), with exponential backoff, printing each attempt.",
          "Without --api-url it starts a Cactus API emulator in-process on --emulator-port for the run and creates a fresh event there, so your handler's pull() works when your app's CACTUS_API_BASE_URL points at it. With --api-url and --url it sends the event a running `cactus emulator` holds for <type> from its start.",
          "--count sends many events (a load test) and prints a summary: sent, 2xx, failed, p50/p99 latency.",
          "With --api-url and no --url it only creates fresh events of <type> in that running emulator; a `cactus listen` on it delivers them to your endpoint, signed, and shows them on its dashboard.",
        ].join("\n\n"),
      )
      .argument("<type>", "event type, e.g. order.shipped")
      .option("--url <endpoint>", "where to POST (http or https); without it, --api-url creates the event in that emulator", httpUrl)
      .addOption(new Option("--secret <whsec_...>", "the endpoint's signing secret").env("CACTUS_WEBHOOK_SECRET"))
      .option("--unknown", "allow a type this SDK does not know (receivers hand it to onOther)")
      .option("--api-url <url>", `a running emulator, e.g. http://127.0.0.1:${DEFAULT_EMULATOR_PORT}`, httpUrl)
      .addOption(new Option("--api-key <key>", `the emulator's API key (default ${DEFAULT_EMULATOR_API_KEY})`).env("CACTUS_API_KEY"))
      .option("--emulator-port <port>", "port of the in-process emulator (0 = any free port)", wholeNumber(0), DEFAULT_EMULATOR_PORT)
      .option("--max-attempts <n>", "attempts per event in all (default 5; 1 with --count)", wholeNumber(1))
      .option("--backoff-ms <ms>", "the first redelivery delay, doubled each time", wholeNumber(1), 1000)
      .option("--count <n>", "events to send", wholeNumber(1), 1)
      .option("--concurrency <c>", "deliveries in flight at once with --count", wholeNumber(1), 10)
      .option("--api-version <version>", `create the event in this API version, its data in that shape (${knownApiVersionsText()}; default ${CURRENT_API_VERSION})`, apiVersionArgument)
      .option("--json", "print one JSON object instead of text")
      .addHelpText("after", "\nExit status: 0 every event delivered, 1 not delivered or failed, 2 usage error.")
      .action((type: string, options: TriggerOptions) => context.run(() => trigger(type, options, context.io)));
  },
};

async function trigger(type: string, options: TriggerOptions, io: CliIo): Promise<number> {
  checkEventType(type, options.unknown === true);
  const url = options.url;
  if (url === undefined) {
    if (options.apiUrl === undefined) {
      throw new CliUsageError("cactus trigger needs --url <endpoint>, or --api-url <emulator> to create the event in a running emulator (a `cactus listen` on it delivers it)");
    }
    const created = await createInEmulator(type, options.count, options.apiUrl, options.apiKey ?? DEFAULT_EMULATOR_API_KEY, options.apiVersion);
    if (options.json === true) io.out(JSON.stringify({ created, api_url: options.apiUrl }));
    else for (const event of created) io.out(`created ${event.type} ${event.id} in ${options.apiUrl}; a \`cactus listen\` on it delivers it`);
    return 0;
  }
  if (options.secret === undefined) {
    throw new CliUsageError("cactus trigger needs --secret <whsec_...> (or CACTUS_WEBHOOK_SECRET); `cactus secret` prints a new one");
  }
  const secret = WebhookSecrets.parse(options.secret); // malformed: CactusSignatureError, which never echoes it
  const apiKey = options.apiKey ?? DEFAULT_EMULATOR_API_KEY;
  const events = options.apiUrl === undefined
    ? await inProcessEvents(type, options.count, apiKey, options.emulatorPort, options.apiVersion)
    : options.apiVersion === undefined
      ? await fixtureEvents(type, options.count, options.apiUrl, apiKey)
      : await createdEvents(type, options.count, options.apiUrl, apiKey, options.apiVersion);
  try {
    const note = options.json === true ? () => undefined : (line: string) => io.out(line);
    if (events.startedEmulator) {
      note(`started the Cactus API emulator at ${events.apiUrl} for this run (set CACTUS_API_BASE_URL=${events.apiUrl} in your app so pull() reaches it)`);
    } else {
      note(`using event ${events.events[0]?.id ?? ""}, served by ${events.apiUrl}`);
    }
    const send = (event: WireThinEvent, onAttempt?: (attempt: DeliveryAttempt) => void): Promise<DeliveryResult> =>
      deliverWebhook({
        url,
        id: event.id,
        body: JSON.stringify(event),
        webhookSecret: secret,
        maxAttempts: options.maxAttempts ?? (options.count > 1 ? 1 : 5),
        backoffMs: options.backoffMs,
        ...(onAttempt ? { onAttempt } : {}),
      });
    return options.count === 1 ? await triggerOne(events, send, options, io) : await triggerMany(events, send, options, io);
  } finally {
    await events.close();
  }
}

// `--api-url` and `--url` with `--api-version`: the running emulator's fixture is today's shape, so
// one event is created there in the version asked for, and sent `count` times.
async function createdEvents(type: string, count: number, apiUrl: string, apiKey: string, apiVersion: CactusApiVersion): Promise<TriggerEvents> {
  const [thin] = await createInEmulator(type, 1, apiUrl, apiKey, apiVersion);
  const events = thin === undefined ? [] : Array.from({ length: count }, () => thin);
  return { events, apiUrl, startedEmulator: false, close: async () => undefined };
}

function apiVersionArgument(value: string): CactusApiVersion {
  if (isKnownApiVersion(value)) return value;
  throw new InvalidArgumentError(`must be one of ${knownApiVersionsText()}`);
}

async function triggerOne(
  events: TriggerEvents,
  send: (event: WireThinEvent, onAttempt?: (attempt: DeliveryAttempt) => void) => Promise<DeliveryResult>,
  options: TriggerOptions,
  io: CliIo,
): Promise<number> {
  const event = events.events[0];
  if (event === undefined) return 1;
  const style = styleFor(io);
  if (options.json !== true) {
    io.out(`delivering ${event.type} ${event.id} to ${options.url}`);
    io.out(style.dim(`  ${JSON.stringify(event)}`));
  }
  const result = await send(event, options.json === true ? undefined : (attempt) => io.out(describeAttempt(attempt, style)));
  if (options.json === true) {
    io.out(JSON.stringify({ event, url: options.url, delivered: result.delivered, attempts: result.attempts.map(attemptJson) }));
  } else {
    io.out(result.delivered
      ? style.ok(`delivered after ${result.attempts.length} attempt(s)`)
      : style.bad(`not delivered after ${result.attempts.length} attempt(s); Cactus would keep retrying for days`));
  }
  return result.delivered ? 0 : 1;
}

async function triggerMany(
  events: TriggerEvents,
  send: (event: WireThinEvent) => Promise<DeliveryResult>,
  options: TriggerOptions,
  io: CliIo,
): Promise<number> {
  if (options.json !== true) io.out(`sending ${events.events.length} ${events.events[0]?.type ?? ""} events to ${options.url}, ${options.concurrency} at a time`);
  const progress = startProgress(options.json === true ? { out: io.out, err: io.err } : io, events.events.length);
  let results: DeliveryResult[];
  try {
    results = await deliverAll(events.events, send, { concurrency: options.concurrency, onResult: (result) => progress.tick(result.delivered), signal: io.signal });
  } finally {
    progress.stop();
  }
  const summary = summarize(results);
  if (options.json === true) io.out(JSON.stringify(summaryJson(summary)));
  else for (const line of describeSummary(summary, io)) io.out(line);
  return summary.sent === events.events.length && summary.failed === 0 ? 0 : 1;
}

function describeAttempt({ attempt, status, detail, nextDelayMs }: DeliveryAttempt, style: CliStyle): string {
  const answer = status === undefined ? `no answer (${detail ?? "network error"})` : `${status}${detail === undefined ? "" : ` ${detail}`}`;
  const painted = status !== undefined && status >= 200 && status < 300 ? style.ok(answer) : style.bad(answer);
  const next = nextDelayMs === undefined ? "" : `; next attempt in ${nextDelayMs} ms`;
  return `attempt ${attempt}: ${painted}${next}`;
}

function describeSummary(summary: LoadSummary, io: CliIo): string[] {
  const style = styleFor(io);
  const latency = summary.latencyMs === undefined ? "no attempts" : `p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms (${summary.attempts} attempts)`;
  return [
    `sent:    ${summary.sent}`,
    `2xx:     ${style.ok(String(summary.delivered))}`,
    `failed:  ${summary.failed === 0 ? "0" : style.bad(String(summary.failed))}`,
    `latency: ${latency}`,
  ];
}

function attemptJson(attempt: DeliveryAttempt): Record<string, unknown> {
  return {
    attempt: attempt.attempt,
    status: attempt.status ?? null,
    detail: attempt.detail ?? null,
    next_delay_ms: attempt.nextDelayMs ?? null,
    duration_ms: Math.round(attempt.durationMs * 10) / 10,
  };
}

function summaryJson(summary: LoadSummary): Record<string, unknown> {
  return { sent: summary.sent, delivered: summary.delivered, failed: summary.failed, attempts: summary.attempts, latency_ms: summary.latencyMs ?? null };
}
