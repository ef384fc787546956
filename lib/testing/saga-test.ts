import { isDeepStrictEqual, inspect } from "node:util";
import { DELIVERY_RUNNER, DeliveryRunner } from "../delivery/delivery-runner";
import type { CactusTransaction } from "../delivery/transaction";
import { CactusConfigError, CactusSagaError } from "../errors";
import type { BaseFullEvent, CactusEventSource } from "../events/base";
import { eventCatalog, isKnownEventType, type CactusEventType, type PushedThinEvent } from "../events/catalog";
import type { Movie, Order } from "../events/related-objects";
import { parseFullEvent, parseThinEvent } from "../events/parse";
import { defaultLogger } from "../observability/logger";
import type { EventStoreDb } from "../postgres/database";
import { PostgresEventStore } from "../postgres/postgres-event-store";
import { CactusSaga } from "../saga/cactus-saga";
import { durationMs, type SagaDuration } from "../saga/duration";
import { applySagaEvent, applySagaTimeout, sagaMethodOf, type SagaMetrics } from "../saga/engine";
import { MemorySagaPersistence } from "../saga/memory-persistence";
import { SAGA_PERSISTENCE, type SagaPersistence } from "../saga/persistence";
import type { SagaSnapshot, SagaStatus } from "../saga/types";
import { wireFullEvent, type WireDataOverrides } from "./create-event";

/**
 * An event for {@link sagaTest}: its type, the instance it belongs to and the data `pull()` gives.
 *
 * @example
 * ```ts
 * const attempt: SagaTestEvent<"order.delivery_attempted"> = { type: "order.delivery_attempted", objectId: "ord_1", data: { success: false } };
 * ```
 */
export interface SagaTestEvent<T extends string = string> {
  /** The event type. */
  readonly type: T;
  /** The related object's id (default: the fixture's, `ord_456` or `mov_789`); ignored for types without one. */
  readonly objectId?: string;
  /** The event id. Default: `evt_saga_<n>`. */
  readonly id?: string;
  /** What `event.pull()` gives as `data`, merged over the fixture's (wire names). */
  readonly data?: WireDataOverrides<T>;
}

/**
 * Builds a {@link SagaTestEvent}, typed by its type (data fields with completion).
 *
 * @example
 * ```ts
 * sagaTest(saga).given(sagaEvent("order.shipped", { objectId: "ord_1" }), sagaEvent("order.delivery_attempted", { objectId: "ord_1", data: { success: true } }));
 * ```
 */
export function sagaEvent<T extends CactusEventType | (string & {})>(type: T, options: Omit<SagaTestEvent<T>, "type"> = {}): SagaTestEvent<T> {
  return { type, ...options };
}

/** Options of {@link sagaTest}. */
export interface SagaTestOptions {
  /** The fake clock's start. Default 2026-01-01T00:00:00Z. */
  readonly now?: Date;
  /** Run on this database (a `new PGlite()`): through a transactional `PostgresEventStore`, as in production. Default: memory. */
  readonly db?: EventStoreDb;
  /** With `db`: the schema of the store's tables (default `"cactus"`); a fresh one per test keeps tests apart on one database. */
  readonly schema?: string;
  /** Serves `fetchRelatedObject()` (e.g. a client of `startEmulator()`). */
  readonly source?: CactusEventSource;
}

/** What a finished {@link sagaTest} chain resolves with. */
export interface SagaTestResult<State> {
  /** The instance of `objectId` (default: the only one). */
  instance(objectId?: string): Promise<SagaSnapshot<State>>;
  /** The errors of the events given with `attempt` (in order). */
  readonly errors: readonly { readonly eventId: string; readonly error: unknown }[];
  /** The saga's counters. */
  readonly metrics: SagaMetrics;
  /** The fake clock now. */
  readonly now: Date;
}

type Step<State> = (run: SagaTestRun<State>) => Promise<void>;

/**
 * A typed test of one saga subclass: give it events, move the fake clock, and check the state,
 * status, steps and compensations. It runs the saga's real engine, in memory (default) or on a
 * database (`{ db: new PGlite() }`, through a transactional event store). Chain calls, then
 * `await` the chain: it rejects with `CactusSagaError` (`saga_expectation_failed`) on the first
 * expectation that does not hold, showing both sides.
 *
 * @example
 * ```ts
 * await sagaTest(new Fulfilment(client, services))
 *   .given(sagaEvent("order.shipped", { objectId: "ord_1" }))
 *   .advance("3d")
 *   .expectState({ notified: true, ticket: true }, "ord_1")
 *   .expectStatus("running", "ord_1");
 * ```
 */
export function sagaTest<State>(saga: CactusSaga<State>, options: SagaTestOptions = {}): SagaTest<State> {
  return new SagaTest(saga, options, []);
}

