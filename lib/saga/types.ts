import type { CactusTransaction } from "../delivery/transaction";
import type { CactusEventContext } from "../observability/event-context";
import type { CactusLogger } from "../observability/logger";
import type { CactusEventType } from "../events/catalog";
import type { SagaDuration } from "./duration";

/** Where a saga instance stands: `running`, or ended by `context.complete()` / `context.fail(reason)` (or a step that failed). */
export type SagaStatus = "running" | "completed" | "failed";

/**
 * What became of a step's compensation:
 * - `compensated`: it ran and resolved (it never runs again);
 * - `failed`: it threw after its retries (the redelivery tries it again);
 * - `started`: it is running now;
 * - `interrupted`: a process died while it ran, so whether it took effect is unknown: it is not run
 *   again (at most once), the instance is flagged for a look;
 * - `missing`: the step ran in an earlier event and the saga has no `compensations` entry of its name.
 */
export type SagaCompensationStatus = "started" | "compensated" | "failed" | "interrupted" | "missing";

/** One step an instance completed (`context.step`), and its compensation if the instance failed. */
export interface SagaStep {
  /** The event (or `timeout:<name>`) whose method ran it. */
  readonly eventId: string;
  /** The step's name. */
  readonly name: string;
  /** What `run` resolved with (JSON); `null` for a step that failed. */
  readonly result: unknown;
  /** Set when `run` still threw after its retries: the step failed the instance. */
  readonly error: string | undefined;
  /** `undefined` while no compensation was asked for. */
  readonly compensation: SagaCompensationStatus | undefined;
  /** How many times the compensation was started. */
  readonly compensationAttempts: number;
  /** The last error of the compensation, if it threw. */
  readonly compensationError: string | undefined;
}

/** What one event (or deadline) did to an instance. */
export type SagaHistoryOutcome = "applied" | "completed" | "failed" | "ignored" | "timeout";

/** One entry of an instance's history, oldest first. */
export interface SagaHistoryEntry {
  /** The event id; `undefined` for a deadline. */
  readonly eventId: string | undefined;
  /** The event type, or `timeout:<name>` for a deadline. */
  readonly type: string;
  /** Which method ran: `onOrderShipped`, `onFinished`, `onTimeout`. */
  readonly handledBy: string;
  /** What it did. */
  readonly outcome: SagaHistoryOutcome;
  /** Whether the event was created before one the instance had already applied. */
  readonly outOfOrder: boolean;
  /** When it was applied. */
  readonly at: Date;
}

/** A pending `context.expect(...)`. */
export interface SagaDeadline {
  /** Its name (the expected type unless named). */
  readonly name: string;
  /** The event type that cancels it. */
  readonly type: string;
  /** When `onTimeout(name, ...)` runs, if no such event arrived. */
  readonly dueAt: Date;
}

/** What `store.saga(name, objectId)` (or the test harness) shows of one instance. */
export interface SagaSnapshot<State = unknown> {
  /** The saga's name. */
  readonly saga: string;
  /** The instance: the related object's id. */
  readonly objectId: string;
  /** The current state. */
  readonly state: State;
  /** See {@link SagaStatus}. */
  readonly status: SagaStatus;
  /** Why it failed (the original failure, never a compensation's). */
  readonly failure: string | undefined;
  /** Incremented by every event and deadline it applied. */
  readonly version: number;
  /** Every step it completed, in order, with their compensations. */
  readonly steps: readonly SagaStep[];
  /** What each event and deadline did, oldest first. */
  readonly history: readonly SagaHistoryEntry[];
  /** The pending deadlines. */
  readonly deadlines: readonly SagaDeadline[];
}

/** Options of `context.step`. */
export interface SagaStepOptions {
  /** How many times `run` is tried again when it throws, before the step fails the instance. Default 2 (3 tries). */
  readonly retries?: number;
}

/** Options of `context.expect`. */
export interface SagaExpectOptions {
  /** How long to wait: ms, or `"3d"`, `"12h"`, `"30m"`, ... */
  readonly within: SagaDuration;
  /** The deadline's name, given to `onTimeout`. Default: the expected type. Expecting a name again moves its deadline. */
  readonly name?: string;
}

/**
 * The third argument of every saga method (and of `onTimeout`): the instance, its steps, its
 * deadlines, and how to end it.
 *
 * @example
 * ```ts
 * override async onOrderShipped(event: OrderShippedPushedEvent, state: Fulfilment, context: SagaContext<Fulfilment>) {
 *   await context.step("notify", () => mailer.shipped(event.relatedObject.id));
 *   context.expect("order.delivery_attempted", { within: "3d" });
 *   return { ...state, shipped: true };
 * }
 * ```
 */
export interface SagaContext<State> {
  /** The saga's name. */
  readonly saga: string;
  /** The instance: the related object's id. */
  readonly objectId: string;
  /** The state the method was given (the one before this event). */
  readonly state: State;
  /** Now, by the saga's clock (the test harness's fake clock in tests). */
  readonly now: Date;
  /** Whether this event was created before one the instance already applied (delivery is not ordered). */
  readonly outOfOrder: boolean;
  /** The event's delivery context (`undefined` in `onTimeout`). */
  readonly delivery: CactusEventContext | undefined;
  /** The database transaction the state is written in, when the store is a transactional event store. */
  readonly transaction: CactusTransaction | undefined;
  /** The receiver's logger, bound to the saga and the instance. */
  readonly logger: CactusLogger;
  /**
   * Runs a step once per event: `run` is tried (with `retries`), its result recorded, and on a
   * retry of the same event the recorded result is returned without running it again. If the
   * instance fails later, `compensate(result)` runs, in reverse order of the steps, at most once.
   * A step that still throws after its retries fails the instance (compensations run). `key` is
   * stable across retries (`<saga>:<objectId>:<eventId>:<name>`): pass it to an external API as
   * its idempotency key. Names are unique within one method call.
   */
  step<R>(name: string, run: (key: string) => Promise<R> | R, compensate?: (result: R, key: string) => Promise<void> | void, options?: SagaStepOptions): Promise<R>;
  /** Ends the instance well: later events go to `onFinished`, its deadlines are dropped. */
  complete(): void;
  /** Ends the instance as failed: the compensations of its steps run in reverse order; `reason` is recorded. */
  fail(reason: string): void;
  /**
   * Calls `onTimeout(name, state, context)` if no event of `type` arrives for this instance
   * `within` the given time. An event of that type cancels it; calling again with the same name
   * moves it.
   */
  expect(type: CactusEventType | (string & {}), options: SagaExpectOptions): void;
  /** Drops a pending deadline by name. */
  cancelDeadline(name: string): void;
}

/**
 * A compensation found by step name, for steps completed by an earlier event (whose
 * `compensate` closure is gone): `compensations = { charge: (result) => payments.refund(result) }`.
 */
export type SagaCompensations = Readonly<Record<string, (result: unknown, key: string) => Promise<void> | void>>;
