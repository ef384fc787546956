/**
 * One deadline of one saga instance, as a scheduler sees it: enough to ask the store to fire it
 * (`store.fireSagaDeadline(deadline)`) at its due time. The store's deadline row stays the truth:
 * a trigger for a deadline that was cancelled, moved (another `dueMs`) or fired already fires nothing.
 */
export interface SagaDeadlineTrigger {
  /** The saga's name. */
  readonly saga: string;
  /** The instance: the related object's id. */
  readonly objectId: string;
  /** The deadline's name (given to `onTimeout`). */
  readonly name: string;
  /** When it is due, in ms since the epoch. */
  readonly dueMs: number;
}

/**
 * Where a saga store hands the deadlines that a committed event (or deadline) set, so that
 * something calls the store back at their due time: `SagaDeadlineJobs` from `cactus-sdk/bullmq`
 * (a BullMQ delayed job per deadline). Give it to the store as its `sagaDeadlines` option. It is
 * only a trigger: the deadline rows are written in the event's transaction, and
 * `store.runDueTimeouts()` / `store.startTimeouts()` still fire any deadline whose trigger was lost.
 *
 * @example
 * ```ts
 * const deadlines = new SagaDeadlineJobs(queue);            // cactus-sdk/bullmq
 * const store = new PostgresEventStore({ db, transactional: true, sagaDeadlines: deadlines });
 * ```
 */
export interface SagaDeadlineScheduler {
  /**
   * Deadlines set (or moved) by a unit of work that has committed. Resolves once they are
   * scheduled; a rejection is logged by the caller (the store's poller still fires them).
   */
  scheduleSagaDeadlines(deadlines: readonly SagaDeadlineTrigger[]): Promise<void>;
}

/**
 * What `store.fireSagaDeadline(deadline)` did:
 * - `fired`: `onTimeout` ran and its state was committed with the deadline dropped (or the instance
 *   had ended, recorded as `ignored`);
 * - `gone`: no such deadline is pending (cancelled by an event, moved, the instance ended, or
 *   another worker fired it): nothing ran;
 * - `busy`: an event or another worker holds the instance right now: try again shortly;
 * - `early`: not due yet by this process's clock: try again at `dueMs`.
 */
export type SagaFireOutcome = "fired" | "gone" | "busy" | "early";

/** What fires one deadline on request: `PostgresEventStore` (what `SagaDeadlineJobs.work(store)` calls). */
export interface SagaDeadlineFirer {
  /** Fires `deadline` if it is still pending with that due time and is due; see {@link SagaFireOutcome}. */
  fireSagaDeadline(deadline: SagaDeadlineTrigger): Promise<SagaFireOutcome>;
}

/** Whether `value` has a `scheduleSagaDeadlines` method (checked when a store is given one). */
export function isSagaDeadlineScheduler(value: unknown): value is SagaDeadlineScheduler {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "scheduleSagaDeadlines") === "function";
}
