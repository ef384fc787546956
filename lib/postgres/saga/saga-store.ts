import type { CactusTransaction } from "../../delivery/transaction";
import { CactusConfigError } from "../../errors";
import { snapshotOf } from "../../saga/memory-persistence";
import {
  FIRE_DEADLINE,
  SagaPersistence,
  type RegisteredSaga,
  type SagaDeadlineChanges,
  type SagaDeadlineRow,
  type SagaHistoryRow,
  type SagaInstanceRow,
  type SagaStepRow,
  type SagaUnit,
} from "../../saga/persistence";
import type { SagaDeadlineScheduler, SagaDeadlineTrigger, SagaFireOutcome } from "../../saga/scheduler";
import type { SagaCompensationStatus, SagaHistoryOutcome, SagaSnapshot, SagaStatus } from "../../saga/types";
import type { EventStoreDb, PgPoolLike } from "../database";
import { TransactionFailure, type SqlDatabase } from "../database";
import { quotedSchema } from "../schema";
import { checkSagaSchema } from "./schema";

/** What `store.runDueTimeouts()` did. */
export interface DueTimeoutsResult {
  /** Deadlines whose `onTimeout` ran (or that found their instance ended). */
  readonly fired: number;
  /** Deadlines whose `onTimeout` threw: rolled back, tried again by the next run. */
  readonly failed: number;
}

/** Options of `store.runDueTimeouts()`. */
export interface RunDueTimeoutsOptions {
  /** Fire the deadlines due at this time. Default: now. */
  readonly now?: Date;
  /** At most this many in one call. Default 1,000. */
  readonly limit?: number;
  /** Where the error of a deadline that failed goes. Default: ignored (it is tried again). */
  readonly onError?: (error: unknown) => void;
}

/** A timer running `runDueTimeouts` (see `store.startTimeouts`). */
export interface TimeoutRunner {
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

const JOURNAL_KEEP = 10_000;

/**
 * Saga instances in the event store's tables, read and written in each event's transaction. The
 * instance row is locked (`SELECT ... FOR UPDATE`) until that transaction ends, so two events of
 * one instance apply one after the other, in any process; the version column checks it.
 *
 * Step records must outlive a rollback of their event (a step done is not run again on the retry):
 * on a `pg.Pool` they are written at once through a connection of their own (a small pool made from
 * yours, at most 2 connections); on PGlite (one connection) they are written in the transaction and
 * kept in this process's memory as well.
 */
export class PostgresSagaStore extends SagaPersistence {
  readonly #s: string;
  readonly #sagas = new Map<string, RegisteredSaga>();
  readonly #registered: RegisteredSaga[] = [];
  readonly #journalRows = new Map<string, SagaStepRow & { readonly saga: string; readonly objectId: string }>();
  #journalPool: PgPoolLike | undefined;
  #ready: Promise<void> | undefined;

  constructor(
    private readonly raw: EventStoreDb,
    private readonly db: SqlDatabase,
    private readonly schema: string,
    private readonly transactional: boolean,
    private readonly scheduler: SagaDeadlineScheduler | undefined = undefined,
  ) {
    super();
    this.#s = quotedSchema(schema, "PostgresEventStore");
  }

  /** @inheritdoc */
  override deadlineScheduler(): SagaDeadlineScheduler | undefined {
    return this.scheduler;
  }

  // After a deadline's transaction committed: trigger what its onTimeout set (a failure is the poller's to cover).
  async #schedule(deadlines: readonly SagaDeadlineTrigger[], onError: ((error: unknown) => void) | undefined): Promise<void> {
    if (this.scheduler === undefined || deadlines.length === 0) return;
    try {
      await this.scheduler.scheduleSagaDeadlines(deadlines);
    } catch (error) {
      onError?.(error);
    }
  }

