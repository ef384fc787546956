import type { CactusTransaction } from "../delivery/transaction";
import type { IdempotencyStore } from "../delivery/idempotency-store";
import type { SagaDeadlineScheduler, SagaDeadlineTrigger } from "./scheduler";
import type { SagaCompensationStatus, SagaHistoryOutcome, SagaSnapshot, SagaStatus } from "./types";

/** The key of a saga's method that fires one of its deadlines (called by the store). */
export const FIRE_DEADLINE: unique symbol = Symbol("cactus.sagaFireDeadline");

/** One instance's row: its state as JSON, its status and version. */
export interface SagaInstanceRow {
  readonly stateJson: string;
  readonly status: SagaStatus;
  readonly version: number;
  readonly failure: string | undefined;
  /** The newest `created` (ms) of the events it applied, for `outOfOrder`. */
  readonly newestCreatedMs: number | undefined;
}

/** One recorded step. */
export interface SagaStepRow {
  readonly eventId: string;
  readonly name: string;
  readonly resultJson: string;
  /** Set when `run` still threw after its retries (the step did not complete). */
  readonly error: string | undefined;
  readonly compensation: SagaCompensationStatus | undefined;
  readonly compensationAttempts: number;
  readonly compensationError: string | undefined;
}

/** One history line. */
export interface SagaHistoryRow {
  readonly eventId: string | undefined;
  readonly type: string;
  readonly handledBy: string;
  readonly outcome: SagaHistoryOutcome;
  readonly outOfOrder: boolean;
  readonly atMs: number;
}

/** A deadline to set. */
export interface SagaDeadlineRow {
  readonly name: string;
  readonly type: string;
  readonly dueMs: number;
}

/** How an event changes the instance's deadlines, applied with its state. */
export interface SagaDeadlineChanges {
  /** Set (or move) these. */
  readonly set: readonly SagaDeadlineRow[];
  /** Drop the deadlines waiting for these types (the event arrived). */
  readonly clearTypes: readonly string[];
  /** Drop these by name. */
  readonly clearNames: readonly string[];
  /** Drop all of them (the instance ended). */
  readonly clearAll: boolean;
}

/**
 * One instance within one unit of work (an event's transaction, or a deadline's). `lock` first;
 * `commit` last, in the same transaction; `recordStep` and `recordCompensation` are durable at
 * once (they survive a rollback of the event: a step done is not run again on the retry).
 */
export interface SagaUnit {
  /** Creates the instance with `initialJson` if it does not exist, locks it until the unit ends, returns it. */
  lock(initialJson: string, nowMs: number): Promise<SagaInstanceRow>;
  /** Whether this event was already applied to the instance. */
  applied(eventId: string): Promise<boolean>;
  /** Every recorded step of the instance, in the order they completed. */
  steps(): Promise<SagaStepRow[]>;
  /** The due time of a pending deadline, or `undefined`. */
  deadline(name: string): Promise<number | undefined>;
  /** Records a completed step. */
  recordStep(step: SagaStepRow): Promise<void>;
  /** Records a compensation's outcome. */
  recordCompensation(eventId: string, name: string, status: SagaCompensationStatus, attempts: number, error: string | undefined): Promise<void>;
  /** Writes the next row (only if the version is still `expectedVersion`: false otherwise), the history line and the deadlines. */
  commit(next: SagaInstanceRow, expectedVersion: number, history: SagaHistoryRow, deadlines: SagaDeadlineChanges): Promise<boolean>;
}

/** The registration of a saga with its store: its name, and how to fire its deadlines. */
export interface RegisteredSaga {
  /** The saga's name. */
  readonly sagaName: string;
  /**
   * Fires one due deadline of an instance kept in `persistence`, in `transaction`; `false` when
   * there was nothing to fire. `onDeadlinesSet` gets the deadlines `onTimeout` set, once written
   * (the caller schedules them after its transaction commits).
   */
  [FIRE_DEADLINE](
    persistence: SagaPersistence,
    objectId: string,
    name: string,
    transaction: CactusTransaction | undefined,
    now: number,
    onDeadlinesSet?: (deadlines: readonly SagaDeadlineTrigger[]) => void,
  ): Promise<boolean>;
}

/**
 * Where a store keeps saga instances: the PostgreSQL event store (in the event's transaction) and
 * the test harness's memory. A store exposes it under {@link SAGA_PERSISTENCE}.
 */
export abstract class SagaPersistence {
  /** Opens one instance in `transaction` (the event's; `undefined` for a store without transactions). */
  abstract open(transaction: CactusTransaction | undefined, saga: string, objectId: string): SagaUnit;
  /** Called when a saga is constructed with this store; refuses (CactusConfigError) a store that cannot keep its state transactionally. */
  abstract register(saga: RegisteredSaga): void;
  /** What `store.saga(name, objectId)` shows. */
  abstract snapshot(saga: string, objectId: string): Promise<SagaSnapshot | undefined>;
  /** Where the deadlines of committed events are handed to be triggered at their due time (the store's `sagaDeadlines` option); none by default. */
  deadlineScheduler(): SagaDeadlineScheduler | undefined {
    return undefined;
  }
}

/** The key under which a store exposes its {@link SagaPersistence}. */
export const SAGA_PERSISTENCE: unique symbol = Symbol("cactus.sagaPersistence");

/** The store's {@link SagaPersistence}, when it keeps sagas. */
export function sagaPersistenceOf(store: IdempotencyStore | undefined): SagaPersistence | undefined {
  if (store === undefined) return undefined;
  const persistence: unknown = Reflect.get(store, SAGA_PERSISTENCE);
  return persistence instanceof SagaPersistence ? persistence : undefined;
}
