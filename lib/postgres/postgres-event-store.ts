import { randomUUID } from "node:crypto";
import { DELIVERY_RUNNER, DeliveryRunner, type DeliverySource, type RunnerDelivery, type RunnerResult } from "../delivery/delivery-runner";
import { DEFAULT_DONE_TTL_MS, type IdempotencyClaim, type IdempotencyStore } from "../delivery/idempotency-store";
import type { CactusTransaction } from "../delivery/transaction";
import { CactusArgumentError, CactusConfigError, CactusError, CactusEventInProgressError, CactusEventStoreUnavailableError, CactusHandlerError, describeThrown } from "../errors";
import type { CactusEventSource } from "../events/base";
import type { CactusEventType, PushedEventOf, PushedThinEvent } from "../events/catalog";
import { parseThinEvent } from "../events/parse";
import { sqlDatabaseOf, TransactionFailure, type EventStoreDb, type SqlDatabase } from "./database";
import { EVENT_STORE_SCHEMA_VERSION, migrateSchema, quotedSchema, schemaMismatch, schemaVersion, type MigrationResult } from "./schema";
import { checkStorable, storableMessage } from "./storable";
import { eventStoreSql, listStatement, type EventStoreSql } from "./statements";
// ---- sagas (kept in ./saga/) ----
import { SAGA_PERSISTENCE, type SagaPersistence } from "../saga/persistence";
import type { SagaSnapshot } from "../saga/types";
import { PostgresSagaStore, type DueTimeoutsResult, type RunDueTimeoutsOptions, type TimeoutRunner } from "./saga/saga-store";
import { migrateSagaSchema } from "./saga/schema";
// ---- end sagas ----

/** Default deadline of one store call (claim, commit, release): 2 s, then 503 `event_store_unavailable`. */
export const DEFAULT_EVENT_STORE_TIMEOUT_MS = 2_000;

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
}

