// The saga of the saga chaos run, and the events it gets. The same class runs in the receiver
// processes (on PostgreSQL, its effects written to the app's table) and in the parent's replay (in
// memory, through the saga harness, effects dropped): its decisions depend only on the events and
// the step keys, so a replay of an order's events in the order they were applied must end in the
// state the database holds.
import { CactusClient, type OrderDeliveryAttemptedPushedEvent, type OrderShippedPushedEvent, type PushedThinEvent } from "../../../lib";
import type { CactusReceiverOptions } from "../../../lib/handler";
import { CactusSaga, type SagaContext } from "../../../lib/saga";

/** What the saga keeps per order. `applied` lists the events in the order they were applied. */
export interface ChaosOrder {
  readonly shipped: boolean;
  readonly failedAttempts: number;
  readonly applied: readonly string[];
  readonly steps: readonly string[];
}

/** Where a step's and a compensation's effect goes (keyed by the step's idempotency key). */
export interface ChaosEffects {
  effect(kind: "step" | "compensate", key: string): Promise<void>;
}

/** How rough the receiver is; the replay uses none of it. */
export interface ChaosFaults {
  /** Share of step tries that throw (decided by the step key and the try: the same on every retry of an event). */
  readonly stepFailRate: number;
  /** Share of compensation tries that throw before their effect (random). */
  readonly compensationFailRate: number;
  /** Share of method calls that throw after their step (random): the event rolls back and is redelivered. */
  readonly transientFailRate: number;
  /** Up to this many ms the method holds its transaction open (random). */
  readonly holdMs: number;
}

/** The saga's name in the store. */
export const CHAOS_SAGA = "chaos-orders";

const NO_FAULTS: ChaosFaults = { stepFailRate: 0, compensationFailRate: 0, transientFailRate: 0, holdMs: 0 };

/** A number in [0, 1) from a string (FNV-1a): the same in every process. */
export function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000;
}

/**
 * An order: shipped reserves stock (step `reserve`); each delivery attempt charges a fee (step
 * `charge`); an attempt succeeds when its event id says so (a quarter of them) and completes the
 * order; the third failed attempt fails it. A step that fails past its retry fails the order too;
 * the compensations (`release`, `refund`) then run for every step recorded.
 */
export class ChaosOrders extends CactusSaga<ChaosOrder> {
  override readonly sagaName = CHAOS_SAGA;
  override readonly compensations = {
    reserve: (_result: unknown, key: string) => this.#compensate(key),
    charge: (_result: unknown, key: string) => this.#compensate(key),
  };

  constructor(
    private readonly effects: ChaosEffects,
    options: CactusReceiverOptions = {},
    private readonly faults: ChaosFaults = NO_FAULTS,
  ) {
    super(new CactusClient({ apiKey: "sk_test_chaos", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options);
  }

  override initialState(): ChaosOrder {
    return { shipped: false, failedAttempts: 0, applied: [], steps: [] };
  }

  override async onOrderShipped(event: OrderShippedPushedEvent, state: ChaosOrder, context: SagaContext<ChaosOrder>): Promise<ChaosOrder> {
    const key = await this.#step("reserve", context);
    await this.#rough(event);
    return { ...state, shipped: true, applied: [...state.applied, event.id], steps: [...state.steps, key] };
  }

  override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent, state: ChaosOrder, context: SagaContext<ChaosOrder>): Promise<ChaosOrder> {
    const key = await this.#step("charge", context);
    await this.#rough(event);
    const next = { ...state, applied: [...state.applied, event.id], steps: [...state.steps, key] };
    if (attemptSucceeds(event.id)) {
      context.complete();
      return next;
    }
    const failedAttempts = state.failedAttempts + 1;
    if (failedAttempts >= 3) context.fail("three failed delivery attempts");
    return { ...next, failedAttempts };
  }

  // One retry: a step fails the order when both tries throw.
  async #step(name: "reserve" | "charge", context: SagaContext<ChaosOrder>): Promise<string> {
    let tries = 0;
    return context.step(
      name,
      async (key) => {
        tries += 1;
        if (unitHash(`${key}#${tries}`) < this.faults.stepFailRate) throw new Error(`${name} declined (try ${tries})`);
        await this.effects.effect("step", key);
        return key;
      },
      (_result, key) => this.#compensate(key),
      { retries: 1 },
    );
  }

  async #compensate(key: string): Promise<void> {
    if (Math.random() < this.faults.compensationFailRate) throw new Error(`compensation of ${key} unavailable`);
    await this.effects.effect("compensate", key);
  }

  async #rough(event: PushedThinEvent): Promise<void> {
    if (this.faults.holdMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * this.faults.holdMs));
    if (Math.random() < this.faults.transientFailRate) throw new Error(`transient failure of ${event.id}`);
  }
}

/** Whether a delivery attempt succeeded (a quarter of them), from its event id. */
export function attemptSucceeds(eventId: string): boolean {
  return unitHash(`success:${eventId}`) < 0.25;
}

/** One event of the run. */
export interface ChaosOrderEvent {
  readonly id: string;
  readonly type: "order.shipped" | "order.delivery_attempted";
  readonly orderId: string;
  readonly created: string;
}

/** `orders` orders of 3-5 events each: shipped, then delivery attempts, created a minute apart. */
export function chaosOrderEvents(orders: number, start = Date.UTC(2026, 11, 1)): ChaosOrderEvent[] {
  const events: ChaosOrderEvent[] = [];
  for (let order = 0; order < orders; order++) {
    const orderId = `ord_chaos_${String(order).padStart(5, "0")}`;
    const count = 3 + Math.floor(unitHash(`count:${orderId}`) * 3);
    for (let index = 0; index < count; index++) {
      events.push({
        id: `evt_sagachaos_${String(order).padStart(5, "0")}_${index}`,
        type: index === 0 ? "order.shipped" : "order.delivery_attempted",
        orderId,
        created: new Date(start + order * 1_000 + index * 60_000).toISOString(),
      });
    }
  }
  return events;
}

/** The event's webhook body. */
export function chaosOrderBody(event: ChaosOrderEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, created: event.created, related_object: { id: event.orderId, type: "order" } });
}