  /**
   * Fires one deadline when it is still pending with `dueMs` and due: in a transaction of its own,
   * the instance row taken with `FOR UPDATE SKIP LOCKED` (so a job and the poller, or two workers,
   * never fire it twice), `onTimeout` run and the row deleted with the state change. See
   * {@link SagaFireOutcome}. Rejects with what `onTimeout` threw (rolled back; still due).
   */
  async fireDeadline(deadline: SagaDeadlineTrigger, options: { readonly now?: number; readonly onError?: (error: unknown) => void } = {}): Promise<SagaFireOutcome> {
    const now = options.now ?? Date.now();
    const registered = this.#sagaNamed(deadline.saga);
    if (registered === undefined) return "gone";
    const set: SagaDeadlineTrigger[] = [];
    const outcome = await this.db
      .transaction(async (tx): Promise<SagaFireOutcome> => {
        await this.#checked(tx);
        const { rows } = await tx.query(
          `SELECT d.due_ms FROM ${this.#s}.saga_deadlines d
            JOIN ${this.#s}.saga_instances i ON i.saga = d.saga AND i.object_id = d.object_id
            WHERE d.saga = $1 AND d.object_id = $2 AND d.name = $3 AND d.due_ms = $4
            FOR UPDATE OF i SKIP LOCKED`,
          [deadline.saga, deadline.objectId, deadline.name, deadline.dueMs],
        );
        if (rows[0] === undefined) {
          // Not taken: either it is no longer pending with this due time, or its instance is held right now.
          const pending = await tx.query(`SELECT 1 AS found FROM ${this.#s}.saga_deadlines WHERE saga = $1 AND object_id = $2 AND name = $3 AND due_ms = $4`, [
            deadline.saga,
            deadline.objectId,
            deadline.name,
            deadline.dueMs,
          ]);
          return pending.rows.length > 0 ? "busy" : "gone";
        }
        if (deadline.dueMs > now) return "early";
        const fired = await registered[FIRE_DEADLINE](this, deadline.objectId, deadline.name, tx, now, (deadlines) => set.push(...deadlines));
        return fired ? "fired" : "gone";
      })
      .catch((failure: unknown) => {
        throw failure instanceof TransactionFailure ? failure.cause : failure;
      });
    await this.#schedule(set, options.onError);
    return outcome;
  }

  /** @inheritdoc */
  register(saga: RegisteredSaga): void {
    if (!this.transactional) {
      throw new CactusConfigError(
        `${saga.constructor.name} is a saga: its state is written in each event's transaction, so its store needs transactional: true (new PostgresEventStore({ db, transactional: true }))`,
      );
    }
    this.#registered.push(saga);
  }

  /** Ends the journal's own connections (on a pg.Pool). The store's `db` stays yours to close. */
  async close(): Promise<void> {
    const pool = this.#journalPool;
    this.#journalPool = undefined;
    const end: unknown = pool === undefined ? undefined : Reflect.get(pool, "end");
    if (typeof end === "function") await Reflect.apply(end, pool, []);
  }

