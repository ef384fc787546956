import { randomUUID } from "node:crypto";
import { DELIVERY_RUNNER, DeliveryRunner, type DeliverySource, type RunnerDelivery, type RunnerOrder, type RunnerResult } from "../delivery/delivery-runner";
import { DEFAULT_DONE_TTL_MS, type IdempotencyClaim, type IdempotencyStore } from "../delivery/idempotency-store";
import type { CactusQueryResult, CactusTransaction } from "../delivery/transaction";
import type { WebhookReceiver } from "../delivery/types";
import { CactusArgumentError, CactusConfigError, CactusError, CactusEventInProgressError, CactusEventStoreUnavailableError, CactusHandlerError, CactusObjectBusyError, describeThrown } from "../errors";
import type { CactusEventSource } from "../events/base";
import type { CactusEventType, PushedEventOf, PushedThinEvent } from "../events/catalog";
import { parseThinEvent } from "../events/parse";
import { sqlDatabaseOf, TransactionFailure, type EventStoreDb, type SqlDatabase } from "./database";
import { EVENT_STORE_SCHEMA_VERSION, migrateSchema, quotedSchema, schemaMismatch, schemaVersion, type MigrationResult } from "./schema";
import { checkStorable, storableMessage } from "./storable";
import { eventStoreSql, listStatement, receivedStatement, replayStatement, type EventStoreSql } from "./statements";
import {
  catchUpEvents,
  checkReceiver,
  isCatchUpClient,
  replayEvents,
  type CatchUpOptions,
  type CatchUpSource,
  type CatchUpSummary,
  type ReplayOptions,
  type ReplayRow,
  type ReplaySource,
  type ReplaySummary,
} from "./replay";
import { advanceNewest, checkStale, LocalObjectLocks, objectKeyOf, orderingSql, queryOf, type OrderingSql } from "./ordering";
// ---- sagas (kept in ./saga/) ----
import { SAGA_PERSISTENCE, type SagaPersistence } from "../saga/persistence";
import type { SagaSnapshot } from "../saga/types";
import { PostgresSagaStore, type DueTimeoutsResult, type RunDueTimeoutsOptions, type TimeoutRunner } from "./saga/saga-store";
import { migrateSagaSchema } from "./saga/schema";
import { isSagaDeadlineScheduler, type SagaDeadlineFirer, type SagaDeadlineScheduler, type SagaDeadlineTrigger, type SagaFireOutcome } from "../saga/scheduler";
// ---- end sagas ----

/** Default deadline of one store call (claim, commit, release): 2 s, then 503 `event_store_unavailable`. */
export const DEFAULT_EVENT_STORE_TIMEOUT_MS = 2_000;

/** Default {@link PostgresEventStoreOptions.lockWaitMs}: 5 s. */
export const DEFAULT_LOCK_WAIT_MS = 5_000;

/** Default keep window of {@link PostgresEventStore.prune}: events first received more than 30 days ago go. */
export const DEFAULT_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** Options of {@link PostgresEventStore}. */
export interface PostgresEventStoreOptions {
  /** A `pg.Pool` (`new Pool({ connectionString })`) or a PGlite database (`new PGlite()`). The store never closes it. */
  readonly db: EventStoreDb;
  /** The PostgreSQL schema of the store's tables. Default `"cactus"`. */
  readonly schema?: string;
  /**
   * Run the claim, the handler and the commit in one database transaction, given to the handler
   * as `context.transaction`: its writes and the "handled" mark commit together or not at all.
   * Default `false` (the handler runs outside any transaction, as with the other stores).
   */
  readonly transactional?: boolean;
  /** How long a handled event answers `duplicate`, in ms. Default 7 days. */
  readonly doneTtlMs?: number;
  /** Deadline of each store call in ms; past it the delivery is answered 503 `event_store_unavailable`. Default 2,000. */
  readonly timeoutMs?: number;
  /** The `Retry-After` (seconds) of a 503 `event_store_unavailable`. Default 30. */
  readonly retryAfterSeconds?: number;
  /** Binds the events `history` returns, so `pull()` and `fetchRelatedObject()` work on them (a `CactusClient`). */
  readonly client?: CactusEventSource;
  /**
   * With a receiver's `ordering: "per-object"`: how long a webhook (or direct, replayed) delivery
   * waits for another event of its object to finish, in ms; past it the delivery is answered 409
   * `in_progress` with `Retry-After` (Cactus redelivers). A queue worker never waits: it puts the
   * job back as delayed. Default 5,000.
   */
  readonly lockWaitMs?: number;
  /**
   * Sagas: trigger each `context.expect` deadline at its due time instead of waiting for the next
   * `runDueTimeouts` pass, e.g. `new SagaDeadlineJobs(queue)` from `cactus-sdk/bullmq` (a BullMQ
   * delayed job per deadline, added once the event's transaction committed). The deadline rows stay
   * the truth: keep `startTimeouts()` running (a long interval will do) to fire any trigger lost.
   */
  readonly sagaDeadlines?: SagaDeadlineScheduler;
}

/**
 * Where an event stands: being handled, handled, its last attempt failed (a redelivery runs it
 * again), or `stale`: older than the newest handled event of its object and skipped by its type's policy.
 */
export type StoredEventStatus = "processing" | "handled" | "failed" | "stale";

/** A message and code a handler failed with (never a secret: what the handler threw). */
export interface StoredError {
  /** The message, cut to 2,000 characters. */
  readonly message: string;
  /** The error's `code` when it had a string one, else `handler_failed`. */
  readonly code: string;
}

