import { isAbsolute, resolve } from "node:path";
import type { Command } from "commander";
import { CliUsageError, describeThrown } from "../errors";
import { isKnownEventType } from "../events/catalog";
import { receiverSettings } from "../pipeline/receiver-options";
import type { CatchUpSummary, PostgresEventStore, ReplaySummary, RunProgress } from "../postgres";
import type { WebhookReceiver } from "../delivery/types";
import type { CliContext, CliCommand } from "./command";
import type { CliIo } from "./cli-io";
import { closestKnownType } from "./event-type-check";
import { databaseUrlOf, loadPostgres } from "./database-url";

interface StoreOptions {
  readonly databaseUrl?: string;
  readonly schema?: string;
  readonly receiver?: string;
  readonly concurrency?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

interface ReplayCliOptions extends StoreOptions {
  readonly since?: string;
  readonly until?: string;
  readonly type?: string;
  readonly status?: string;
  readonly objectId?: string;
  readonly event?: string;
  readonly resume?: string;
  readonly unknown?: boolean;
}

interface CatchUpCliOptions extends StoreOptions {
  readonly since?: string;
  readonly apiUrl?: string;
  readonly apiKey?: string;
}

const EXIT_HELP = "\nExit status: 0 every event ran and succeeded (or a dry run), 1 some failed or the run stopped (the database or API went away), 2 usage.";
const RECEIVER_HELP = "a module (.js, CommonJS) whose default export is your receiver: a CactusHandler subclass instance, a CactusRouter or a CactusQueue";

/** `cactus replay`: runs stored events again through your receiver (`store.replay`). */
export const replayCommand: CliCommand = {
  name: "replay",
  register(program: Command, context: CliContext) {
    program
      .command("replay")
      .summary("run stored events again through your receiver, in created order (needs pg)")
      .description("Runs the events the event store recorded again through your receiver (store.replay): in created order, the events of one object one after the other, each a new attempt with source replay.")
      .requiredOption("--receiver <module>", RECEIVER_HELP)
      .option("--database-url <url>", "postgres://... (default: the receiver's own event store, else DATABASE_URL)")
      .option("--schema <name>", "the schema of the event store's tables", "cactus")
      .option("--since <time>", "only events created at or after: ISO 8601 (2026-12-06T10:00:00Z) or an age (30m, 2h, 1d)")
      .option("--until <time>", "only events created before (same forms)")
      .option("--type <type>", "only this event type")
      .option("--unknown", "allow a --type this SDK does not know")
      .option("--status <status>", "only events whose last attempt ended so: failed, handled, stale")
      .option("--object-id <id>", "only the events of this related object, e.g. ord_456")
      .option("--event <id>", "only this event")
      .option("--concurrency <n>", "events at once (one object's events always one after the other)", "1")
      .option("--resume <position>", "go on after the position an interrupted replay printed")
      .option("--dry-run", "list what would run; run nothing")
      .option("--json", "print one JSON object instead of text")
      .addHelpText("after", EXIT_HELP)
      .action((options: ReplayCliOptions) => context.run(() => replay(options, context.io)));
  },
};

/** `cactus catch-up`: runs what the API created since a time and the store never received (`store.catchUp`). */
export const catchUpCommand: CliCommand = {
  name: "catch-up",
  register(program: Command, context: CliContext) {
    program
      .command("catch-up")
      .summary("run what the Cactus API created since a time and the event store never received (needs pg)")
      .description("Lists the events the Cactus API created since --since (every page) and runs, oldest first, those the event store never received (store.catchUp); safe to interrupt and run again.")
      .requiredOption("--receiver <module>", RECEIVER_HELP)
      .requiredOption("--since <time>", "ISO 8601 (2026-12-06T10:00:00Z) or an age (30m, 2h, 1d)")
      .option("--database-url <url>", "postgres://... (default: the receiver's own event store, else DATABASE_URL)")
      .option("--schema <name>", "the schema of the event store's tables", "cactus")
      .option("--api-url <url>", "the Cactus API to list from (default: the receiver's client)")
      .option("--api-key <key>", "its API key (default: CACTUS_API_KEY)")
      .option("--concurrency <n>", "events at once (one object's events always one after the other)", "1")
      .option("--dry-run", "list what would run; run nothing")
      .option("--json", "print one JSON object instead of text")
      .addHelpText("after", EXIT_HELP)
      .action((options: CatchUpCliOptions) => context.run(() => catchUp(options, context.io)));
  },
};

async function replay(options: ReplayCliOptions, io: CliIo): Promise<number> {
  const since = timeOption("since", options.since);
  const until = timeOption("until", options.until);
  if (since !== undefined && until !== undefined && since >= until) throw new CliUsageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
  if (options.type !== undefined && !isKnownEventType(options.type) && options.unknown !== true) {
    const suggestion = closestKnownType(options.type);
    throw new CliUsageError(
      suggestion === undefined
        ? `${JSON.stringify(options.type)} is not an event type this SDK knows; pass --unknown to replay it anyway`
        : `unknown event type ${JSON.stringify(options.type)}: did you mean ${suggestion}? (pass --unknown to replay it as it is)`,
    );
  }
  const status = options.status;
  if (status !== undefined && status !== "failed" && status !== "handled" && status !== "stale" && status !== "processing") {
    throw new CliUsageError(`--status must be failed, handled, stale or processing, got ${JSON.stringify(status)}`);
  }
  if (options.resume !== undefined && !/^-?[0-9]+:[0-9]{1,19}$/.test(options.resume)) throw new CliUsageError("--resume must be the position an interrupted replay printed (e.g. 1796500000000000:42)");
  const concurrency = concurrencyOption(options.concurrency);
  return withStore(options, async (store, receiver) => {
    if (options.event !== undefined && (await store.get(options.event)) === undefined) {
      throw new CliUsageError(`the event store (schema "${store.schema}") has no event ${JSON.stringify(options.event.slice(0, 100))}: nothing to replay`);
    }
    const bar = progressBar(io, options.json === true || options.dryRun === true);
    let summary: ReplaySummary;
    try {
      summary = await store.replay(receiver, {
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(options.type === undefined ? {} : { type: options.type }),
        ...(status === undefined ? {} : { status }),
        ...(options.objectId === undefined ? {} : { objectId: options.objectId }),
        ...(options.event === undefined ? {} : { eventId: options.event }),
        ...(options.resume === undefined ? {} : { after: options.resume }),
        dryRun: options.dryRun === true,
        concurrency,
        onProgress: bar.tick,
      });
    } finally {
      bar.stop();
    }
    if (options.json === true) io.out(JSON.stringify(summary));
    else if (summary.dryRun) {
      io.out(`${summary.matched} event${summary.matched === 1 ? "" : "s"} would run, in this order:`);
      for (const event of summary.events) io.out(`  ${event.at.toISOString()}  ${event.eventId}  ${event.type}${event.objectId === undefined ? "" : `  ${event.objectId}`}`);
    } else {
      io.out(`replayed ${summary.ran} of ${summary.matched} events: ${summary.succeeded} succeeded, ${summary.failed} failed`);
      for (const failure of summary.failures) io.out(`  failed ${failure.eventId}: ${failure.message}`);
    }
    return summary.failed > 0 ? 1 : 0;
  });
}

async function catchUp(options: CatchUpCliOptions, io: CliIo): Promise<number> {
  const since = timeOption("since", options.since);
  if (since === undefined) throw new CliUsageError("cactus catch-up needs --since <time>");
  if (since.getTime() > Date.now()) throw new CliUsageError(`--since (${since.toISOString()}) is in the future`);
  const concurrency = concurrencyOption(options.concurrency);
  return withStore(options, async (store, receiver) => {
    const client = await apiClient(options);
    const bar = progressBar(io, options.json === true || options.dryRun === true);
    let summary: CatchUpSummary;
    try {
      summary = await store.catchUp(receiver, { since, dryRun: options.dryRun === true, concurrency, onProgress: bar.tick, ...(client === undefined ? {} : { client }) });
    } finally {
      bar.stop();
    }
    if (options.json === true) io.out(JSON.stringify(summary));
    else if (summary.dryRun) {
      io.out(`${summary.listed} listed since ${since.toISOString()}, ${summary.skipped} received already; ${summary.events.length} would run, oldest first:`);
      for (const event of summary.events) io.out(`  ${event.at.toISOString()}  ${event.eventId}  ${event.type}${event.objectId === undefined ? "" : `  ${event.objectId}`}`);
    } else {
      io.out(`caught up: ${summary.listed} listed since ${since.toISOString()}, ${summary.skipped} received already, ${summary.ran} ran: ${summary.succeeded} succeeded, ${summary.failed} failed`);
      for (const failure of summary.failures) io.out(`  failed ${failure.eventId}: ${failure.message}`);
    }
    return summary.failed > 0 ? 1 : 0;
  });
}

const DURATION = /^([0-9]{1,9})(s|m|h|d)$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `--since`/`--until`: ISO 8601 (a date, or a time with a zone) or an age (`30m`, `2h`, `1d`). */
export function timeOption(name: string, value: string | undefined, now = Date.now()): Date | undefined {
  if (value === undefined) return undefined;
  const age = DURATION.exec(value);
  if (age !== null) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as "s" | "m" | "h" | "d"];
    return new Date(now - Number(age[1]) * unit);
  }
  const ms = ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new CliUsageError(`--${name} must be an ISO 8601 time with a zone (2026-12-06T10:00:00Z) or an age (30m, 2h, 1d), got ${JSON.stringify(value.slice(0, 60))}`);
  return new Date(ms);
}

