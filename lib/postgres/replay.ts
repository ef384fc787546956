import type { IdempotencyStore } from "../delivery/idempotency-store";
import type { WebhookReceiver } from "../delivery/types";
import { CactusArgumentError, CactusConfigError, CactusError, CactusEventInProgressError, CactusEventStoreUnavailableError, CactusHandlerError, describeThrown } from "../errors";
import { isKnownEventType, type PushedThinEvent } from "../events/catalog";

/** One stored event as a replay reads it. */
export interface ReplayRow {
  /** The event id. */
  readonly eventId: string;
  /** Its type. */
  readonly type: string;
  /** `type:id` of its related object, when it has one. */
  readonly objectKey: string | undefined;
  /** Its wire JSON. */
  readonly body: string;
  /** Its place in the store's order: `created`, else time of receipt (epoch ms). */
  readonly atMs: number;
  /** The cursor of this position, `<atMs>:<seq>`. */
  readonly cursor: string;
}

/** What every replay and catch-up reports while it runs. */
export interface RunProgress {
  /** How many events it will run in all. */
  readonly total: number;
  /** How many have finished (either way). */
  readonly done: number;
  /** How many succeeded. */
  readonly succeeded: number;
  /** How many failed. */
  readonly failed: number;
  /** The event that just finished. */
  readonly eventId: string;
  /** Its type. */
  readonly type: string;
  /** How it ended: the receiver's outcome (`handled`, `queued`, `duplicate`, `stale`) or `failed`. */
  readonly outcome: string;
}

/** Filters and settings of `store.replay(receiver, options)`. */
export interface ReplayOptions {
  /** Only events created (else received) at or after this time. */
  readonly since?: Date;
  /** Only events created (else received) before this time. */
  readonly until?: Date;
  /** Only this event type. */
  readonly type?: string;
  /** Only events whose last attempt ended so (`failed`: the ones a bug fix is for). */
  readonly status?: "handled" | "failed" | "stale" | "processing";
  /** Only the events of this related object (its id, e.g. `ord_456`). */
  readonly objectId?: string;
  /** Only this one event; a store that never saw it is an error. */
  readonly eventId?: string;
  /** List what would run, run nothing. */
  readonly dryRun?: boolean;
  /** How many events run at once (events of one object always run one after the other, oldest first). Default 1. */
  readonly concurrency?: number;
  /** Called after each event. */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Resume after this position: the `resumeAfter` of an interrupted replay. */
  readonly after?: string;
}

/** One event a dry run would run (or a real run ran). */
export interface PlannedEvent {
  /** The event id. */
  readonly eventId: string;
  /** Its type. */
  readonly type: string;
  /** Its related object's id, when it has one. */
  readonly objectId: string | undefined;
  /** Its `created` (else receipt) time. */
  readonly at: Date;
}

/** A failure of one event during a replay or catch-up. */
export interface RunFailure {
  /** The event id. */
  readonly eventId: string;
  /** What the handler (or the receiver) failed with. */
  readonly message: string;
}

/** What a replay or a catch-up ran, and how it went. */
export interface RunOutcome {
  /** How many ran (0 for a dry run). */
  readonly ran: number;
  /** How many succeeded (a queue receiver: were queued). */
  readonly succeeded: number;
  /** How many failed. */
  readonly failed: number;
  /** The events that failed, with their message (at most 100). */
  readonly failures: readonly RunFailure[];
  /** What would run (a dry run) or ran, in the order it runs (at most 10,000). */
  readonly events: readonly PlannedEvent[];
  /** `true` for a dry run. */
  readonly dryRun: boolean;
}

/** What a replay did. */
export interface ReplaySummary extends RunOutcome {
  /** How many events matched. */
  readonly matched: number;
}

/** The store's side of a replay: pages of its events, in `created` order. */
export interface ReplaySource {
  /** Up to `limit` events matching `options` after `cursor`, oldest first. */
  page(options: ReplayOptions, cursor: string | undefined, limit: number): Promise<ReplayRow[]>;
  /** Whether the store has event `id`. */
  has(id: string): Promise<boolean>;
  /** The store the receiver must run the replays through. */
  readonly store: IdempotencyStore;
}

/**
 * A replay or catch-up stopped because the event store (or the API) went away: nothing after the
 * position `resumeAfter` is known to have run. Pass it as `after` (`--resume` on the command line)
 * to go on where it stopped; events after it that did run then run once more (at least once).
 */