/** One recorded event: what `list` returns. */
export interface StoredEvent {
  /** The event id. */
  readonly eventId: string;
  /** Receipt order across the store; what `list` cursors are made of. */
  readonly seq: string;
  /** The event type (`undefined` for an id claimed through the bare `claim` call). */
  readonly type: string | undefined;
  /** The related object's type, e.g. `order`. */
  readonly objectType: string | undefined;
  /** The related object's id, e.g. `ord_456`: the key of `history`. */
  readonly objectId: string | undefined;
  /** The event's own `created` time, when it carries one. */
  readonly created: Date | undefined;
  /** The event as JSON text (its wire form, as parsed). */
  readonly body: string | undefined;
  /** When the first delivery arrived. */
  readonly firstReceivedAt: Date;
  /** When the last delivery arrived. */
  readonly lastReceivedAt: Date;
  /** How many deliveries arrived (duplicates included). */
  readonly deliveries: number;
  /** How many times a handler was started for it. */
  readonly attemptCount: number;
  /** See {@link StoredEventStatus}. */
  readonly status: StoredEventStatus;
  /** Until when the current lease holds (while `processing`). */
  readonly leaseUntil: Date | undefined;
  /** When it was marked handled. */
  readonly handledAt: Date | undefined;
  /** Which method (or router subscriptions) handled it. */
  readonly handledBy: string | undefined;
  /** The last failure, if an attempt failed. */
  readonly lastError: StoredError | undefined;
}

/** One run of a handler for an event. */
export interface StoredAttempt {
  /** 1 for the first run. */
  readonly attempt: number;
  /** When it started. */
  readonly startedAt: Date;
  /** How long the handler (and, when transactional, its commit) took. */
  readonly durationMs: number | undefined;
  /** How it ended (`stale`: skipped by the stale policy, nothing ran). */
  readonly outcome: "handled" | "failed" | "stale";
  /** Where the delivery came from. */
  readonly source: DeliverySource;
  /** Which method handled it. */
  readonly handledBy: string | undefined;
  /** The failure, for a failed attempt. */
  readonly error: StoredError | undefined;
}

/** What `get(eventId)` returns: the event and every attempt, oldest first. */
export interface StoredEventWithAttempts extends StoredEvent {
  /** Every run of a handler, oldest first. */
  readonly attempts: readonly StoredAttempt[];
}

/** Filters of {@link PostgresEventStore.list}. */
export interface ListEventsOptions {
  /** First received at or after. */
  readonly since?: Date;
  /** First received before. */
  readonly until?: Date;
  /** Only this type. */
  readonly type?: string;
  /** Only this status. */
  readonly status?: StoredEventStatus;
  /** Only events of this related object. */
  readonly objectId?: string;
  /** At most this many (1-1,000). Default 100. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** `desc` (newest first, the default) or `asc`. */
  readonly order?: "asc" | "desc";
}

/** A page of {@link PostgresEventStore.list}. */
export interface EventPage {
  /** The events of this page. */
  readonly events: readonly StoredEvent[];
  /** Pass as `cursor` for the next page; `undefined` on the last one. */
  readonly nextCursor: string | undefined;
}

/** Options of {@link PostgresEventStore.history}. */
export interface HistoryOptions<T extends string = string> {
  /** Only these event types. */
  readonly types?: readonly T[];
  /** At most this many, oldest first. Default 10,000. */
  readonly limit?: number;
}

/**
 * The event store on PostgreSQL (through `pg`) or PGlite: an {@link IdempotencyStore} (claim,
 * commit, release with leases; duplicate → 200, in progress → 409, failure → release) that also
 * records every event it sees and every attempt, keeps each related object's history, and can run
 * a handler in the same database transaction as the event's "handled" mark (`transactional: true`).
 *
 * Call `await store.migrate()` (or `npx cactus db migrate --database-url <url>`) once before the
 * first delivery; a store whose tables are missing, older or newer refuses with a
 * `CactusConfigError` naming that command. Database down or slower than `timeoutMs`: the delivery
 * is answered 503 `event_store_unavailable` with `Retry-After`, nothing acknowledged.
 *
 * PGlite is one connection: the store's calls there run one at a time (a claim waits while a
 * transactional handler holds the transaction), which suits the demo, tests and one process.
 *
 * @example
 * ```ts
 * import { Pool } from "pg";
 * import { PostgresEventStore } from "cactus-sdk/postgres";
 * const store = new PostgresEventStore({ db: new Pool({ connectionString: process.env.DATABASE_URL }), transactional: true });
 * await store.migrate();
 * const handler = new OrderHandler(client, { webhookSecret, idempotency: store });
 * ```
 */
export class PostgresEventStore implements IdempotencyStore, SagaDeadlineFirer {
  /** The schema the tables live in. */
  readonly schema: string;
  /** Whether handlers run in the event's transaction. */
  readonly transactional: boolean;
  readonly #db: SqlDatabase;
  readonly #sql: EventStoreSql;
  readonly #doneTtlMs: number;
  readonly #timeoutMs: number;
  readonly #retryAfterSeconds: number;
  readonly #client: CactusEventSource | undefined;
  #ready: Promise<void> | undefined;
  #checked = false;
  readonly #orderingSql: OrderingSql;
  readonly #lockWaitMs: number;
  readonly #localLocks = new LocalObjectLocks();
  readonly #sagas: PostgresSagaStore;

  /** @param options `db` and the rest; a bad one throws {@link CactusConfigError}. */
  constructor(options: PostgresEventStoreOptions) {
    const what = "PostgresEventStore";
    if (typeof options !== "object" || options === null) throw new CactusConfigError(`${what} needs options: new PostgresEventStore({ db })`);
    this.#db = sqlDatabaseOf(options.db, what);
    this.schema = options.schema ?? "cactus";
    this.#sql = eventStoreSql(quotedSchema(this.schema, what));
    this.transactional = options.transactional ?? false;
    if (typeof this.transactional !== "boolean") throw new CactusConfigError(`${what} transactional must be true or false`);
    this.#doneTtlMs = positive(what, "doneTtlMs", options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
    this.#timeoutMs = positive(what, "timeoutMs", options.timeoutMs ?? DEFAULT_EVENT_STORE_TIMEOUT_MS);
    this.#retryAfterSeconds = positive(what, "retryAfterSeconds", options.retryAfterSeconds ?? 30);
    this.#client = options.client;
    this.#orderingSql = orderingSql(quotedSchema(this.schema, what));
    this.#lockWaitMs = positive(what, "lockWaitMs", options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
    if (options.sagaDeadlines !== undefined && !isSagaDeadlineScheduler(options.sagaDeadlines)) {
      throw new CactusConfigError(`${what} sagaDeadlines must have a scheduleSagaDeadlines method, e.g. new SagaDeadlineJobs(queue) from cactus-sdk/bullmq`);
    }
    this.#sagas = new PostgresSagaStore(options.db, this.#db, this.schema, this.transactional, options.sagaDeadlines);
  }