function concurrencyOption(value: string | undefined): number {
  const parsed = Number(value ?? "1");
  if (!/^[0-9]+$/.test(value ?? "1") || parsed < 1 || parsed > 256) throw new CliUsageError(`--concurrency must be a whole number from 1 to 256, got ${JSON.stringify(value)}`);
  return parsed;
}

// Loads the receiver, opens the store (the receiver's own event store, else one on --database-url), runs `work`, closes what it opened.
async function withStore(options: StoreOptions, work: (store: PostgresEventStore, receiver: WebhookReceiver) => Promise<number>): Promise<number> {
  const receiver = await loadReceiver(options.receiver);
  const { PostgresEventStore: Store, Pool } = await loadPostgres("cactus replay and cactus catch-up");
  const own = receiverSettings(receiver)?.idempotency;
  let pool: { end(): Promise<void> } | undefined;
  let store: PostgresEventStore;
  if (own instanceof Store && options.databaseUrl === undefined) {
    store = own;
  } else {
    const url = databaseUrlOf(options.databaseUrl, "pass --database-url <url> (or set DATABASE_URL): the receiver has no event store of its own");
    const opened = new Pool({ connectionString: url, connectionTimeoutMillis: 10_000, max: 10 });
    opened.on("error", () => undefined);
    pool = opened;
    store = new Store({ db: opened, schema: options.schema ?? "cactus", ...(own instanceof Store ? { transactional: own.transactional } : {}) });
  }
  try {
    return await work(store, receiver);
  } finally {
    await pool?.end().catch(() => undefined);
    const close: unknown = Reflect.get(receiver, "close");
    // A queue receiver holds a Redis connection: closed, so the command can exit.
    if (typeof close === "function" && receiver.constructor.name === "CactusQueue") await Promise.resolve(Reflect.apply(close, receiver, [])).catch(() => undefined);
  }
}

