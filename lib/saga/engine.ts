import type { CactusTransaction } from "../delivery/transaction";
import { CactusArgumentError, CactusError, CactusSagaError, describeThrown } from "../errors";
import type { BaseThinEvent } from "../events/base";
import { catalogRow, type PushedThinEvent } from "../events/catalog";
import type { CactusEventContext } from "../observability/event-context";
import type { CactusInstrumentation, SagaTransitionKind } from "../observability/instrumentation";
import type { CactusLogger } from "../observability/logger";
import { durationMs } from "./duration";
import { sagaJson } from "./json-state";
import type { SagaDeadlineRow, SagaInstanceRow, SagaPersistence, SagaStepRow, SagaUnit } from "./persistence";
import type { SagaDeadlineTrigger } from "./scheduler";
import type { SagaCompensations, SagaContext, SagaExpectOptions, SagaHistoryOutcome, SagaStepOptions } from "./types";

/** What the engine needs of a saga (CactusSaga implements it). */
export interface SagaDefinition<State> {
  readonly sagaName: string;
  readonly compensations: SagaCompensations;
  initialState(): State;
  objectIdOf(event: PushedThinEvent): string | undefined | Promise<string | undefined>;
  onFinished(event: PushedThinEvent, state: State, context: SagaContext<State>): Promise<void>;
  onTimeout(name: string, state: State, context: SagaContext<State>): Promise<State>;
  onOther(event: BaseThinEvent, context?: CactusEventContext): Promise<void>;
}

/** Counts of what a saga's instances did in this process (see `saga.metrics`). */
export interface SagaMetrics {
  /** Instances created. */
  started: number;
  /** Instances ended by `complete()`. */
  completed: number;
  /** Instances ended by `fail()` or a failed step. */
  failed: number;
  /** Compensations that ran and resolved. */
  compensated: number;
  /** Deadlines that fired (`onTimeout`). */
  timeouts: number;
  /** Events applied to a running instance. */
  applied: number;
}

/** Where one event or deadline runs. */
export interface SagaRunOptions {
  readonly persistence: SagaPersistence;
  readonly transaction: CactusTransaction | undefined;
  readonly logger: CactusLogger;
  readonly now: () => number;
  readonly metrics: SagaMetrics;
  /** Told of each transition (metrics, tracing): the receiver's instrumentation. */
  readonly instrumentation?: CactusInstrumentation | undefined;
  /** Called, once the unit committed its state, with the deadlines it set (what a scheduler triggers). */
  readonly onDeadlinesSet?: ((deadlines: readonly SagaDeadlineTrigger[]) => void) | undefined;
}

const METRIC_OF: Readonly<Record<SagaTransitionKind, keyof SagaMetrics>> = {
  started: "started",
  applied: "applied",
  completed: "completed",
  failed: "failed",
  compensated: "compensated",
  timeout: "timeouts",
};

// One transition: the process's counts, then the instrumentation (whose failure never fails the saga).
function count(options: SagaRunOptions, saga: string, objectId: string, transition: SagaTransitionKind, eventId: string | undefined, detail?: string): void {
  options.metrics[METRIC_OF[transition]] += 1;
  const hook = options.instrumentation?.sagaTransition;
  if (hook === undefined) return;
  try {
    Reflect.apply(hook, options.instrumentation, [{ saga, transition, objectId, eventId, detail }]);
  } catch {
    // A metrics or tracing hook that throws must not undo a committed state change.
  }
}

const DEFAULT_RETRIES = 2;

/** Thrown by `context.step` when `run` still throws after its retries: the instance fails. */
export class SagaStepFailedError extends CactusError {
  declare readonly code: "saga_step_failed";
  /** @param step its name; @param cause the last error */
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super("saga_step_failed", `step ${JSON.stringify(step)} failed: ${cause instanceof Error ? cause.message : typeof cause === "string" ? cause : describeThrown(cause)}`, { cause });
  }
}