/** The chain {@link sagaTest} returns; `await` it to run it. */
export class SagaTest<State> implements PromiseLike<SagaTestResult<State>> {
  /** @internal */
  constructor(
    private readonly saga: CactusSaga<State>,
    private readonly options: SagaTestOptions,
    private readonly steps: readonly Step<State>[],
  ) {}

  #then(step: Step<State>): SagaTest<State> {
    return new SagaTest(this.saga, this.options, [...this.steps, step]);
  }

  /** Applies these events, in order; one that throws rejects the chain (use `attempt` to expect it). */
  given(...events: readonly (SagaTestEvent | PushedThinEvent)[]): SagaTest<State> {
    return this.#then(async (run) => {
      for (const event of events) await run.apply(event, false);
    });
  }

  /** Applies these events, recording what each throws in `errors` instead of rejecting. */
  attempt(...events: readonly (SagaTestEvent | PushedThinEvent)[]): SagaTest<State> {
    return this.#then(async (run) => {
      for (const event of events) await run.apply(event, true);
    });
  }

  /** Moves the fake clock on and fires the deadlines due by then, in order. */
  advance(duration: SagaDuration): SagaTest<State> {
    return this.#then((run) => run.advance(durationMs(duration, "advance")));
  }

  /** The state of the instance equals `expected` (deep equality). */
  expectState(expected: State, objectId?: string): SagaTest<State> {
    return this.#then(async (run) => check("state", (await run.instance(objectId)).state, expected));
  }

  /** The status of the instance. */
  expectStatus(expected: SagaStatus, objectId?: string): SagaTest<State> {
    return this.#then(async (run) => check("status", (await run.instance(objectId)).status, expected));
  }

  /** The names of the steps the instance completed, in order. */
  expectSteps(expected: readonly string[], objectId?: string): SagaTest<State> {
    return this.#then(async (run) => check("steps", (await run.instance(objectId)).steps.filter((step) => step.error === undefined).map((step) => step.name), expected));
  }

  /** The names of the steps compensated, in the order they were (newest step first). */
  expectCompensated(expected: readonly string[], objectId?: string): SagaTest<State> {
    return this.#then(async (run) => check("compensated", run.compensated(await run.instance(objectId)), expected));
  }

  /** The names of the pending deadlines. */
  expectDeadlines(expected: readonly string[], objectId?: string): SagaTest<State> {
    return this.#then(async (run) => check("deadlines", (await run.instance(objectId)).deadlines.map((deadline) => deadline.name), expected));
  }

  /** Resolves with the result once every step ran. */
  then<A = SagaTestResult<State>, B = never>(onFulfilled?: ((value: SagaTestResult<State>) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.run().then(onFulfilled, onRejected);
  }

  /** Runs the chain. */
  async run(): Promise<SagaTestResult<State>> {
    const run = await SagaTestRun.start(this.saga, this.options);
    for (const step of this.steps) await step(run);
    return run.result();
  }
}

function check(what: string, actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new CactusSagaError("saga_expectation_failed", `expected ${what} ${inspect(expected, { depth: 8 })}, got ${inspect(actual, { depth: 8 })}`, { saga: "sagaTest" });
  }
}

// One run of a chain: the clock, the persistence, the events' data.
class SagaTestRun<State> {
  #now: number;
  #counter = 0;
  readonly errors: { eventId: string; error: unknown }[] = [];
  readonly #full = new Map<string, BaseFullEvent>();
  readonly #order: string[] = [];

  private constructor(
    private readonly saga: CactusSaga<State>,
    private readonly options: SagaTestOptions,
    private readonly persistence: SagaPersistence,
    private readonly store: PostgresEventStore | undefined,
  ) {
    this.#now = (options.now ?? new Date("2026-01-01T00:00:00.000Z")).getTime();
  }

  static async start<State>(saga: CactusSaga<State>, options: SagaTestOptions): Promise<SagaTestRun<State>> {
    if (options.db === undefined) return new SagaTestRun(saga, options, new MemorySagaPersistence(), undefined);
    const store = new PostgresEventStore({ db: options.db, transactional: true, ...(options.schema === undefined ? {} : { schema: options.schema }) });
    await store.migrate();
    const persistence = store[SAGA_PERSISTENCE];
    persistence.register(saga);
    return new SagaTestRun(saga, options, persistence, store);
  }

