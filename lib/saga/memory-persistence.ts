import type { CactusTransaction } from "../delivery/transaction";
import { SagaPersistence, type RegisteredSaga, type SagaDeadlineChanges, type SagaDeadlineRow, type SagaHistoryRow, type SagaInstanceRow, type SagaStepRow, type SagaUnit } from "./persistence";
import type { SagaCompensationStatus, SagaSnapshot } from "./types";

interface MemoryInstance {
  row: SagaInstanceRow;
  readonly history: SagaHistoryRow[];
  readonly steps: SagaStepRow[];
  readonly deadlines: Map<string, SagaDeadlineRow>;
  readonly applied: Set<string>;
}

/**
 * Saga instances in memory, for the test harness (`sagaTest`): the same engine as the event store,
 * without a database. Events are applied one at a time; a method that throws leaves the state,
 * history and deadlines as they were (as a rollback would) while its completed steps stay recorded.
 */
export class MemorySagaPersistence extends SagaPersistence {
  readonly #instances = new Map<string, MemoryInstance>();

  /** @inheritdoc */
  open(_transaction: CactusTransaction | undefined, saga: string, objectId: string): SagaUnit {
    const key = `${saga}\0${objectId}`;
    const instances = this.#instances;
    let pendingNew: MemoryInstance | undefined;
    const current = (): MemoryInstance | undefined => instances.get(key) ?? pendingNew;
    return {
      async lock(initialJson) {
        const found = instances.get(key);
        if (found !== undefined) return found.row;
        pendingNew = { row: { stateJson: initialJson, status: "running", version: 0, failure: undefined, newestCreatedMs: undefined }, history: [], steps: [], deadlines: new Map(), applied: new Set() };
        return pendingNew.row;
      },
      async applied(eventId) {
        return current()?.applied.has(eventId) ?? false;
      },
      async steps() {
        return [...(current()?.steps ?? [])];
      },
      async deadline(name) {
        return current()?.deadlines.get(name)?.dueMs;
      },
      async recordStep(step) {
        // Durable at once, like the store's journal: kept even if the event is rolled back.
        const instance = current();
        if (instance === undefined) return;
        if (!instances.has(key)) instances.set(key, instance);
        instance.steps.push(step);
      },
      async recordCompensation(eventId, name, status: SagaCompensationStatus, attempts, error) {
        const instance = current();
        if (instance === undefined) return;
        const index = instance.steps.findIndex((step) => step.eventId === eventId && step.name === name);
        const step = instance.steps[index];
        if (step !== undefined) instance.steps[index] = { ...step, compensation: status, compensationAttempts: attempts, compensationError: error };
      },
      async commit(next, expectedVersion, line, changes: SagaDeadlineChanges) {
        const instance = current();
        if (instance === undefined || instance.row.version !== expectedVersion) return false;
        instance.row = next;
        instance.history.push(line);
        if (line.eventId !== undefined) instance.applied.add(line.eventId);
        applyDeadlines(instance.deadlines, changes);
        instances.set(key, instance);
        return true;
      },
    };
  }

  /** Nothing to check: memory keeps any saga. */
  register(_saga: RegisteredSaga): void {}

  /** @inheritdoc */
  async snapshot(saga: string, objectId: string): Promise<SagaSnapshot | undefined> {
    const instance = this.#instances.get(`${saga}\0${objectId}`);
    if (instance === undefined || instance.row.version === 0) return undefined;
    return snapshotOf(saga, objectId, instance.row, instance.steps, instance.history, [...instance.deadlines.values()]);
  }

  /** The pending deadlines due at `nowMs`, earliest first. */
  due(saga: string, nowMs: number): { objectId: string; name: string; dueMs: number }[] {
    const found: { objectId: string; name: string; dueMs: number }[] = [];
    for (const [key, instance] of this.#instances) {
      const [name, objectId] = key.split("\0");
      if (name !== saga || objectId === undefined) continue;
      for (const deadline of instance.deadlines.values()) if (deadline.dueMs <= nowMs) found.push({ objectId, name: deadline.name, dueMs: deadline.dueMs });
    }
    return found.sort((a, b) => a.dueMs - b.dueMs);
  }

  /** Every instance's object id of `saga`. */
  objectIds(saga: string): string[] {
    return [...this.#instances.keys()].filter((key) => key.startsWith(`${saga}\0`)).map((key) => key.slice(saga.length + 1));
  }
}

/** Applies an event's deadline changes: clears first, then sets (an event may expect its own type again). */
export function applyDeadlines(deadlines: Map<string, SagaDeadlineRow>, changes: SagaDeadlineChanges): void {
  if (changes.clearAll) deadlines.clear();
  for (const [name, deadline] of deadlines) if (changes.clearTypes.includes(deadline.type) || changes.clearNames.includes(name)) deadlines.delete(name);
  if (!changes.clearAll) for (const deadline of changes.set) deadlines.set(deadline.name, deadline);
}

/** The public view of one instance. */
export function snapshotOf(saga: string, objectId: string, row: SagaInstanceRow, steps: readonly SagaStepRow[], history: readonly SagaHistoryRow[], deadlines: readonly SagaDeadlineRow[]): SagaSnapshot {
  return {
    saga,
    objectId,
    state: JSON.parse(row.stateJson),
    status: row.status,
    failure: row.failure,
    version: row.version,
    steps: steps.map((step) => ({
      eventId: step.eventId,
      name: step.name,
      result: JSON.parse(step.resultJson),
      error: step.error,
      compensation: step.compensation,
      compensationAttempts: step.compensationAttempts,
      compensationError: step.compensationError,
    })),
    history: history.map((line) => ({ eventId: line.eventId, type: line.type, handledBy: line.handledBy, outcome: line.outcome, outOfOrder: line.outOfOrder, at: new Date(line.atMs) })),
    deadlines: deadlines.map((deadline) => ({ name: deadline.name, type: deadline.type, dueAt: new Date(deadline.dueMs) })).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()),
  };
}