/**
 * Applies one event to its saga instance: finds the instance (the event's related object), locks
 * it in the event's transaction, runs the method, its steps and (on failure) the compensations,
 * checks the next state is JSON and writes it with its version, history and deadlines. Resolves
 * with the name of the method that ran. Throws (the event rolls back) on a state that is not JSON,
 * a compensation that failed, a version conflict, or whatever the method threw other than a step's
 * failure.
 */
export async function applySagaEvent<State>(saga: SagaDefinition<State>, event: PushedThinEvent, method: string | undefined, delivery: CactusEventContext | undefined, options: SagaRunOptions): Promise<string> {
  const objectId = method === undefined ? undefined : await saga.objectIdOf(event);
  const fn: unknown = method === undefined ? undefined : Reflect.get(saga, method);
  if (objectId === undefined || method === undefined || typeof fn !== "function") {
    await saga.onOther(event, delivery);
    return "onOther";
  }
  const name = saga.sagaName;
  const unit = options.persistence.open(options.transaction, name, objectId);
  const initialJson = sagaJson(saga.initialState(), { saga: name, objectId, root: "state", what: "initialState()" });
  const nowMs = options.now();
  const row = await unit.lock(initialJson, nowMs);
  if (await unit.applied(event.id)) return `${method} (applied before)`;
  const created = createdMs(event);
  const outOfOrder = created !== undefined && row.newestCreatedMs !== undefined && created < row.newestCreatedMs;
  const newest = created === undefined ? row.newestCreatedMs : Math.max(created, row.newestCreatedMs ?? created);
  const state: State = JSON.parse(row.stateJson);
  const run = new SagaRun<State>(saga, unit, objectId, event.id, state, await unit.steps(), delivery, outOfOrder, options, nowMs);
  if (row.status !== "running") {
    await saga.onFinished(event, state, run.context);
    await commitOrConflict(unit, { ...row, version: row.version + 1, newestCreatedMs: newest }, row, history(event.id, event.type, "onFinished", "ignored", outOfOrder, nowMs), run.deadlineChanges(), name, objectId);
    run.committed();
    return "onFinished";
  }
  run.arrived(event.type);
  let next = state;
  try {
    next = await Reflect.apply(fn, saga, [event, state, run.context]);
  } catch (error) {
    if (!(error instanceof SagaStepFailedError)) throw error;
    run.fail(error.message, error);
  }
  await run.finish(next, row, newest, event.id, event.type, method);
  return method;
}

/**
 * Fires one deadline: locks the instance, checks the deadline is still pending and due, runs
 * `onTimeout` and writes the result with the deadline dropped. Resolves `false` when there was
 * nothing to fire (another worker fired it, or an event cancelled it).
 */
export async function applySagaTimeout<State>(saga: SagaDefinition<State>, objectId: string, deadlineName: string, options: SagaRunOptions): Promise<boolean> {
  const name = saga.sagaName;
  const unit = options.persistence.open(options.transaction, name, objectId);
  const nowMs = options.now();
  const row = await unit.lock(sagaJson(saga.initialState(), { saga: name, objectId, root: "state", what: "initialState()" }), nowMs);
  // Read under the instance's lock: a worker that fired it first has dropped it by now.
  const due = await unit.deadline(deadlineName);
  if (due === undefined || due > nowMs) return false;
  const stepsKey = `timeout:${deadlineName}:${due}`;
  const state: State = JSON.parse(row.stateJson);
  const run = new SagaRun<State>(saga, unit, objectId, stepsKey, state, await unit.steps(), undefined, false, options, nowMs);
  run.cancelDeadline(deadlineName);
  if (row.status !== "running") {
    await commitOrConflict(unit, { ...row, version: row.version + 1 }, row, history(undefined, `timeout:${deadlineName}`, "onTimeout", "ignored", false, nowMs), run.deadlineChanges(), name, objectId);
    run.committed();
    return true;
  }
  let next = state;
  try {
    next = await saga.onTimeout(deadlineName, state, run.context);
  } catch (error) {
    if (!(error instanceof SagaStepFailedError)) throw error;
    run.fail(error.message, error);
  }
  await run.finish(next, row, row.newestCreatedMs, undefined, `timeout:${deadlineName}`, "onTimeout", deadlineName);
  return true;
}