export class CactusRunInterruptedError extends CactusEventStoreUnavailableError {
  /** What had run when it stopped. */
  readonly summary: { readonly ran: number; readonly succeeded: number; readonly failed: number; readonly total: number };
  /** The position to resume after (`undefined`: nothing finished, start again). */
  readonly resumeAfter: string | undefined;

  /** @param what `replay` or `catch-up`; @param summary how far it got; @param resumeAfter where to resume; @param cause what failed */
  constructor(what: string, summary: CactusRunInterruptedError["summary"], resumeAfter: string | undefined, cause: unknown) {
    super(
      `The ${what} stopped after ${summary.ran} of ${summary.total} events (${summary.succeeded} succeeded, ${summary.failed} failed): ${describeThrown(cause)}` +
        (resumeAfter === undefined ? "; run it again to start over" : `; run it again with after: "${resumeAfter}" (--resume ${resumeAfter}) to go on`),
      { cause },
    );
    this.summary = summary;
    this.resumeAfter = resumeAfter;
  }
}

/** Checks the filters of a replay; a bad one throws {@link CactusArgumentError}. */
export function checkReplayOptions(options: ReplayOptions): void {
  if (typeof options !== "object" || options === null) throw new CactusArgumentError("options", "replay options must be an object");
  const since = checkDate("since", options.since);
  const until = checkDate("until", options.until);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new CactusArgumentError("since", `since (${new Date(since).toISOString()}) must be before until (${new Date(until).toISOString()})`);
  }
  if (options.type !== undefined && (typeof options.type !== "string" || options.type === "")) throw new CactusArgumentError("type", "type must be a non-empty event type");
  if (options.status !== undefined && !["handled", "failed", "stale", "processing"].includes(options.status)) {
    throw new CactusArgumentError("status", `status must be handled, failed, stale or processing, got ${JSON.stringify(options.status)}`);
  }
  if (options.after !== undefined && !/^-?[0-9.]+:[0-9]{1,19}$/.test(options.after)) throw new CactusArgumentError("after", "after must be the resumeAfter of an interrupted replay");
  concurrencyOf(options.concurrency);
}

function checkDate(name: string, value: Date | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new CactusArgumentError(name, `${name} must be a valid Date`);
  return ms;
}

function concurrencyOf(value: number | undefined): number {
  const concurrency = value ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new CactusArgumentError("concurrency", `concurrency must be an integer from 1 to 256, got ${String(value)}`);
  return concurrency;
}

/** Whether `receiver` can take events: a `CactusHandler` subclass, a `CactusRouter` or a `CactusQueue`. */
export function checkReceiver(receiver: unknown, what: string): WebhookReceiver {
  if (typeof receiver === "object" && receiver !== null && typeof Reflect.get(receiver, "receive") === "function") {
    const receive: unknown = Reflect.get(receiver, "receive");
    if (typeof receive === "function") return { receive: (body, context) => Reflect.apply(receive, receiver, [body, context]) };
  }
  throw new CactusConfigError(`${what} needs a receiver: a CactusHandler subclass instance, a CactusRouter or a CactusQueue (got ${describeThrown(receiver)})`);
}

const PAGE = 500;
const MAX_LISTED = 10_000;
const MAX_FAILURES = 100;

/** One event to run. */
export interface RunItem {
  readonly eventId: string;
  readonly type: string;
  readonly objectKey: string | undefined;
  readonly body: string;
  readonly cursor: string | undefined;
}

/** What {@link runInOrder} did. */
export interface RunTally {
  ran: number;
  succeeded: number;
  failed: number;
  readonly failures: RunFailure[];
}

/**
 * Runs `items` through `receiver` in their order: at most `concurrency` at once, the events of one
 * object one after the other. An event held by another delivery is tried again (up to a minute).
 * A store or API failure stops it: what runs finishes, nothing new starts, and it rejects with
 * {@link CactusRunInterruptedError}.
 */