  get #source(): CactusEventSource {
    const fallback = this.options.source;
    const full = this.#full;
    return {
      async retrieveEvent(id: string): Promise<BaseFullEvent> {
        const found = full.get(id);
        if (found !== undefined) return found;
        if (fallback !== undefined) return fallback.retrieveEvent(id);
        throw new CactusConfigError(`sagaTest has no event ${id}: give it with sagaEvent(type, { data })`);
      },
      retrieveOrder(id: string): Promise<Order> {
        if (fallback !== undefined) return fallback.retrieveOrder(id);
        return Promise.reject(new CactusConfigError(`sagaTest cannot fetch order ${id}: pass { source } (e.g. a client of startEmulator()) to sagaTest`));
      },
      retrieveMovie(id: string): Promise<Movie> {
        if (fallback !== undefined) return fallback.retrieveMovie(id);
        return Promise.reject(new CactusConfigError(`sagaTest cannot fetch movie ${id}: pass { source } (e.g. a client of startEmulator()) to sagaTest`));
      },
    };
  }

  #event(input: SagaTestEvent | PushedThinEvent): PushedThinEvent {
    if (!("objectId" in input || "data" in input) && "known" in input) return input;
    const id = input.id ?? `evt_saga_${++this.#counter}`;
    const kind = isKnownEventType(input.type) ? eventCatalog[input.type].relatedObject : undefined;
    const related = kind === null || kind === undefined ? undefined : { id: input.objectId ?? (kind === "order" ? "ord_456" : "mov_789"), type: kind };
    const wire = wireFullEvent(input.type, { id, ...(related === undefined ? {} : { related_object: related }), ...("data" in input && input.data !== undefined ? { data: input.data } : {}) }, "sagaEvent");
    this.#full.set(id, parseFullEvent(wire, "test event"));
    return parseThinEvent(related === undefined ? { id, type: input.type } : { id, type: input.type, related_object: related }, this.#source);
  }

  async apply(input: SagaTestEvent | PushedThinEvent, record: boolean): Promise<void> {
    const event = this.#event(input);
    const method = sagaMethodOf(this.saga, CactusSaga.prototype, event);
    const run = (transaction: CactusTransaction | undefined) =>
      method === undefined
        ? this.saga.onOther(event).then(() => "onOther")
        : applySagaEvent(this.saga, event, method, undefined, { persistence: this.persistence, transaction, logger: defaultLogger, now: () => this.#now, metrics: this.saga.metrics });
    try {
      if (this.store === undefined) await run(undefined);
      else {
        const runner: DeliveryRunner = this.store[DELIVERY_RUNNER];
        await runner.run(event, { source: "direct", leaseMs: 60_000 }, async (tx) => ({ handlers: [await run(tx)] }), () => undefined);
      }
      const objectId = event.relatedObject?.id;
      if (objectId !== undefined && !this.#order.includes(objectId)) this.#order.push(objectId);
    } catch (error) {
      if (!record) throw error;
      this.errors.push({ eventId: event.id, error });
    }
  }

  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      const next = await this.#nextDue(until);
      if (next === undefined) break;
      this.#now = Math.max(this.#now, next.dueMs);
      if (this.store !== undefined) {
        let failure: unknown;
        const { fired } = await this.store.runDueTimeouts({ now: new Date(this.#now), onError: (error) => (failure ??= error) });
        if (failure !== undefined) throw failure;
        if (fired === 0) throw new CactusConfigError(`sagaTest: the deadline ${next.name} of ${next.objectId} is due but did not fire`);
      } else await applySagaTimeout(this.saga, next.objectId, next.name, { persistence: this.persistence, transaction: undefined, logger: defaultLogger, now: () => this.#now, metrics: this.saga.metrics });
    }
    this.#now = until;
  }

  async #nextDue(until: number): Promise<{ objectId: string; name: string; dueMs: number } | undefined> {
    if (this.persistence instanceof MemorySagaPersistence) return this.persistence.due(this.saga.sagaName, until)[0];
    let best: { objectId: string; name: string; dueMs: number } | undefined;
    for (const objectId of this.#order) {
      for (const deadline of (await this.persistence.snapshot(this.saga.sagaName, objectId))?.deadlines ?? []) {
        const dueMs = deadline.dueAt.getTime();
        if (dueMs <= until && (best === undefined || dueMs < best.dueMs)) best = { objectId, name: deadline.name, dueMs };
      }
    }
    return best;
  }

  async instance(objectId?: string): Promise<SagaSnapshot<State>> {
    const ids = this.#order;
    const id = objectId ?? (ids.length === 1 ? ids[0] : undefined);
    if (id === undefined) throw new CactusConfigError(`sagaTest has ${ids.length} instances (${ids.join(", ")}): name the object id`);
    const found = await this.persistence.snapshot(this.saga.sagaName, id);
    if (found === undefined) throw new CactusSagaError("saga_expectation_failed", `saga ${this.saga.sagaName} has no instance for ${id}`, { saga: this.saga.sagaName, objectId: id });
    return found as SagaSnapshot<State>;
  }

  compensated(snapshot: SagaSnapshot<State>): string[] {
    return snapshot.steps.filter((step) => step.compensation === "compensated").map((step) => step.name).reverse();
  }

  result(): SagaTestResult<State> {
    return { instance: (objectId) => this.instance(objectId), errors: this.errors, metrics: this.saga.metrics, now: new Date(this.#now) };
  }
}