function history(eventId: string | undefined, type: string, handledBy: string, outcome: SagaHistoryOutcome, outOfOrder: boolean, atMs: number) {
  return { eventId, type, handledBy, outcome, outOfOrder, atMs };
}

async function commitOrConflict(unit: SagaUnit, next: SagaInstanceRow, row: SagaInstanceRow, line: ReturnType<typeof history>, deadlines: ReturnType<SagaRun<unknown>["deadlineChanges"]>, saga: string, objectId: string): Promise<void> {
  if (!(await unit.commit(next, row.version, line, deadlines))) {
    throw new CactusSagaError("saga_conflict", `Saga ${saga} instance ${objectId} changed while this event was applied (version ${row.version} moved): rolled back, the redelivery applies it to the new state`, { saga, objectId });
  }
}

// The event's own `created` time, when it carries one.
function createdMs(event: PushedThinEvent): number | undefined {
  const created = event.toJSON()["created"];
  const ms = typeof created === "string" ? Date.parse(created) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** The method the catalog names for `event`, when `saga` overrides it (`undefined`: onOther). */
export function sagaMethodOf(saga: object, base: object, event: PushedThinEvent): string | undefined {
  const name = event.known ? catalogRow(event.type)?.handlerMethod : undefined;
  if (name === undefined) return undefined;
  const method: unknown = Reflect.get(saga, name);
  return typeof method === "function" && method !== Reflect.get(base, name) ? name : undefined;
}

type Compensate = (result: unknown, key: string) => Promise<void> | void;

// One method call on one instance: the context it is given, and what it asked for.
class SagaRun<State> {
  readonly context: SagaContext<State>;
  #ended: "completed" | "failed" | undefined;
  #failure: string | undefined;
  #failureCause: unknown;
  readonly #closures = new Map<string, Compensate>();
  readonly #namesUsed = new Set<string>();
  readonly #set = new Map<string, SagaDeadlineRow>();
  readonly #clearTypes: string[] = [];
  readonly #clearNames: string[] = [];

  constructor(
    private readonly saga: SagaDefinition<State>,
    private readonly unit: SagaUnit,
    private readonly objectId: string,
    private readonly eventKey: string,
    state: State,
    private readonly journal: SagaStepRow[],
    delivery: CactusEventContext | undefined,
    outOfOrder: boolean,
    private readonly options: SagaRunOptions,
    nowMs: number,
  ) {
    const logger = bound(delivery?.logger ?? options.logger, { saga: saga.sagaName, objectId });
    this.context = {
      saga: saga.sagaName,
      objectId,
      state,
      now: new Date(nowMs),
      outOfOrder,
      delivery,
      transaction: options.transaction,
      logger,
      step: (name, run, compensate, stepOptions) => this.step(name, run, compensate, stepOptions),
      complete: () => {
        if (this.#ended === undefined) this.#ended = "completed";
      },
      fail: (reason: string) => this.fail(typeof reason === "string" && reason !== "" ? reason : "failed", undefined),
      expect: (type: string, expectOptions: SagaExpectOptions) => this.expect(type, expectOptions, nowMs),
      cancelDeadline: (name: string) => this.cancelDeadline(name),
    };
  }

  fail(reason: string, cause: unknown): void {
    if (this.#ended === "failed") return;
    this.#ended = "failed";
    this.#failure = reason;
    this.#failureCause = cause;
  }

  arrived(type: string): void {
    this.#clearTypes.push(type);
  }

  cancelDeadline(name: string): void {
    this.#set.delete(name);
    this.#clearNames.push(name);
  }

  // The unit committed: hand the deadlines it set to the scheduler (if any), with their instance.
  committed(): void {
    const set = [...this.#set.values()];
    if (this.options.onDeadlinesSet === undefined || set.length === 0 || this.#ended !== undefined) return;
    this.options.onDeadlinesSet(set.map((deadline) => ({ saga: this.saga.sagaName, objectId: this.objectId, name: deadline.name, dueMs: deadline.dueMs })));
  }

  deadlineChanges() {
    return { set: [...this.#set.values()], clearTypes: this.#clearTypes, clearNames: this.#clearNames, clearAll: this.#ended !== undefined };
  }

  private expect(type: string, options: SagaExpectOptions, nowMs: number): void {
    const within = durationMs(options?.within, "expect within");
    const name = options.name ?? type;
    this.#set.set(name, { name, type, dueMs: nowMs + within });
  }

  private async step<R>(name: string, run: (key: string) => Promise<R> | R, compensate: ((result: R, key: string) => Promise<void> | void) | undefined, stepOptions: SagaStepOptions = {}): Promise<R> {
    const key = `${this.saga.sagaName}:${this.objectId}:${this.eventKey}:${name}`;
    if (this.#namesUsed.has(name)) throw new CactusSagaError("saga_state_invalid", `Saga ${this.saga.sagaName} (instance ${this.objectId}): step ${JSON.stringify(name)} was run twice in one method call; give each step its own name`, { saga: this.saga.sagaName, objectId: this.objectId, field: name });
    this.#namesUsed.add(name);
    const done = this.journal.find((step) => step.eventId === this.eventKey && step.name === name);
    // Failed past its retries on an earlier try of this event: it fails the same way, not run again.
    if (done?.error !== undefined) throw new SagaStepFailedError(name, done.error);
    if (done !== undefined) {
      const result: R = JSON.parse(done.resultJson);
      if (compensate !== undefined) this.#closures.set(name, (value, k) => compensate(JSON.parse(JSON.stringify(value)), k));
      return result;
    }
    const retries = retriesOf(stepOptions.retries, "retries");
    let last: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      let result: R;
      try {
        result = await run(key);
      } catch (error) {
        last = error;
        continue;
      }
      const resultJson = result === undefined ? "null" : sagaJson(result, { saga: this.saga.sagaName, objectId: this.objectId, root: `step ${JSON.stringify(name)} result`, what: `the result of step ${JSON.stringify(name)}` });
      const row: SagaStepRow = { eventId: this.eventKey, name, resultJson, error: undefined, compensation: undefined, compensationAttempts: 0, compensationError: undefined };
      await this.unit.recordStep(row);
      this.journal.push(row);
      if (compensate !== undefined) this.#closures.set(name, (value, k) => compensate(JSON.parse(JSON.stringify(value)), k));
      return result;
    }
    const error = (last instanceof Error ? last.message : describeThrown(last)).slice(0, 2_000);
    const failed: SagaStepRow = { eventId: this.eventKey, name, resultJson: "null", error, compensation: undefined, compensationAttempts: 0, compensationError: undefined };
    await this.unit.recordStep(failed);
    this.journal.push(failed);
    throw new SagaStepFailedError(name, last);
  }

  // The next state and status, the compensations if it failed, then one write.
  async finish(next: State, row: SagaInstanceRow, newest: number | undefined, eventId: string | undefined, type: string, method: string, deadlineName?: string): Promise<void> {
    const name = this.saga.sagaName;
    const stateJson = sagaJson(next, { saga: name, objectId: this.objectId, root: "state", what: `the state ${method} returned` });
    if (this.#ended === "failed") await this.compensate();
    const status = this.#ended ?? "running";
    const outcome: SagaHistoryOutcome = eventId === undefined && this.#ended === undefined ? "timeout" : this.#ended ?? "applied";
    await commitOrConflict(
      this.unit,
      { stateJson, status, version: row.version + 1, failure: this.#failure ?? row.failure, newestCreatedMs: newest },
      row,
      history(eventId, type, method, outcome, this.context.outOfOrder, this.context.now.getTime()),
      this.deadlineChanges(),
      name,
      this.objectId,
    );
    this.committed();
    if (row.version === 0) count(this.options, name, this.objectId, "started", eventId);
    if (eventId !== undefined) count(this.options, name, this.objectId, "applied", eventId);
    else count(this.options, name, this.objectId, "timeout", undefined, deadlineName);
    const fields = { saga: name, objectId: this.objectId, eventId, type, status };
    if (this.#ended === "completed") {
      count(this.options, name, this.objectId, "completed", eventId);
      this.context.logger.info(fields, `saga ${name} ${this.objectId} completed`);
    } else if (this.#ended === "failed") {
      count(this.options, name, this.objectId, "failed", eventId);
      this.context.logger.warn({ ...fields, reason: this.#failure }, `saga ${name} ${this.objectId} failed: ${this.#failure ?? ""}`);
    }
  }

  // Every completed step of the instance not compensated yet, newest first, each at most once.
  private async compensate(): Promise<void> {
    const name = this.saga.sagaName;
    const failures: string[] = [];
    for (const step of [...this.journal].reverse()) {
      if (step.error !== undefined || step.compensation === "compensated" || step.compensation === "interrupted" || step.compensation === "missing") continue;
      const result: unknown = JSON.parse(step.resultJson);
      const key = `${name}:${this.objectId}:${step.eventId}:${step.name}`;
      if (step.compensation === "started") {
        // A process died while it ran: whether it took effect is unknown, so it is not run again.
        await this.unit.recordCompensation(step.eventId, step.name, "interrupted", step.compensationAttempts, step.compensationError);
        this.context.logger.warn({ saga: name, objectId: this.objectId, step: step.name }, `saga ${name} ${this.objectId}: compensation of step ${step.name} was interrupted by a crash; not run again, check it`);
        continue;
      }
      const fn = (step.eventId === this.eventKey ? this.#closures.get(step.name) : undefined) ?? this.#closures.get(step.name) ?? this.saga.compensations[step.name];
      if (fn === undefined) {
        await this.unit.recordCompensation(step.eventId, step.name, "missing", step.compensationAttempts, undefined);
        continue;
      }
      let attempts = step.compensationAttempts;
      let lastError = step.compensationError;
      let ok = false;
      for (let tries = 0; tries <= DEFAULT_RETRIES && !ok; tries++) {
        attempts += 1;
        await this.unit.recordCompensation(step.eventId, step.name, "started", attempts, lastError);
        try {
          await fn(result, key);
          ok = true;
        } catch (error) {
          lastError = (error instanceof Error ? error.message : describeThrown(error)).slice(0, 2_000);
        }
      }
      await this.unit.recordCompensation(step.eventId, step.name, ok ? "compensated" : "failed", attempts, lastError);
      if (ok) count(this.options, name, this.objectId, "compensated", this.eventKey.startsWith("timeout:") ? undefined : this.eventKey, step.name);
      else failures.push(`${step.name}: ${lastError ?? "failed"}`);
    }
    if (failures.length > 0) {
      throw new CactusSagaError(
        "saga_compensation_failed",
        `Saga ${name} instance ${this.objectId} failed (${this.#failure ?? "failed"}), and compensation ${failures.join("; ")} still threw after retries; ` +
          "recorded, the event is rolled back and its redelivery runs the compensations left",
        { saga: name, objectId: this.objectId, cause: this.#failureCause ?? new CactusSagaError("saga_compensation_failed", this.#failure ?? "failed", { saga: name, objectId: this.objectId }) },
      );
    }
  }
}

function retriesOf(value: number | undefined, name: string): number {
  const retries = value ?? DEFAULT_RETRIES;
  if (!Number.isSafeInteger(retries) || retries < 0) throw new CactusArgumentError(name, `step ${name} must be an integer >= 0, got ${String(value)}`);
  return retries;
}

function bound(logger: CactusLogger, fields: Record<string, string>): CactusLogger {
  return typeof logger.child === "function" ? logger.child(fields) : logger;
}
