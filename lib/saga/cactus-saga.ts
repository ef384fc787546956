import type { CactusClient, CactusClientOptions } from "../client/cactus-client";
import type { DeliveryContext, DispatchResult, HandleResult } from "../delivery/types";
import type { CactusTransaction } from "../delivery/transaction";
import { CactusConfigError, describeThrown } from "../errors";
import type { BaseThinEvent } from "../events/base";
import type { EventBody } from "../events/json";
import type { CactusEventType, HandlerMethodOf, PushedEventOf, PushedThinEvent } from "../events/catalog";
import type { CactusEventContext } from "../observability/event-context";
import { defaultLogger, type CactusLogger } from "../observability/logger";
import { DISPATCH } from "../pipeline/receiver";
import type { WebhookHeaders } from "../signature/headers";
import type { WebhookRawBody } from "../signature/raw-body";
import { receiverSettings, type CactusReceiverOptions } from "../pipeline/receiver-options";
import { applySagaEvent, applySagaTimeout, sagaMethodOf, type SagaDefinition, type SagaMetrics } from "./engine";
import { CactusSagaDefaultMethods } from "./generated/saga-methods";
import { FIRE_DEADLINE, sagaPersistenceOf, type SagaPersistence } from "./persistence";
import type { SagaDeadlineTrigger } from "./scheduler";
import type { SagaCompensations, SagaContext } from "./types";

const UNSCHEDULED_KEEP = 10_000;

/**
 * One method per catalog type for a saga of `State`, named and typed by the catalog: each gets the
 * event, the instance's state and the saga context and resolves with the next state. `CactusSaga`
 * implements it (its defaults are generated from the catalog, `npm run generate`).
 */
export type CactusSagaMethods<State> = {
  [T in CactusEventType as HandlerMethodOf<T>]: (event: PushedEventOf<T>, state: State, context: SagaContext<State>) => Promise<State>;
};

/**
 * A business process that lives across events, one instance per related object (an order's saga
 * sees that order's events), with its state kept in the event store. Subclass it, give
 * `initialState()`, override the methods of the events the process cares about: each gets
 * `(event, state, context)` and resolves with the next state (a wrong shape does not compile).
 * Register it like any receiver, with a transactional `PostgresEventStore` as `idempotency`: each
 * event's state change commits in the same transaction as the event's "handled" mark, with the
 * instance's row locked, so a redelivery, a crash or two processes never apply an event twice or
 * lose a change.
 *
 * - `context.step(name, run, compensate)`: a recorded step; on failure the compensations run in
 *   reverse, each at most once.
 * - `context.expect(type, { within: "3d" })`: `onTimeout(name, state, context)` if no such event came.
 * - `context.complete()` / `context.fail(reason)`: ends the instance; later events go to `onFinished`.
 * - Events without a related object (and types not overridden) go to `onOther`, outside any instance.
 *
 * @example
 * ```ts
 * interface Delivery { readonly failedAttempts: number; readonly refunded: boolean }
 * class Fulfilment extends CactusSaga<Delivery> {
 *   override initialState(): Delivery { return { failedAttempts: 0, refunded: false }; }
 *   override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent, state: Delivery, context: SagaContext<Delivery>): Promise<Delivery> {
 *     const { data } = await event.pull();
 *     if (data.success) { context.complete(); return state; }
 *     const failedAttempts = state.failedAttempts + 1;
 *     if (failedAttempts < 3) return { ...state, failedAttempts };
 *     await context.step("refund", (key) => payments.refund(context.objectId, key));
 *     context.complete();
 *     return { failedAttempts, refunded: true };
 *   }
 * }
 * const store = new PostgresEventStore({ db: pool, transactional: true });
 * createNodeMiddleware(new Fulfilment(client, { idempotency: store }), { webhookSecret });
 * ```
 */
export abstract class CactusSaga<State> extends CactusSagaDefaultMethods<State> implements CactusSagaMethods<State>, SagaDefinition<State> {
  /** The saga's name: the key of its instances in the store. Default: the class name; set it (`override readonly sagaName = "fulfilment"`) to rename the class freely. */
  readonly sagaName: string;
  /**
   * Compensations by step name, for steps an earlier event completed (their `compensate` closure
   * is gone when a later event fails the instance). A step of the failing call itself uses the
   * closure given to `context.step`.
   */
  readonly compensations: SagaCompensations = {};
  /** What this saga's instances did in this process: started, completed, failed, compensated, timeouts, applied. */
  readonly metrics: SagaMetrics = { started: 0, completed: 0, failed: 0, compensated: 0, timeouts: 0, applied: 0 };
  readonly #persistence: SagaPersistence | undefined;
  // Deadlines set by an event whose transaction has not committed yet, by event id (see #scheduled).
  readonly #unscheduled = new Map<string, readonly SagaDeadlineTrigger[]>();

  /**
   * @param client a `CactusClient` (or its options): events are bound to it, so `pull()` works
   * @param options the receiver's options; `idempotency` must be a transactional `PostgresEventStore`
   *   (a store that cannot keep saga state throws `CactusConfigError` here)
   */
  constructor(client: CactusClient | CactusClientOptions, options: CactusReceiverOptions = {}) {
    super(client, options);
    this.sagaName = new.target.name;
    const store = receiverSettings(this)?.idempotency;
    this.#persistence = sagaPersistenceOf(store);
    if (store !== undefined && this.#persistence === undefined) {
      throw new CactusConfigError(
        `${new.target.name} is a saga: its state lives in the event store. Pass idempotency: new PostgresEventStore({ db, transactional: true }) (from cactus-sdk/postgres), not ${store.constructor.name}`,
      );
    }
    this.#persistence?.register(this);
  }

