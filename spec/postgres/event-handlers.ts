import { CactusClient, CactusHandler, type BaseThinEvent, type CactusEventContext, type CactusReceiverOptions } from "../../lib";
import type { OrderDeliveryAttemptedPushedEvent, OrderShippedPushedEvent } from "../../lib";

const quiet = (): void => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };

/** The app's own table the transactional handlers write to. */
export const EFFECTS_TABLE = "app_effects";

/** Creates the app table (one row per effect; `event_id` unique, so a second insert would show). */
export const CREATE_EFFECTS = `CREATE TABLE IF NOT EXISTS ${EFFECTS_TABLE} (event_id text PRIMARY KEY, order_id text NOT NULL, note text)`;

/**
 * A handler whose `order.shipped` method inserts one row through `context.transaction` (when there
 * is one), counts its runs, and can be made to fail after the insert or to hold until released.
 */
export class EffectHandler extends CactusHandler {
  readonly runs = new Map<string, number>();
  readonly transactions: (CactusEventContext["transaction"] | undefined)[] = [];
  failuresLeft = 0;
  /** A note to insert (e.g. one that makes a deferred constraint fail at COMMIT). */
  note: string | null = null;
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  #started: (() => void)[] = [];

  constructor(options?: CactusReceiverOptions) {
    // Silent: the failures these tests provoke are asserted, not printed.
    super(new CactusClient({ apiKey: "sk_test_effects", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), { logger: silent, onError: () => undefined, ...options });
  }

  /** Makes the next runs wait until {@link releaseHeld}. */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  /** Lets held runs finish. */
  releaseHeld(): void {
    this.#open?.();
    this.#gate = undefined;
  }

  /** Resolves once a run has started. */
  started(): Promise<void> {
    return new Promise((resolve) => this.#started.push(resolve));
  }

  runsOf(id: string): number {
    return this.runs.get(id) ?? 0;
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    this.runs.set(event.id, this.runsOf(event.id) + 1);
  }

  override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    this.runs.set(event.id, this.runsOf(event.id) + 1);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent, context: CactusEventContext): Promise<void> {
    this.runs.set(event.id, this.runsOf(event.id) + 1);
    this.transactions.push(context.transaction);
    for (const wake of this.#started.splice(0)) wake();
    await context.transaction?.query(`INSERT INTO ${EFFECTS_TABLE} (event_id, order_id, note) VALUES ($1, $2, $3)`, [event.id, event.relatedObject.id, this.note]);
    if (this.#gate) await this.#gate;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw Object.assign(new Error(`planned failure of ${event.id}`), { code: "PLANNED" });
    }
  }
}

/** A thin event body. */
export function body(id: string, type = "order.shipped", objectId = "ord_1", extra: Record<string, unknown> = {}): string {
  const related = type === "order.lost" ? {} : { related_object: { id: objectId, type: type.startsWith("movie.") ? "movie" : "order" } };
  return JSON.stringify({ id, type, ...related, ...extra });
}

let counter = 0;
/** A fresh event id. */
export const freshId = (prefix = "evt"): string => `${prefix}_${process.pid}_${Date.now()}_${(counter += 1)}`;