export async function runInOrder(
  what: string,
  items: AsyncIterable<RunItem>,
  total: number,
  receiver: WebhookReceiver,
  context: { readonly source: "replay" | "catch_up"; readonly idempotency: IdempotencyStore },
  concurrency: number,
  onProgress: ((progress: RunProgress) => void) | undefined,
  tally: RunTally,
): Promise<void> {
  const tails = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  let stop: { readonly error: unknown } | undefined;
  // The resume position: every event up to it has finished.
  const finished: boolean[] = [];
  const cursors: (string | undefined)[] = [];
  let contiguous = -1;
  let index = 0;
  const one = async (item: RunItem, at: number): Promise<void> => {
    let outcome = "failed";
    try {
      const result = await receiveWithRetry(receiver, item.body, context);
      outcome = result;
      tally.succeeded += 1;
    } catch (error) {
      if (error instanceof CactusHandlerError && !(error instanceof CactusEventInProgressError)) {
        tally.failed += 1;
        if (tally.failures.length < MAX_FAILURES) tally.failures.push({ eventId: item.eventId, message: describeThrown(error.cause ?? error).slice(0, 500) });
      } else {
        stop ??= { error };
        return;
      }
    }
    tally.ran += 1;
    finished[at] = true;
    while (finished[contiguous + 1] === true) contiguous += 1;
    onProgress?.({ total, done: tally.ran, succeeded: tally.succeeded, failed: tally.failed, eventId: item.eventId, type: item.type, outcome });
  };
  try {
    for await (const item of items) {
      if (stop !== undefined) break;
      while (running.size >= concurrency) await Promise.race(running);
      if (stop !== undefined) break;
      const at = index++;
      cursors[at] = item.cursor;
      const before = item.objectKey === undefined ? undefined : tails.get(item.objectKey);
      const task: Promise<void> = (async () => {
        if (before !== undefined) await before;
        if (stop !== undefined) return;
        await one(item, at);
      })();
      const tracked = task.finally(() => running.delete(tracked));
      running.add(tracked);
      if (item.objectKey !== undefined) {
        tails.set(item.objectKey, tracked);
        void tracked.finally(() => {
          if (tails.get(item.objectKey ?? "") === tracked) tails.delete(item.objectKey ?? "");
        });
      }
    }
  } catch (error) {
    stop ??= { error };
  }
  await Promise.all(running);
  if (stop !== undefined) {
    throw new CactusRunInterruptedError(what, { ran: tally.ran, succeeded: tally.succeeded, failed: tally.failed, total }, contiguous >= 0 ? cursors[contiguous] : undefined, stop.error);
  }
}

// One event through the receiver; another delivery holding it (or its object) is waited for.
async function receiveWithRetry(receiver: WebhookReceiver, body: string, context: { readonly source: "replay" | "catch_up"; readonly idempotency: IdempotencyStore }): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return (await receiver.receive(body, context)).outcome;
    } catch (error) {
      if (!(error instanceof CactusEventInProgressError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, error.retryAfterSeconds * 1000)));
    }
  }
}

/** `store.replay(receiver, options)`: see {@link ReplayOptions}. */
export async function replayEvents(source: ReplaySource, receiver: WebhookReceiver, options: ReplayOptions): Promise<ReplaySummary> {
  checkReplayOptions(options);
  if (options.eventId !== undefined && !(await source.has(options.eventId))) {
    throw new CactusArgumentError("eventId", `The event store has no event ${JSON.stringify(options.eventId.slice(0, 100))}: nothing to replay (check the id with store.get or cactus events)`);
  }
  // First pass: count (and, for a dry run, list) what matches.
  let matched = 0;
  const events: PlannedEvent[] = [];
  for await (const row of pages(source, options)) {
    matched += 1;
    if (options.dryRun === true && events.length < MAX_LISTED) {
      events.push({ eventId: row.eventId, type: row.type, objectId: row.objectKey?.slice(row.objectKey.indexOf(":") + 1), at: new Date(Math.round(row.atMs)) });
    }
  }
  const tally: RunTally = { ran: 0, succeeded: 0, failed: 0, failures: [] };
  if (options.dryRun !== true && matched > 0) {
    const items = (async function* (): AsyncGenerator<RunItem> {
      let left = matched;
      for await (const row of pages(source, options)) {
        if (left-- <= 0) return; // events received since the count wait for the next replay
        yield { eventId: row.eventId, type: row.type, objectKey: row.objectKey, body: row.body, cursor: row.cursor };
      }
    })();
    await runInOrder("replay", items, matched, receiver, { source: "replay", idempotency: source.store }, concurrencyOf(options.concurrency), options.onProgress, tally);
  }
  return { matched, ran: tally.ran, succeeded: tally.succeeded, failed: tally.failed, failures: tally.failures, events, dryRun: options.dryRun === true };
}