  /** `pg` or `pglite`: what `db` is. */
  get driver(): "pg" | "pglite" {
    return this.#db.kind;
  }

  /**
   * Creates or upgrades the tables (versioned; an advisory lock makes concurrent starts safe).
   *
   * @example
   * ```ts
   * const { from, to } = await store.migrate(); // { from: 0, to: 1 } the first time
   * ```
   */
  async migrate(): Promise<MigrationResult> {
    const result = await migrateSchema(this.#db, this.schema);
    await migrateSagaSchema(this.#db, this.schema);
    this.#ready = Promise.resolve();
    return result;
  }

  /**
   * Checks that the tables exist at this package's version; rejects with {@link CactusConfigError}
   * (naming the migrate command) otherwise. Deliveries check it themselves on first use; call it
   * at start-up to fail early.
   */
  ready(): Promise<void> {
    if (this.#ready === undefined) {
      const checking = schemaVersion(this.#db, this.schema).then((found) => {
        if (found !== EVENT_STORE_SCHEMA_VERSION) throw schemaMismatch(this.schema, found);
      });
      this.#ready = checking;
      // A failed check (tables missing, database down) is tried again by the next call.
      checking.catch(() => {
        if (this.#ready === checking) this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  /** @inheritdoc */
  async claim(eventId: string, leaseMs: number): Promise<IdempotencyClaim> {
    checkStorable(`event id ${JSON.stringify(eventId.slice(0, 80))}`, [["id", eventId]], undefined);
    return this.#claim({ id: eventId, type: undefined, objectType: undefined, objectId: undefined, created: undefined, body: undefined }, randomUUID(), leaseMs);
  }

  /** @inheritdoc */
  async commit(eventId: string, token: string): Promise<void> {
    await this.#timed(this.#db.query(this.#sql.commit, [eventId, token, null, null, null, "direct"]), `record event ${eventId} as handled`);
  }

  /** @inheritdoc */
  async release(eventId: string, token: string): Promise<void> {
    await this.#timed(this.#db.query(this.#sql.release, [eventId, token, null, null, null, null, "direct"]), `release event ${eventId}`);
  }

  /**
   * The events of one related object (the aggregate), parsed into their classes, oldest first (by
   * the event's `created` when it carries one, else by receipt). Pass `types` to get only those,
   * typed as such.
   *
   * @example
   * ```ts
   * for (const event of await store.history("ord_456")) console.log(event.type, event.id);
   * ```
   */
  history<T extends CactusEventType>(objectId: string, options: HistoryOptions<T> & { readonly types: readonly T[] }): Promise<PushedEventOf<T>[]>;
  history(objectId: string, options?: HistoryOptions): Promise<PushedThinEvent[]>;
  async history(objectId: string, options: HistoryOptions = {}): Promise<PushedThinEvent[]> {
    if (typeof objectId !== "string" || objectId === "") throw new CactusArgumentError("objectId", "history(objectId) needs the related object's id, e.g. \"ord_456\"");
    const limit = limitOf(options.limit, 10_000, 100_000);
    const types = options.types === undefined ? null : [...options.types];
    const { rows } = await this.#timed(this.#db.query(this.#sql.history, [objectId, types, limit]), `read the history of ${objectId}`);
    const events: PushedThinEvent[] = [];
    for (const row of rows) {
      const body = row["body"];
      if (typeof body === "string") events.push(parseThinEvent(body, this.#client));
    }
    return events;
  }

  /**
   * Rebuilds a state from the history of one related object: `reducer(state, event)` for each
   * event, oldest first, starting from `initial`.
   *
   * @example
   * ```ts
   * const timeline = await store.fold("ord_456", (lines, event) => [...lines, event.type], [] as string[]);
   * ```
   */
  async fold<S>(objectId: string, reducer: (state: S, event: PushedThinEvent) => S, initial: S, options: HistoryOptions = {}): Promise<S> {
    let state = initial;
    for (const event of await this.history(objectId, options)) state = reducer(state, event);
    return state;
  }

  /** The record of one event with its attempts, or `undefined` when the store never saw it. */
  async get(eventId: string): Promise<StoredEventWithAttempts | undefined> {
    const [events, attempts] = await this.#timed(
      Promise.all([this.#db.query(this.#sql.get, [eventId]), this.#db.query(this.#sql.attempts, [eventId])]),
      `read event ${eventId}`,
    );
    const row = events.rows[0];
    if (row === undefined) return undefined;
    return { ...eventOf(row), attempts: attempts.rows.map(attemptOf) };
  }

  /**
   * Lists recorded events, newest first unless `order: "asc"`, filtered by time of receipt, type,
   * status and related object, one page at a time (keyset pagination: pass `nextCursor` back).
   *
   * @example
   * ```ts
   * let page = await store.list({ status: "failed", limit: 50 });
   * while (page.nextCursor) page = await store.list({ status: "failed", limit: 50, cursor: page.nextCursor });
   * ```
   */
  async list(options: ListEventsOptions = {}): Promise<EventPage> {
    const limit = limitOf(options.limit, 100, 1_000);
    const order = options.order ?? "desc";
    if (order !== "asc" && order !== "desc") throw new CactusArgumentError("order", `list order must be "asc" or "desc", got ${describeThrown(order)}`);
    if (options.cursor !== undefined && !/^[0-9]{1,19}$/.test(options.cursor)) throw new CactusArgumentError("cursor", "list cursor must be a nextCursor this store returned");
    const { text, params } = listStatement(this.#sql, {
      sinceMs: options.since === undefined ? undefined : timeOf("since", options.since),
      untilMs: options.until === undefined ? undefined : timeOf("until", options.until),
      type: options.type,
      status: options.status,
      objectId: options.objectId,
      cursor: options.cursor,
      order,
      fetch: limit + 1,
    });
    const { rows } = await this.#timed(this.#db.query(text, params), "list events");
    const events = rows.slice(0, limit).map(eventOf);
    const last = events[events.length - 1];
    return { events, nextCursor: rows.length > limit && last !== undefined ? last.seq : undefined };
  }

  /**
   * Deletes the events first received before `olderThan` (a date, or an age in ms; default 30
   * days ago) and their attempts, in batches, except events still being handled. Refuses a window
   * shorter than `doneTtlMs` (a redelivery of a forgotten event would run again).
   *
   * @example
   * ```ts
   * setInterval(() => void store.prune(), 3_600_000).unref(); // keep 30 days
   * ```
   */
  async prune(options: { readonly olderThan?: Date | number; readonly batchSize?: number } = {}): Promise<{ readonly deleted: number }> {
    const now = Date.now();
    const olderThan = options.olderThan ?? DEFAULT_KEEP_MS;
    const cutoff = typeof olderThan === "number" ? now - olderThan : timeOf("olderThan", olderThan);
    if (typeof olderThan === "number" && !(Number.isFinite(olderThan) && olderThan >= 0)) throw new CactusArgumentError("olderThan", "prune olderThan must be a Date or an age in ms >= 0");
    if (cutoff > now - this.#doneTtlMs) {
      throw new CactusArgumentError(
        "olderThan",
        `prune would forget events handled less than doneTtlMs (${this.#doneTtlMs} ms) ago, and their redeliveries would run again: keep at least that long`,
      );
    }
    const batch = limitOf(options.batchSize, 10_000, 100_000);
    let deleted = 0;
    for (;;) {
      const { rows } = await this.#db.query(this.#sql.prune, [cutoff, batch]);
      const count = Number(rows[0]?.["deleted"] ?? 0);
      deleted += count;
      if (count < batch) return { deleted };
    }
  }

  /**
   * Runs stored events again through `receiver` (your `CactusHandler` subclass, `CactusRouter`, or
   * a `CactusQueue`, whose replays become jobs), in `created` order (else receipt), the events of
   * one object one after the other. Each run is a replay: `context.replay` is true, the
   * "duplicate" answer does not stop it, and it is recorded as a new attempt with source
   * `replay`. Filters: `since`/`until` (on `created`, else receipt), `type`, `status`, `objectId`,
   * `eventId`; `dryRun` lists what would run. If the database goes away it stops cleanly with
   * {@link CactusRunInterruptedError} saying how far it got (`after: error.resumeAfter` goes on).
   *
   * @example
   * ```ts
   * const { ran, succeeded, failed } = await store.replay(new OrderHandler(client), {
   *   type: "movie.completed", status: "failed", since: new Date("2026-12-06T10:00:00Z"),
   * });
   * ```
   */
  async replay(receiver: WebhookReceiver, options: ReplayOptions = {}): Promise<ReplaySummary> {
    return replayEvents(this.#replaySource, checkReceiver(receiver, "store.replay"), options);
  }

  /**
   * Catches up on what the Cactus API created after `since` (`client.listEvents({ createdAfter })`,
   * every page): runs, oldest first, the events this store never received (source `catch_up`) and
   * skips the rest. Safe to run on a schedule and to interrupt: a second run does only what is left.
   * The client is `options.client`, else the store's `client`, else the receiver's.
   *
   * @example
   * ```ts
   * const { listed, skipped, ran } = await store.catchUp(handler, { since: new Date(Date.now() - 2 * 3_600_000) });
   * ```
   */
  async catchUp(receiver: WebhookReceiver, options: CatchUpOptions): Promise<CatchUpSummary> {
    const target = checkReceiver(receiver, "store.catchUp");
    if (typeof options !== "object" || options === null) throw new CactusArgumentError("options", "catchUp needs { since }");
    const receiverClient = typeof receiver === "object" && receiver !== null ? Reflect.get(receiver, "client") : undefined;
    const client = [options.client, this.#client, receiverClient].find(isCatchUpClient);
    if (client === undefined) throw new CactusConfigError("store.catchUp needs a client to list events with: pass { client } (a CactusClient), or give the store or the receiver one");
    return catchUpEvents(this.#catchUpSource, target, client, options);
  }

  readonly #replaySource: ReplaySource = {
    store: this,
    page: async (options, cursor, limit) => {
      await this.#timed(this.ready(), "check the event store tables");
      const { text, params } = replayStatement(this.#sql, {
        sinceMs: options.since?.getTime(),
        untilMs: options.until?.getTime(),
        type: options.type,
        status: options.status,
        objectId: options.objectId,
        eventId: options.eventId,
        after: cursor,
        limit,
      });
      const { rows } = await this.#timed(this.#db.query(text, params), "read the events to replay");
      return rows.flatMap((row): ReplayRow[] => {
        const eventId = text_(row, "event_id");
        const type = text_(row, "type");
        const body = text_(row, "body");
        const atUs = text_(row, "at_us");
        const seq = text_(row, "seq_text");
        if (eventId === undefined || type === undefined || body === undefined || atUs === undefined || seq === undefined) return [];
        const objectType = text_(row, "object_type");
        const objectId = text_(row, "object_id");
        return [{ eventId, type, body, objectKey: objectType === undefined || objectId === undefined ? undefined : `${objectType}:${objectId}`, atMs: Number(atUs) / 1000, cursor: `${atUs}:${seq}` }];
      });
    },
    has: async (id) => (await this.get(id)) !== undefined,
  };

  readonly #catchUpSource: CatchUpSource = {
    store: this,
    received: async (ids) => {
      await this.#timed(this.ready(), "check the event store tables");
      const { rows } = await this.#timed(this.#db.query(receivedStatement(quotedSchema(this.schema, "PostgresEventStore")), [[...ids]]), "look up the events received");
      return new Set(rows.map((row) => text_(row, "event_id")).filter((id): id is string => id !== undefined));
    },
  };
  // ---- sagas: the instances of CactusSaga subclasses constructed with this store (see ./saga/) ----

  /** Where sagas constructed with this store keep their instances (in each event's transaction). */
  get [SAGA_PERSISTENCE](): SagaPersistence {
    return this.#sagas;
  }

  /**
   * One saga instance: its state, status, steps (with their compensations), history and pending
   * deadlines; `undefined` when that saga never saw the object.
   *
   * @example
   * ```ts
   * const fulfilment = await store.saga("Fulfilment", "ord_456");
   * console.log(fulfilment?.status, fulfilment?.state);
   * ```
   */
  saga<State = unknown>(name: string, objectId: string): Promise<SagaSnapshot<State> | undefined>;
  async saga(name: string, objectId: string): Promise<SagaSnapshot | undefined> {
    if (typeof name !== "string" || name === "" || typeof objectId !== "string" || objectId === "") {
      throw new CactusArgumentError("objectId", "saga(name, objectId) needs the saga's name and the related object's id, e.g. saga(\"Fulfilment\", \"ord_456\")");
    }
    return this.#timed(this.#sagas.snapshot(name, objectId), `read saga ${name} ${objectId}`);
  }

  /**
   * Fires the `context.expect` deadlines that are due, of the sagas constructed with this store:
   * each in its own transaction, its instance taken with `FOR UPDATE SKIP LOCKED`, the deadline
   * deleted with the state change, so each fires once however many processes run this.
   *
   * @example
   * ```ts
   * const { fired } = await store.runDueTimeouts();
   * ```
   */
  runDueTimeouts(options: RunDueTimeoutsOptions = {}): Promise<DueTimeoutsResult> {
    return this.#sagas.runDueTimeouts(options);
  }

  /**
   * Runs {@link PostgresEventStore.runDueTimeouts} every `intervalMs` (default 1 s) in this
   * process until `stop()`; the timer does not keep the process alive.
   *
   * @example
   * ```ts
   * const timeouts = store.startTimeouts({ intervalMs: 5_000, onError: console.error });
   * process.once("SIGTERM", () => void timeouts.stop());
   * ```
   */
  startTimeouts(options: { readonly intervalMs?: number; readonly onError?: (error: unknown) => void } = {}): TimeoutRunner {
    return this.#sagas.startTimeouts(options);
  }

  /**
   * Fires one saga deadline now, if it is still pending with `dueMs` and due (what a
   * `SagaDeadlineJobs` worker calls when a delayed job comes due): in its own transaction, the
   * instance taken with `FOR UPDATE SKIP LOCKED`, so it fires once even when the poller or another
   * worker tries at the same time. Resolves `fired`, `gone` (cancelled, moved, fired already),
   * `busy` (the instance is held: try again shortly) or `early`.
   *
   * @example
   * ```ts
   * const outcome = await store.fireSagaDeadline({ saga: "fulfilment", objectId: "ord_1", name: "delivery-news", dueMs });
   * ```
   */
  fireSagaDeadline(deadline: SagaDeadlineTrigger): Promise<SagaFireOutcome> {
    return this.#sagas.fireDeadline(deadline);
  }

  /** Ends the connections the store opened itself (the sagas' step journal, on a pg.Pool). Your `db` stays open. */
  close(): Promise<void> {
    return this.#sagas.close();
  }

  // ---- end sagas ----

  /** The delivery runner the receivers use: every event and attempt recorded; transactional when asked. */
  get [DELIVERY_RUNNER](): DeliveryRunner {
    return this.#runner;
  }

  readonly #runner = new (class extends DeliveryRunner {
    constructor(private readonly store: PostgresEventStore) {
      super();
    }
    run<R extends RunnerResult>(
      event: PushedThinEvent,
      delivery: RunnerDelivery,
      dispatch: (tx: CactusTransaction | undefined, order?: RunnerOrder) => Promise<R>,
      onLateError: (error: unknown) => void,
    ): Promise<R | "duplicate" | "stale"> {
      return this.store.#run(event, delivery, dispatch, onLateError);
    }
  })(this);

  async #run<R extends RunnerResult>(
    event: PushedThinEvent,
    delivery: RunnerDelivery,
    dispatch: (tx: CactusTransaction | undefined, order?: RunnerOrder) => Promise<R>,
    onLateError: (error: unknown) => void,
  ): Promise<R | "duplicate" | "stale"> {
    const related = event.relatedObject ?? undefined;
    checkStorable(
      `${event.type.slice(0, 80)} event ${JSON.stringify(event.id.slice(0, 80))} for the event store`,
      [["id", event.id], ["type", event.type], ["related_object.id", related?.id], ["related_object.type", related?.type]],
      event.type,
    );
    const { body, created } = wireOf(event);
    const row: ClaimRow = { id: event.id, type: event.type, objectType: related?.type, objectId: related?.id, created, body };
    const key = objectKeyOf(related);
    const progress: RunProgress = { token: undefined, started: 0 };
    const attempt = (lockTx: CactusTransaction | undefined): Promise<R | "duplicate" | "stale"> => this.#claimAndRun(event, row, key, delivery, dispatch, onLateError, lockTx, progress);
    // Events without a related object are never serialised.
    if (delivery.ordering !== "per-object" || key === undefined) return attempt(undefined);
    // A queue worker that finds the object busy puts the job back (no attempt used); anything else waits a while.
    const wait = delivery.source !== "queue";
    if (this.#db.kind === "pglite") {
      const done = await this.#localLocks.run(key, wait, this.#lockWaitMs, () => attempt(undefined));
      if (done === undefined) throw new CactusObjectBusyError(event.id, event.type, key, OBJECT_BUSY_RETRY_SECONDS);
      return done.value;
    }
    return this.#withAdvisoryLock(event, key, wait, attempt, onLateError);
  }

  // Runs `attempt` in a transaction holding the object's transaction-scoped advisory lock, every
  // statement of the delivery on that one connection. A waiter does not hold a connection: it
  // tries, and tries again after a short pause (up to lockWaitMs), so a pool is never exhausted by
  // deliveries queueing for one busy object.
  async #withAdvisoryLock<T>(
    event: PushedThinEvent,
    key: string,
    wait: boolean,
    attempt: (lockTx: CactusTransaction) => Promise<T>,
    onLateError: (error: unknown) => void,
  ): Promise<T> {
    const lockKey = `${this.schema}:${key}`;
    const deadline = Date.now() + this.#lockWaitMs;
    for (let pause = 5; ; pause = Math.min(100, pause * 2)) {
      let busy = false;
      let outcome: { readonly value: T } | undefined;
      // A handler's failure is recorded in this transaction, which then commits: kept aside, thrown after.
      let handlerFailure: { readonly error: unknown } | undefined;
      try {
        await this.#db.transaction(async (tx) => {
          const { rows } = await tx.query(this.#orderingSql.tryLock, [lockKey]);
          if (rows[0]?.["locked"] !== true) {
            busy = true;
            return;
          }
          try {
            outcome = { value: await attempt(tx) };
          } catch (error) {
            if (!(error instanceof CactusHandlerError) || error instanceof CactusEventInProgressError) throw error;
            handlerFailure = { error };
          }
        });
      } catch (failure) {
        const cause = failure instanceof TransactionFailure ? failure.cause : failure;
        if (failure instanceof TransactionFailure && failure.phase === "commit") {
          if (handlerFailure !== undefined) throw handlerFailure.error;
          if (outcome !== undefined && !this.transactional) {
            // The handler's effects happened; only its "handled" mark was lost: a redelivery may run it again.
            onLateError(cause);
            return outcome.value;
          }
          throw new CactusEventStoreUnavailableError(
            `The event store could not commit the transaction of ${event.type} event ${event.id}: nothing was marked handled${this.transactional ? " and the handler's writes were rolled back" : ""}; Cactus will redeliver it`,
            { cause, retryAfterSeconds: this.#retryAfterSeconds },
          );
        }
        if (cause instanceof CactusError) throw cause;
        throw new CactusEventStoreUnavailableError(`The event store could not lock ${key} for ${event.type} event ${event.id}: ${describeThrown(cause)}`, { cause, retryAfterSeconds: this.#retryAfterSeconds });
      }
      if (handlerFailure !== undefined) throw handlerFailure.error;
      if (outcome !== undefined) return outcome.value;
      if (!busy) throw new CactusEventStoreUnavailableError(`The event store did not run ${event.type} event ${event.id}`);
      if (!wait || Date.now() + pause > deadline) throw new CactusObjectBusyError(event.id, event.type, key, OBJECT_BUSY_RETRY_SECONDS);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  async #claimAndRun<R extends RunnerResult>(
    event: PushedThinEvent,
    row: ClaimRow,
    key: string | undefined,
    delivery: RunnerDelivery,
    dispatch: (tx: CactusTransaction | undefined, order?: RunnerOrder) => Promise<R>,
    onLateError: (error: unknown) => void,
    lockTx: CactusTransaction | undefined,
    progress: RunProgress,
  ): Promise<R | "duplicate" | "stale"> {
    const token = randomUUID();
    const replay = delivery.source === "replay";
    const q: Query = lockTx === undefined ? this.#poolQuery : queryOf(lockTx);
    const claim = replay ? await this.#replayClaim(row.id, token, delivery.leaseMs, q) : await this.#claim(row, token, delivery.leaseMs, lockTx === undefined ? undefined : q);
    if (claim.status === "duplicate") return "duplicate";
    if (claim.status === "in_progress") throw new CactusEventInProgressError(event.id, event.type, Math.max(1, Math.ceil(claim.retryAfterMs / 1000)));
    progress.token = token;
    const atMs = claim.atMs;
    let order: RunnerOrder = { outOfOrder: false, newerHandled: undefined, replay };
    // A replay runs what it is asked to, in `created` order: the stale guard is for live deliveries.
    if (key !== undefined && !replay && atMs !== undefined) {
      const check = await this.#timed(checkStale(q, this.#orderingSql, key, event.id, atMs), `read the newest handled event of ${key}`);
      order = { outOfOrder: check.outOfOrder, newerHandled: check.newerHandled, replay };
      if (check.outOfOrder && delivery.stale === "skip") {
        await this.#timed(q(this.#sql.markStale, [event.id, token, delivery.source]), `record event ${event.id} as stale`);
        return "stale";
      }
    }
    const started = Date.now();
    progress.started = started;
    const newest: Newest | undefined = key === undefined || atMs === undefined ? undefined : { key, atMs, id: event.id, type: event.type };
    return this.transactional
      ? this.#runInTransaction(event, delivery, token, started, (tx) => dispatch(tx, order), onLateError, newest, lockTx)
      : this.#runPlain(event, delivery, token, started, () => dispatch(undefined, order), onLateError, newest, q);
  }

  readonly #poolQuery: Query = (text, params) => this.#db.query(text, params);

  async #runPlain<R extends RunnerResult>(
    event: PushedThinEvent,
    delivery: RunnerDelivery,
    token: string,
    started: number,
    dispatch: () => Promise<R>,
    onLateError: (error: unknown) => void,
    newest: Newest | undefined,
    q: Query,
  ): Promise<R> {
    let result: R;
    try {
      result = await dispatch();
    } catch (error) {
      await this.#recordFailure(event.id, token, started, delivery.source, error, onLateError, q);
      throw error;
    }
    try {
      await this.#timed(q(this.#sql.commit, [event.id, token, result.handlers.join(", "), started, Date.now() - started, delivery.source]), `record event ${event.id} as handled`);
      if (newest !== undefined) await this.#timed(advanceNewest(q, this.#orderingSql, newest.key, newest.atMs, newest.id, newest.type), `record the newest event of ${newest.key}`);
    } catch (error) {
      // The handler's effects happened: answer so. Its lease expires and a redelivery may run it
      // again (at least once), which `transactional: true` closes for database effects.
      onLateError(error);
    }
    return result;
  }

  async #runInTransaction<R extends RunnerResult>(
    event: PushedThinEvent,
    delivery: RunnerDelivery,
    token: string,
    started: number,
    dispatch: (tx: CactusTransaction) => Promise<R>,
    onLateError: (error: unknown) => void,
    newest: Newest | undefined,
    lockTx: CactusTransaction | undefined,
  ): Promise<R> {
    let handlerFailed = false;
    const work = async (tx: CactusTransaction): Promise<R> => {
      let result: R;
      try {
        result = await dispatch(tx);
      } catch (error) {
        handlerFailed = true;
        throw error;
      }
      const marked = await tx.query(this.#sql.commit, [event.id, token, result.handlers.join(", "), started, Date.now() - started, delivery.source]);
      // The lease expired and another delivery took the event over: its run decides, ours rolls back.
      if (marked.rowCount === 0) throw new CactusEventStoreUnavailableError(`The lease on event ${event.id} expired while its handler ran; rolled back`);
      if (newest !== undefined) await advanceNewest(queryOf(tx), this.#orderingSql, newest.key, newest.atMs, newest.id, newest.type);
      return result;
    };
    if (lockTx !== undefined) {
      // Per-object ordering: the handler runs in the transaction holding the object's lock (whose
      // COMMIT is the one that counts); a failure rolls back to before the handler and is recorded.
      await lockTx.query("SAVEPOINT cactus_handler");
      try {
        return await work(lockTx);
      } catch (error) {
        await lockTx.query("ROLLBACK TO SAVEPOINT cactus_handler");
        await this.#recordFailure(event.id, token, started, delivery.source, error, onLateError, queryOf(lockTx));
        throw error;
      }
    }
    try {
      return await this.#db.transaction(work);
    } catch (failure) {
      const cause = failure instanceof TransactionFailure ? failure.cause : failure;
      await this.#recordFailure(event.id, token, started, delivery.source, cause, onLateError);
      if (handlerFailed) throw cause;
      const phase = failure instanceof TransactionFailure && failure.phase === "commit" ? "commit" : "record";
      throw new CactusEventStoreUnavailableError(
        `The event store could not ${phase} the transaction of ${event.type} event ${event.id}: nothing was marked handled and the handler's writes were rolled back; Cactus will redeliver it`,
        { cause, retryAfterSeconds: this.#retryAfterSeconds },
      );
    }
  }

  // Marks the attempt failed and frees the event for its redelivery; a store that cannot is reported aside.
  async #recordFailure(eventId: string, token: string, started: number, source: DeliverySource, error: unknown, onLateError: (error: unknown) => void, q: Query = this.#poolQuery): Promise<void> {
    const { message, code } = errorOf(error);
    try {
      await this.#timed(q(this.#sql.release, [eventId, token, message, code, started, Date.now() - started, source]), `release event ${eventId}`);
    } catch (releaseError) {
      onLateError(releaseError);
    }
  }

  // A replay's claim: the lease on a recorded event whatever its status, unless a live lease holds it.
  async #replayClaim(eventId: string, token: string, leaseMs: number, q: Query): Promise<RunClaim> {
    if (!this.#checked) {
      await this.#timed(this.ready(), "check the event store tables");
      this.#checked = true;
    }
    const { rows } = await this.#timed(q(this.#sql.replayClaim, [eventId, token, leaseMs]), `claim event ${eventId} for a replay`);
    const answer = rows[0];
    if (answer === undefined) return { status: "in_progress", retryAfterMs: 1_000 };
    return { status: "claimed", token, atMs: number(answer, "at_ms") };
  }

  // `q`: the lock's transaction (per-object ordering), else any connection of the pool.
  async #claim(row: ClaimRow, token: string, leaseMs: number, q?: Query): Promise<RunClaim> {
    if (!this.#checked) {
      await this.#timed(this.ready(), "check the event store tables");
      this.#checked = true;
    }
    const pending = (q ?? this.#poolQuery)(this.#sql.claim, [row.id, row.type ?? null, row.objectType ?? null, row.objectId ?? null, row.created ?? null, row.body ?? null, token, leaseMs, this.#doneTtlMs]);
    const { rows } = await this.#timed(pending, `claim event ${row.id}`, () => {
      // Answered 503 already: a claim that lands late is given back, so the redelivery runs (in a
      // lock's transaction it rolls back with it).
      if (q !== undefined) return;
      pending.then(
        (late) => {
          if (late.rows[0]?.["claimed"] === true) this.#db.query(this.#sql.release, [row.id, token, "claim timed out", "event_store_unavailable", null, null, "direct"]).catch(() => undefined);
        },
        () => undefined,
      );
    });
    const answer = rows[0];
    if (answer?.["claimed"] === true) return { status: "claimed", token, atMs: answer === undefined ? undefined : number(answer, "at_ms") };
    if (answer?.["status"] === "handled") return { status: "duplicate" };
    const remaining = Number(answer?.["retry_after_ms"] ?? 1);
    return { status: "in_progress", retryAfterMs: Number.isFinite(remaining) ? Math.max(1, remaining) : 1 };
  }

  // `work` within the store's deadline; a database error or the deadline become
  // CactusEventStoreUnavailableError (a CactusError, e.g. the schema check's, passes as is).
  #timed<T>(work: Promise<T>, what: string, onTimeout?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        onTimeout?.();
        reject(new CactusEventStoreUnavailableError(`The event store did not ${what} within ${this.#timeoutMs} ms; Cactus will redeliver`, { retryAfterSeconds: this.#retryAfterSeconds }));
      }, this.#timeoutMs);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (cause: unknown) => {
          clearTimeout(timer);
          reject(cause instanceof CactusError ? cause : new CactusEventStoreUnavailableError(`The event store could not ${what}: ${describeThrown(cause)}`, { cause, retryAfterSeconds: this.#retryAfterSeconds }));
        },
      );
    });
  }
}

const THIN_KEYS = new Set(["id", "type", "relatedObject", "created"]);

// The event's wire JSON, and its `created` when it carries one. A thin event of only id, type,
// created and related object is written directly; anything richer goes through toJSON().
function wireOf(event: PushedThinEvent): { body: string; created: string | undefined } {
  const related = event.relatedObject ?? undefined;
  if (Object.keys(event).every((key) => THIN_KEYS.has(key)) && (related === undefined || Object.keys(related).every((key) => key === "id" || key === "type"))) {
    const created = event.created instanceof Date && !Number.isNaN(event.created.getTime()) ? event.created.toISOString() : undefined;
    const body: Record<string, unknown> = { id: event.id, type: event.type };
    if (created !== undefined) body["created"] = created;
    if (related !== undefined) body["related_object"] = { id: related.id, type: related.type };
    // The version it arrived in (or was read as), so that reading it back upcasts from there.
    body["api_version"] = event.apiVersion;
    return { body: JSON.stringify(body), created };
  }
  const wire = event.toJSON();
  const created = typeof wire["created"] === "string" && !Number.isNaN(Date.parse(wire["created"])) ? new Date(wire["created"]).toISOString() : undefined;
  return { body: JSON.stringify(wire), created };
}

/** A claim, with the event's place in its object's order (its `created`, else its receipt, in epoch ms). */
type RunClaim = { readonly status: "claimed"; readonly token: string; readonly atMs: number | undefined } | Exclude<IdempotencyClaim, { readonly status: "claimed" }>;

/** What a run records as its object's newest event once handled. */
interface Newest {
  readonly key: string;
  readonly atMs: number;
  readonly id: string;
  readonly type: string;
}

/** How far one run got: the claim's token once taken, and when the handler started. */
interface RunProgress {
  token: string | undefined;
  started: number;
}

type Query = (text: string, params: readonly unknown[]) => Promise<CactusQueryResult>;

/** Seconds a delivery that found its object busy is told to wait. */
const OBJECT_BUSY_RETRY_SECONDS = 1;

interface ClaimRow {
  readonly id: string;
  readonly type: string | undefined;
  readonly objectType: string | undefined;
  readonly objectId: string | undefined;
  readonly created: string | undefined;
  readonly body: string | undefined;
}

function positive(what: string, name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new CactusConfigError(`${what} ${name} must be an integer > 0, got ${String(value)}`);
  return value;
}

function limitOf(value: number | undefined, fallback: number, max: number): number {
  const limit = value ?? fallback;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > max) throw new CactusArgumentError("limit", `limit must be an integer from 1 to ${max}, got ${String(value)}`);
  return limit;
}

function timeOf(name: string, value: Date): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new CactusArgumentError(name, `${name} must be a valid Date`);
  return ms;
}

// What a failed attempt records: the handler's own error (not the SDK's wrapper), cut and made storable.
function errorOf(error: unknown): StoredError {
  const inner = error instanceof CactusHandlerError && error.cause !== undefined ? error.cause : error;
  const code = typeof inner === "object" && inner !== null ? Reflect.get(inner, "code") : undefined;
  const message = inner instanceof Error ? inner.message : describeThrown(inner);
  return { message: storableMessage(message), code: storableMessage(typeof code === "string" && code !== "" ? code : "handler_failed", 200) };
}

const STATUSES: readonly StoredEventStatus[] = ["processing", "handled", "failed", "stale"];
const SOURCES: readonly DeliverySource[] = ["webhook", "queue", "replay", "catch_up", "direct"];

type Row = Record<string, unknown>;

function text_(row: Row, key: string): string | undefined {
  return text(row, key);
}

function text(row: Row, key: string): string | undefined {
  const value = row[key];
  return typeof value === "string" ? value : undefined;
}

function number(row: Row, key: string): number | undefined {
  const value = row[key];
  return typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : undefined;
}

function date(row: Row, key: string): Date | undefined {
  const ms = number(row, key);
  return ms === undefined ? undefined : new Date(Math.round(ms));
}

function errorColumns(row: Row, message: string, code: string): StoredError | undefined {
  const text_ = text(row, message);
  return text_ === undefined ? undefined : { message: text_, code: text(row, code) ?? "handler_failed" };
}

function eventOf(row: Row): StoredEvent {
  const status = text(row, "status");
  return {
    eventId: text(row, "event_id") ?? "",
    seq: text(row, "seq_text") ?? "0",
    type: text(row, "type"),
    objectType: text(row, "object_type"),
    objectId: text(row, "object_id"),
    created: date(row, "created_ms"),
    body: text(row, "body"),
    firstReceivedAt: date(row, "first_ms") ?? new Date(0),
    lastReceivedAt: date(row, "last_ms") ?? new Date(0),
    deliveries: number(row, "deliveries") ?? 0,
    attemptCount: number(row, "attempts") ?? 0,
    status: STATUSES.find((known) => known === status) ?? "failed",
    leaseUntil: date(row, "lease_ms"),
    handledAt: date(row, "handled_ms"),
    handledBy: text(row, "handled_by"),
    lastError: errorColumns(row, "last_error_message", "last_error_code"),
  };
}

function outcomeOf(outcome: string | undefined): StoredAttempt["outcome"] {
  return outcome === "handled" || outcome === "stale" ? outcome : "failed";
}

function attemptOf(row: Row): StoredAttempt {
  const source = text(row, "source");
  return {
    attempt: number(row, "attempt") ?? 0,
    startedAt: date(row, "started_ms") ?? new Date(0),
    durationMs: number(row, "duration_ms"),
    outcome: outcomeOf(text(row, "outcome")),
    source: SOURCES.find((known) => known === source) ?? "direct",
    handledBy: text(row, "handled_by"),
    error: errorColumns(row, "error_message", "error_code"),
  };
}