/** Loads `--receiver <module>` and checks its default export, naming what it found otherwise. */
export async function loadReceiver(path: string | undefined): Promise<WebhookReceiver> {
  if (path === undefined || path === "") throw new CliUsageError("pass --receiver <module>: " + RECEIVER_HELP);
  const absolute = isAbsolute(path) ? path : resolve(process.cwd(), path);
  let loaded: unknown;
  try {
    loaded = await import(absolute);
  } catch (cause) {
    throw new CliUsageError(`--receiver ${JSON.stringify(path)} could not be loaded: ${describeThrown(cause).slice(0, 300)}`);
  }
  const exported: unknown = typeof loaded === "object" && loaded !== null && "default" in loaded ? Reflect.get(loaded, "default") : loaded;
  if (isReceiver(exported)) return exported;
  throw new CliUsageError(`the default export of --receiver ${JSON.stringify(path)} is not a receiver: found ${describeExport(exported)}. Export an instance: export default new MyHandler(client, { idempotency: store }) (a CactusHandler subclass, a CactusRouter or a CactusQueue)`);
}

function isReceiver(value: unknown): value is WebhookReceiver {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "receive") === "function";
}

function describeExport(value: unknown): string {
  if (value === undefined) return "nothing (no default export)";
  if (typeof value === "function") return /^class\b/.test(Function.prototype.toString.call(value)) ? `the class ${value.name || "(anonymous)"} (not an instance of it)` : `a function ${value.name || "(anonymous)"}`;
  if (typeof value === "object" && value !== null) {
    const name = value.constructor?.name;
    return `an object${name !== undefined && name !== "Object" ? ` of class ${name}` : ""} without receive(body, context)`;
  }
  return `a ${typeof value}`;
}

async function apiClient(options: CatchUpCliOptions): Promise<import("../client/cactus-client").CactusClient | undefined> {
  if (options.apiUrl === undefined) return undefined;
  const apiKey = options.apiKey ?? process.env["CACTUS_API_KEY"];
  if (apiKey === undefined || apiKey === "") throw new CliUsageError("--api-url needs --api-key <key> (or CACTUS_API_KEY)");
  const { CactusClient } = await import("../client/cactus-client");
  return new CactusClient({ apiKey, baseUrl: options.apiUrl });
}

function progressBar(io: CliIo, quiet: boolean): { readonly tick: (progress: RunProgress) => void; stop(): void } {
  const stream = io.progressStream;
  if (stream === undefined || quiet) return { tick: () => undefined, stop: () => undefined };
  let bar: { start(total: number, value: number, payload: object): void; update(value: number, payload: object): void; stop(): void } | undefined;
  let loading: Promise<void> | undefined;
  return {
    tick: (progress) => {
      loading ??= import("cli-progress").then(({ SingleBar, Presets }) => {
        const made = new SingleBar({ stream, format: "{bar} {value}/{total} ran | {ok} ok | {failed} failed", hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
        made.start(progress.total, 0, { ok: 0, failed: 0 });
        bar = made;
      });
      void loading.then(() => bar?.update(progress.done, { ok: progress.succeeded, failed: progress.failed }));
    },
    stop: () => bar?.stop(),
  };
}