  /** The state of a new instance (the first event of a related object). Plain JSON. */
  abstract initialState(): State;

  /** Which instance an event belongs to. Default: its related object's id (`undefined`: `onOther`). */
  objectIdOf(event: PushedThinEvent): string | undefined | Promise<string | undefined> {
    return event.relatedObject?.id;
  }

  /** An event for an instance that already completed or failed. Default: ignored (and recorded in its history). */
  async onFinished(event: PushedThinEvent, state: State, context: SagaContext<State>): Promise<void> {
    void event;
    void state;
    void context;
  }

  /** A deadline of `context.expect` passed with no such event. Resolves with the next state. Default: the state unchanged. */
  async onTimeout(name: string, state: State, context: SagaContext<State>): Promise<State> {
    void name;
    void context;
    return state;
  }

  /** Events outside any instance: without a related object, of a type this saga does not override, or unknown. Default: ignored. */
  async onOther(event: BaseThinEvent, context?: CactusEventContext): Promise<void> {
    void event;
    void context;
  }

  /** Applies one event to its instance, in the event's transaction. */
  override async [DISPATCH](event: PushedThinEvent, context: CactusEventContext): Promise<DispatchResult> {
    const method = sagaMethodOf(this, CactusSaga.prototype, event);
    if (method === undefined) {
      await this.onOther(event, context);
      return { handlers: ["onOther"] };
    }
    const persistence = this.#required();
    const scheduler = persistence.deadlineScheduler();
    const handledBy = await applySagaEvent(this, event, method, context, {
      persistence,
      transaction: context.transaction,
      logger: context.logger,
      now: Date.now,
      metrics: this.metrics,
      instrumentation: receiverSettings(this)?.observability.instrumentation,
      onDeadlinesSet: scheduler === undefined ? undefined : (deadlines) => this.#remember(event.id, deadlines),
    });
    return { handlers: [handledBy] };
  }

  /** Fires one due deadline (the store's `runDueTimeouts` calls it, in its transaction). */
  [FIRE_DEADLINE](
    persistence: SagaPersistence,
    objectId: string,
    name: string,
    transaction: CactusTransaction | undefined,
    now: number,
    onDeadlinesSet?: (deadlines: readonly SagaDeadlineTrigger[]) => void,
  ): Promise<boolean> {
    return applySagaTimeout(this, objectId, name, {
      persistence,
      transaction,
      logger: this.#logger(),
      now: () => now,
      metrics: this.metrics,
      instrumentation: receiverSettings(this)?.observability.instrumentation,
      onDeadlinesSet,
    });
  }

  /** Applies the event as every receiver does; then, once its transaction committed, schedules the deadlines it set (with the store's `sagaDeadlines`). */
  override receive(body: EventBody, context?: DeliveryContext): Promise<HandleResult> {
    return this.#scheduled(super.receive(body, context));
  }

  /** Verifies and applies the delivery as every receiver does; then schedules the deadlines it set (see `receive`). */
  override handleWebhook(rawBody: WebhookRawBody, headers: WebhookHeaders): Promise<HandleResult> {
    return this.#scheduled(super.handleWebhook(rawBody, headers));
  }

  #remember(eventId: string, deadlines: readonly SagaDeadlineTrigger[]): void {
    this.#unscheduled.delete(eventId);
    this.#unscheduled.set(eventId, deadlines);
    // An attempt that rolled back leaves its entry: the oldest go (the store's poller is the safety net).
    if (this.#unscheduled.size > UNSCHEDULED_KEEP) {
      const oldest = this.#unscheduled.keys().next().value;
      if (oldest !== undefined) this.#unscheduled.delete(oldest);
    }
  }

  // The delivery resolved: its transaction committed, so its deadline rows exist; trigger them.
  // A scheduler that fails is logged, never fails the delivery: the rows stay and the poller fires them.
  async #scheduled(delivery: Promise<HandleResult>): Promise<HandleResult> {
    const result = await delivery;
    if (this.#unscheduled.size === 0) return result;
    const deadlines = this.#unscheduled.get(result.event.id);
    if (deadlines === undefined) return result;
    this.#unscheduled.delete(result.event.id);
    const scheduler = this.#persistence?.deadlineScheduler();
    if (result.outcome !== "handled" || scheduler === undefined) return result;
    try {
      await scheduler.scheduleSagaDeadlines(deadlines);
    } catch (error) {
      this.#logger().warn(
        { saga: this.sagaName, objectId: deadlines[0]?.objectId, err: error },
        `saga ${this.sagaName}: could not schedule ${deadlines.length} deadline(s) (${describeThrown(error).slice(0, 200)}); store.startTimeouts() fires them when due`,
      );
    }
    return result;
  }

  #required(): SagaPersistence {
    if (this.#persistence === undefined) {
      throw new CactusConfigError(
        `${this.sagaName} has no event store: construct it with { idempotency: new PostgresEventStore({ db, transactional: true }) } (cactus-sdk/postgres), or test it with sagaTest() from cactus-sdk/testing`,
      );
    }
    return this.#persistence;
  }

  #logger(): CactusLogger {
    return receiverSettings(this)?.observability.logger ?? defaultLogger;
  }
}