async function* pages(source: ReplaySource, options: ReplayOptions): AsyncGenerator<ReplayRow> {
  let cursor = options.after;
  for (;;) {
    const rows = await source.page(options, cursor, PAGE);
    yield* rows;
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || last === undefined) return;
    cursor = last.cursor;
  }
}

/** Options of `store.catchUp(receiver, options)`. */
export interface CatchUpOptions {
  /** Catch up on what the API created after this time. */
  readonly since: Date;
  /** The API client to list with. Default: the store's `client`, else the receiver's. */
  readonly client?: CatchUpClient;
  /** List what would run, run nothing. */
  readonly dryRun?: boolean;
  /** How many run at once (events of one object one after the other). Default 1. */
  readonly concurrency?: number;
  /** Called after each event. */
  readonly onProgress?: (progress: RunProgress) => void;
}

/** What catch-up needs of a client: `listEvents({ createdAfter })` (a `CactusClient`). */
export interface CatchUpClient {
  /** Every event created after `createdAfter`, newest first, all pages. */
  listEvents(params: { createdAfter: Date; limit?: number }): AsyncIterable<PushedThinEvent>;
}

/** What a catch-up did. */
export interface CatchUpSummary extends RunOutcome {
  /** How many events the API listed. */
  readonly listed: number;
  /** How many the store had received already (skipped). */
  readonly skipped: number;
}

/** The store's side of a catch-up. */
export interface CatchUpSource {
  /** Of `ids`, those the store has received (not only through an unfinished catch-up). */
  received(ids: readonly string[]): Promise<Set<string>>;
  /** The store to run through. */
  readonly store: IdempotencyStore;
}

/** Whether `client` can list events. */
export function isCatchUpClient(client: unknown): client is CatchUpClient {
  return typeof client === "object" && client !== null && typeof Reflect.get(client, "listEvents") === "function";
}

/** `store.catchUp(receiver, options)`: see {@link CatchUpOptions}. */
export async function catchUpEvents(source: CatchUpSource, receiver: WebhookReceiver, client: CatchUpClient, options: CatchUpOptions): Promise<CatchUpSummary> {
  const sinceMs = checkDate("since", options.since);
  if (sinceMs === undefined) throw new CactusArgumentError("since", "catchUp needs { since }: the time to catch up from, e.g. new Date(Date.now() - 2 * 3_600_000)");
  if (sinceMs > Date.now()) throw new CactusArgumentError("since", `since (${options.since.toISOString()}) is in the future`);
  const concurrency = concurrencyOf(options.concurrency);
  const listed: PushedThinEvent[] = [];
  try {
    for await (const event of client.listEvents({ createdAfter: options.since, limit: 100 })) listed.push(event);
  } catch (error) {
    if (error instanceof CactusError) throw error;
    throw new CactusConfigError(`catchUp could not list the events created since ${options.since.toISOString()}: ${describeThrown(error)}`);
  }
  // Oldest first: the API lists newest first.
  listed.reverse();
  const known = new Set<string>();
  for (let at = 0; at < listed.length; at += 1_000) {
    for (const id of await source.received(listed.slice(at, at + 1_000).map((event) => event.id))) known.add(id);
  }
  const todo = listed.filter((event) => !known.has(event.id));
  const events: PlannedEvent[] = todo.slice(0, MAX_LISTED).map((event) => ({ eventId: event.id, type: event.type, objectId: event.relatedObject?.id, at: event.created ?? new Date(sinceMs) }));
  const tally: RunTally = { ran: 0, succeeded: 0, failed: 0, failures: [] };
  if (options.dryRun !== true && todo.length > 0) {
    const items = (async function* (): AsyncGenerator<RunItem> {
      for (const event of todo) {
        const related = event.relatedObject ?? undefined;
        yield { eventId: event.id, type: event.type, objectKey: related === undefined ? undefined : `${related.type}:${related.id}`, body: JSON.stringify(event), cursor: undefined };
      }
    })();
    await runInOrder("catch-up", items, todo.length, receiver, { source: "catch_up", idempotency: source.store }, concurrency, options.onProgress, tally);
  }
  return { listed: listed.length, skipped: listed.length - todo.length, ran: tally.ran, succeeded: tally.succeeded, failed: tally.failed, failures: tally.failures, events, dryRun: options.dryRun === true };
}

/** Whether `type` is one this SDK knows (for the command line's did-you-mean). */
export function knownType(type: string): boolean {
  return isKnownEventType(type);
}