  // Checked once, on `on` (inside a transaction on PGlite, whose one connection the transaction holds).
  #checked(on: Pick<SqlDatabase, "query"> = this.db): Promise<void> {
    if (this.#ready === undefined) {
      const checking = checkSagaSchema(on, this.schema);
      this.#ready = checking;
      checking.catch(() => {
        if (this.#ready === checking) this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  #sagaNamed(name: string): RegisteredSaga | undefined {
    if (this.#sagas.size !== this.#registered.length) {
      this.#sagas.clear();
      for (const saga of this.#registered) this.#sagas.set(saga.sagaName, saga);
    }
    return this.#sagas.get(name);
  }

  // A pool of its own for the step journal, made from the user's pool's options (pg only).
  #journal(): PgPoolLike | undefined {
    if (this.db.kind !== "pg") return undefined;
    if (this.#journalPool === undefined) {
      const options: unknown = Reflect.get(this.raw, "options");
      const make: unknown = this.raw.constructor;
      if (typeof options === "object" && options !== null && typeof make === "function") {
        // pg keeps a password given as an option out of the options' enumerable keys: copied by hand.
        const password: unknown = Reflect.get(options, "password");
        const built: unknown = Reflect.construct(make, [{ ...options, ...(password === undefined ? {} : { password }), max: 2, idleTimeoutMillis: 1_000, allowExitOnIdle: true }]);
        if (isPool(built)) {
          // An idle connection the server ends (a restart) emits "error" on its pool: without a listener, that would end the process.
          const on: unknown = Reflect.get(built, "on");
          if (typeof on === "function") Reflect.apply(on, built, ["error", () => undefined]);
          this.#journalPool = built;
        }
      }
      // A pool-like without options: its own query (another connection of the same pool).
      if (this.#journalPool === undefined && isPool(this.raw)) this.#journalPool = this.raw;
    }
    return this.#journalPool;
  }

  async #writeStep(tx: CactusTransaction, saga: string, objectId: string, step: SagaStepRow): Promise<void> {
    const text = `INSERT INTO ${this.#s}.saga_steps (saga, object_id, event_id, step, result, error, compensation, compensation_attempts, compensation_error)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (saga, object_id, event_id, step) DO UPDATE SET result = excluded.result, error = excluded.error, compensation = excluded.compensation,
        compensation_attempts = excluded.compensation_attempts, compensation_error = excluded.compensation_error`;
    const params = [saga, objectId, step.eventId, step.name, step.resultJson, step.error ?? null, step.compensation ?? null, step.compensationAttempts, step.compensationError ?? null];
    const journal = this.#journal();
    if (journal !== undefined) {
      await journal.query(text, params);
      return;
    }
    // PGlite: in the transaction, and in memory so that a retry in this process finds it after a rollback.
    const key = `${saga}\0${objectId}\0${step.eventId}\0${step.name}`;
    this.#journalRows.delete(key);
    this.#journalRows.set(key, { ...step, saga, objectId });
    if (this.#journalRows.size > JOURNAL_KEEP) {
      const oldest = this.#journalRows.keys().next().value;
      if (oldest !== undefined) this.#journalRows.delete(oldest);
    }
    await tx.query(text, params);
  }

  /** @inheritdoc */
  open(transaction: CactusTransaction | undefined, saga: string, objectId: string): SagaUnit {
    if (transaction === undefined) {
      throw new CactusConfigError(
        `Saga ${saga} got an event without the event store's transaction: construct the saga with { idempotency: store } where store is new PostgresEventStore({ db, transactional: true }), and give a queue worker the same store (queue.work(saga, { idempotency: store }))`,
      );
    }
    const tx = transaction;
    const s = this.#s;
    const key = [saga, objectId];
    let steps: SagaStepRow[] = [];
    return {
      lock: async (initialJson) => {
        await this.#checked(tx);
        await tx.query(`INSERT INTO ${s}.saga_instances (saga, object_id, state, status, version) VALUES ($1, $2, $3, 'running', 0) ON CONFLICT (saga, object_id) DO NOTHING`, [...key, initialJson]);
        const { rows } = await tx.query(`SELECT state, status, version, failure, newest_created_ms FROM ${s}.saga_instances WHERE saga = $1 AND object_id = $2 FOR UPDATE`, key);
        const row = rows[0];
        if (row === undefined) throw new CactusConfigError(`Saga ${saga} instance ${objectId} could not be created`);
        return instanceOf(row);
      },
      applied: async (eventId) => {
        const { rows } = await tx.query(`SELECT 1 AS found FROM ${s}.saga_history WHERE saga = $1 AND object_id = $2 AND event_id = $3`, [...key, eventId]);
        return rows.length > 0;
      },
      steps: async () => {
        const { rows } = await tx.query(`SELECT event_id, step, result, error, compensation, compensation_attempts, compensation_error FROM ${s}.saga_steps WHERE saga = $1 AND object_id = $2 ORDER BY seq`, key);
        steps = rows.map(stepOf);
        if (this.db.kind === "pglite") {
          for (const remembered of this.#journalRows.values()) {
            if (remembered.saga !== saga || remembered.objectId !== objectId) continue;
            const at = steps.findIndex((step) => step.eventId === remembered.eventId && step.name === remembered.name);
            if (at >= 0) steps[at] = remembered;
            else steps.push(remembered);
          }
        }
        return steps;
      },
      deadline: async (name) => {
        const { rows } = await tx.query(`SELECT due_ms FROM ${s}.saga_deadlines WHERE saga = $1 AND object_id = $2 AND name = $3`, [...key, name]);
        const due = rows[0]?.["due_ms"];
        return due === undefined || due === null ? undefined : Number(due);
      },
      recordStep: (step) => this.#writeStep(tx, saga, objectId, step),
      recordCompensation: async (eventId, name, status: SagaCompensationStatus, attempts, error) => {
        const found = steps.find((step) => step.eventId === eventId && step.name === name);
        if (found === undefined) return;
        const next: SagaStepRow = { ...found, compensation: status, compensationAttempts: attempts, compensationError: error };
        steps = steps.map((step) => (step === found ? next : step));
        await this.#writeStep(tx, saga, objectId, next);
      },
      commit: async (next: SagaInstanceRow, expectedVersion: number, line: SagaHistoryRow, changes: SagaDeadlineChanges) => {
        const updated = await tx.query(
          `UPDATE ${s}.saga_instances SET state = $3, status = $4, version = $5, failure = $6, newest_created_ms = $7, updated_at = now() WHERE saga = $1 AND object_id = $2 AND version = $8`,
          [...key, next.stateJson, next.status, next.version, next.failure ?? null, next.newestCreatedMs ?? null, expectedVersion],
        );
        if (updated.rowCount === 0) return false;
        await tx.query(
          `INSERT INTO ${s}.saga_history (saga, object_id, event_id, type, handled_by, outcome, out_of_order, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [...key, line.eventId ?? null, line.type, line.handledBy, line.outcome, line.outOfOrder, line.atMs],
        );
        if (changes.clearAll) await tx.query(`DELETE FROM ${s}.saga_deadlines WHERE saga = $1 AND object_id = $2`, key);
        else {
          if (changes.clearTypes.length > 0 || changes.clearNames.length > 0) {
            await tx.query(`DELETE FROM ${s}.saga_deadlines WHERE saga = $1 AND object_id = $2 AND (type = ANY($3) OR name = ANY($4))`, [...key, [...changes.clearTypes], [...changes.clearNames]]);
          }
          for (const deadline of changes.set) {
            await tx.query(
              `INSERT INTO ${s}.saga_deadlines (saga, object_id, name, type, due_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (saga, object_id, name) DO UPDATE SET type = excluded.type, due_ms = excluded.due_ms`,
              [...key, deadline.name, deadline.type, deadline.dueMs],
            );
          }
        }
        return true;
      },
    };
  }

  /** @inheritdoc */
  async snapshot(saga: string, objectId: string): Promise<SagaSnapshot | undefined> {
    const s = this.#s;
    const key = [saga, objectId];
    const instance = await this.db.query(`SELECT state, status, version, failure, newest_created_ms FROM ${s}.saga_instances WHERE saga = $1 AND object_id = $2`, key);
    const row = instance.rows[0];
    if (row === undefined) return undefined;
    const [steps, history, deadlines] = await Promise.all([
      this.db.query(`SELECT event_id, step, result, error, compensation, compensation_attempts, compensation_error FROM ${s}.saga_steps WHERE saga = $1 AND object_id = $2 ORDER BY seq`, key),
      this.db.query(`SELECT event_id, type, handled_by, outcome, out_of_order, at_ms FROM ${s}.saga_history WHERE saga = $1 AND object_id = $2 ORDER BY seq`, key),
      this.db.query(`SELECT name, type, due_ms FROM ${s}.saga_deadlines WHERE saga = $1 AND object_id = $2`, key),
    ]);
    return snapshotOf(saga, objectId, instanceOf(row), steps.rows.map(stepOf), history.rows.map(historyOf), deadlines.rows.map(deadlineOf));
  }

  /**
   * Fires every deadline due (of the sagas constructed with this store), each in its own
   * transaction: the instance row is taken with `FOR UPDATE SKIP LOCKED` (an instance another
   * worker or an event holds is skipped, not waited for), `onTimeout` runs, and the deadline is
   * deleted in the same transaction. So a deadline fires once, however many workers run this.
   */
  async runDueTimeouts(options: RunDueTimeoutsOptions = {}): Promise<DueTimeoutsResult> {
    const names = [...new Set(this.#registered.map((saga) => saga.sagaName))];
    if (names.length === 0) return { fired: 0, failed: 0 };
    const now = options.now?.getTime() ?? Date.now();
    const limit = options.limit ?? 1_000;
    const skipped: string[] = [];
    const set: SagaDeadlineTrigger[] = [];
    let fired = 0;
    let failed = 0;
    while (fired + failed < limit) {
      let found: string | undefined;
      try {
        const outcome = await this.db.transaction(async (tx) => {
          await this.#checked(tx);
          const { rows } = await tx.query(
            `SELECT d.saga, d.object_id, d.name FROM ${this.#s}.saga_deadlines d
              JOIN ${this.#s}.saga_instances i ON i.saga = d.saga AND i.object_id = d.object_id
              WHERE d.due_ms <= $1 AND d.saga = ANY($2) AND (d.saga || chr(1) || d.object_id || chr(1) || d.name) <> ALL($3)
              ORDER BY d.due_ms LIMIT 1 FOR UPDATE OF i SKIP LOCKED`,
            [now, names, skipped],
          );
          const row = rows[0];
          if (row === undefined) return undefined;
          const saga = String(row["saga"]);
          const objectId = String(row["object_id"]);
          const name = String(row["name"]);
          found = `${saga}\u0001${objectId}\u0001${name}`;
          const registered = this.#sagaNamed(saga);
          return registered === undefined ? false : registered[FIRE_DEADLINE](this, objectId, name, tx, now, (deadlines) => set.push(...deadlines));
        });
        if (outcome === undefined) break;
        // false: another runner fired it between this one's read and its lock (or an event cancelled it).
        if (outcome) fired += 1;
        else if (found !== undefined) skipped.push(found);
        await this.#schedule(set.splice(0), options.onError);
      } catch (failure) {
        set.length = 0;
        failed += 1;
        options.onError?.(failure instanceof TransactionFailure ? failure.cause : failure);
        if (found === undefined) break;
        skipped.push(found);
      }
    }
    return { fired, failed };
  }

  /** Runs `runDueTimeouts` every `intervalMs` (default 1,000) until stopped; the timer does not keep the process alive. */
  startTimeouts(options: { readonly intervalMs?: number; readonly onError?: (error: unknown) => void } = {}): TimeoutRunner {
    let running: Promise<unknown> = Promise.resolve();
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      running = this.runDueTimeouts(options.onError === undefined ? {} : { onError: options.onError })
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          busy = false;
        });
    }, options.intervalMs ?? 1_000);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await running;
      },
    };
  }
}

function isPool(value: unknown): value is PgPoolLike {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "query") === "function" && typeof Reflect.get(value, "connect") === "function";
}

type Row = Record<string, unknown>;

function textOf(row: Row, key: string): string | undefined {
  const value = row[key];
  return typeof value === "string" ? value : undefined;
}

const STATUSES: readonly SagaStatus[] = ["running", "completed", "failed"];
const COMPENSATIONS: readonly SagaCompensationStatus[] = ["started", "compensated", "failed", "interrupted", "missing"];
const OUTCOMES: readonly SagaHistoryOutcome[] = ["applied", "completed", "failed", "ignored", "timeout"];

function instanceOf(row: Row): SagaInstanceRow {
  const status = textOf(row, "status");
  const newest = row["newest_created_ms"];
  return {
    stateJson: textOf(row, "state") ?? "null",
    status: STATUSES.find((known) => known === status) ?? "running",
    version: Number(row["version"] ?? 0),
    failure: textOf(row, "failure"),
    newestCreatedMs: newest === null || newest === undefined ? undefined : Number(newest),
  };
}

function stepOf(row: Row): SagaStepRow {
  const compensation = textOf(row, "compensation");
  return {
    eventId: textOf(row, "event_id") ?? "",
    name: textOf(row, "step") ?? "",
    resultJson: textOf(row, "result") ?? "null",
    error: textOf(row, "error"),
    compensation: COMPENSATIONS.find((known) => known === compensation),
    compensationAttempts: Number(row["compensation_attempts"] ?? 0),
    compensationError: textOf(row, "compensation_error"),
  };
}

function historyOf(row: Row): SagaHistoryRow {
  const outcome = textOf(row, "outcome");
  return {
    eventId: textOf(row, "event_id"),
    type: textOf(row, "type") ?? "",
    handledBy: textOf(row, "handled_by") ?? "",
    outcome: OUTCOMES.find((known) => known === outcome) ?? "applied",
    outOfOrder: row["out_of_order"] === true,
    atMs: Number(row["at_ms"] ?? 0),
  };
}

function deadlineOf(row: Row): SagaDeadlineRow {
  return { name: textOf(row, "name") ?? "", type: textOf(row, "type") ?? "", dueMs: Number(row["due_ms"] ?? 0) };
}