/** Where an event stands: being handled, handled, or its last attempt failed (a redelivery runs it again). */
export type StoredEventStatus = "processing" | "handled" | "failed";

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
  /** How it ended. */
  readonly outcome: "handled" | "failed";
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
export class PostgresEventStore implements IdempotencyStore {
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
    this.#sagas = new PostgresSagaStore(options.db, this.#db, this.schema, this.transactional);
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
    run<R extends RunnerResult>(event: PushedThinEvent, delivery: RunnerDelivery, dispatch: (tx: CactusTransaction | undefined) => Promise<R>, onLateError: (error: unknown) => void): Promise<R | "duplicate"> {
      return this.store.#run(event, delivery, dispatch, onLateError);
    }
  })(this);

  async #run<R extends RunnerResult>(
    event: PushedThinEvent,
    delivery: RunnerDelivery,
    dispatch: (tx: CactusTransaction | undefined) => Promise<R>,
    onLateError: (error: unknown) => void,
  ): Promise<R | "duplicate"> {
    const related = event.relatedObject ?? undefined;
    checkStorable(
      `${event.type.slice(0, 80)} event ${JSON.stringify(event.id.slice(0, 80))} for the event store`,
      [["id", event.id], ["type", event.type], ["related_object.id", related?.id], ["related_object.type", related?.type]],
      event.type,
    );
    const { body, created } = wireOf(event);
    const token = randomUUID();
    const claim = await this.#claim({ id: event.id, type: event.type, objectType: related?.type, objectId: related?.id, created, body }, token, delivery.leaseMs);
    if (claim.status === "duplicate") return "duplicate";
    if (claim.status === "in_progress") throw new CactusEventInProgressError(event.id, event.type, Math.max(1, Math.ceil(claim.retryAfterMs / 1000)));
    const started = Date.now();
    return this.transactional ? this.#runInTransaction(event, delivery, token, started, dispatch, onLateError) : this.#runPlain(event, delivery, token, started, dispatch, onLateError);
  }

  async #runPlain<R extends RunnerResult>(
    event: PushedThinEvent,
    delivery: RunnerDelivery,
    token: string,
    started: number,
    dispatch: (tx: CactusTransaction | undefined) => Promise<R>,
    onLateError: (error: unknown) => void,
  ): Promise<R> {
    let result: R;
    try {
      result = await dispatch(undefined);
    } catch (error) {
      await this.#recordFailure(event.id, token, started, delivery.source, error, onLateError);
      throw error;
    }
    try {
      await this.#timed(this.#db.query(this.#sql.commit, [event.id, token, result.handlers.join(", "), started, Date.now() - started, delivery.source]), `record event ${event.id} as handled`);
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
    dispatch: (tx: CactusTransaction | undefined) => Promise<R>,
    onLateError: (error: unknown) => void,
  ): Promise<R> {
    let handlerFailed = false;
    try {
      return await this.#db.transaction(async (tx) => {
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
        return result;
      });
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
  async #recordFailure(eventId: string, token: string, started: number, source: DeliverySource, error: unknown, onLateError: (error: unknown) => void): Promise<void> {
    const { message, code } = errorOf(error);
    try {
      await this.#timed(this.#db.query(this.#sql.release, [eventId, token, message, code, started, Date.now() - started, source]), `release event ${eventId}`);
    } catch (releaseError) {
      onLateError(releaseError);
    }
  }

  async #claim(row: ClaimRow, token: string, leaseMs: number): Promise<IdempotencyClaim> {
    if (!this.#checked) {
      await this.#timed(this.ready(), "check the event store tables");
      this.#checked = true;
    }
    const pending = this.#db.query(this.#sql.claim, [row.id, row.type ?? null, row.objectType ?? null, row.objectId ?? null, row.created ?? null, row.body ?? null, token, leaseMs, this.#doneTtlMs]);
    const { rows } = await this.#timed(pending, `claim event ${row.id}`, () => {
      // Answered 503 already: a claim that lands late is given back, so the redelivery runs.
      pending.then(
        (late) => {
          if (late.rows[0]?.["claimed"] === true) this.#db.query(this.#sql.release, [row.id, token, "claim timed out", "event_store_unavailable", null, null, "direct"]).catch(() => undefined);
        },
        () => undefined,
      );
    });
    const answer = rows[0];
    if (answer?.["claimed"] === true) return { status: "claimed", token };
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

const THIN_KEYS = new Set(["id", "type", "relatedObject"]);

// The event's wire JSON, and its `created` when it carries one. A thin event of only id, type and
// related object (every event today) is written directly; anything richer goes through toJSON().
function wireOf(event: PushedThinEvent): { body: string; created: string | undefined } {
  const related = event.relatedObject ?? undefined;
  if (Object.keys(event).every((key) => THIN_KEYS.has(key)) && (related === undefined || Object.keys(related).every((key) => key === "id" || key === "type"))) {
    const body = related === undefined ? { id: event.id, type: event.type } : { id: event.id, type: event.type, related_object: { id: related.id, type: related.type } };
    return { body: JSON.stringify(body), created: undefined };
  }
  const wire = event.toJSON();
  const created = typeof wire["created"] === "string" && !Number.isNaN(Date.parse(wire["created"])) ? new Date(wire["created"]).toISOString() : undefined;
  return { body: JSON.stringify(wire), created };
}

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

const STATUSES: readonly StoredEventStatus[] = ["processing", "handled", "failed"];
const SOURCES: readonly DeliverySource[] = ["webhook", "queue", "replay", "direct"];

type Row = Record<string, unknown>;

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

function attemptOf(row: Row): StoredAttempt {
  const source = text(row, "source");
  return {
    attempt: number(row, "attempt") ?? 0,
    startedAt: date(row, "started_ms") ?? new Date(0),
    durationMs: number(row, "duration_ms"),
    outcome: text(row, "outcome") === "handled" ? "handled" : "failed",
    source: SOURCES.find((known) => known === source) ?? "direct",
    handledBy: text(row, "handled_by"),
    error: errorColumns(row, "error_message", "error_code"),
  };
}
