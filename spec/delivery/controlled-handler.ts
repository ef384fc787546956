import { CactusClient, CactusHandler, type BaseThinEvent, type CactusReceiverOptions, type OrderShippedPushedEvent } from "../../lib";

/**
 * A handler whose `onOrderShipped` can be held open (`hold()` -> `releaseHeld()`) or made to fail,
 * and which counts its runs per event id. Its client points at a closed port (no network).
 */
export class ControlledHandler extends CactusHandler {
  readonly runs = new Map<string, number>();
  readonly successes = new Map<string, number>();
  failuresLeft = 0;
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  #started: (() => void)[] = [];

  constructor(options?: CactusReceiverOptions) {
    super(new CactusClient({ apiKey: "sk_test_controlled", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options);
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

  /** Total runs of `id` (failed or not). */
  runsOf(id: string): number {
    return this.runs.get(id) ?? 0;
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    throw new Error(`unexpected ${event.type} event ${event.id}`);
  }

  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    this.runs.set(event.id, this.runsOf(event.id) + 1);
    for (const wake of this.#started.splice(0)) wake();
    if (this.#gate) await this.#gate;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error(`planned failure of ${event.id}`);
    }
    this.successes.set(event.id, (this.successes.get(event.id) ?? 0) + 1);
  }
}

/** A valid thin order.shipped body for `id`. */
export function shipped(id: string): string {
  return JSON.stringify({ id, type: "order.shipped", related_object: { id: "ord_1", type: "order" } });
}

/** Polls `check` until it is true (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
