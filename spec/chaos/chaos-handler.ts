import type Redis from "ioredis";
import { CactusClient, CactusHandler, type BaseThinEvent, type CactusReceiverOptions } from "../../lib";
import { CHAOS_KEYS } from "./chaos-config";

/**
 * The handler of the chaos runs: every event type goes to `onOther`, which fails at random
 * (`failRate`) and records each run in Redis, so the parent counts effects across processes.
 */
export class ChaosHandler extends CactusHandler {
  readonly #redis: Redis;
  readonly #failRate: number;

  constructor(redis: Redis, failRate: number, options: CactusReceiverOptions) {
    super(new CactusClient({ apiKey: "sk_test_chaos", baseUrl: "http://127.0.0.1:9", maxRetries: 0 }), options);
    this.#redis = redis;
    this.#failRate = failRate;
  }

  override async onOther(event: BaseThinEvent): Promise<void> {
    // As docs/delivery.md asks of a handler: its effect is keyed on the event id, so a run after a
    // SIGKILL that struck between the effect and the commit finds the effect done and succeeds.
    if ((await this.#redis.hexists(CHAOS_KEYS.ok, event.id)) === 1) {
      await this.#redis.hincrby(CHAOS_KEYS.runs, event.id, 1);
      return;
    }
    if (Math.random() < this.#failRate) {
      await this.#redis.hincrby(CHAOS_KEYS.failed, event.id, 1);
      throw new Error(`chaos: planned failure of ${event.id}`);
    }
    // The effect, keyed on the event id. Between it and the commit is the window a SIGKILL can hit.
    await this.#redis.multi().hincrby(CHAOS_KEYS.ok, event.id, 1).hincrby(CHAOS_KEYS.runs, event.id, 1).sadd(CHAOS_KEYS.succeededIn(process.pid), event.id).hsetnx(CHAOS_KEYS.effectAt, event.id, String(Date.now())).exec();
    // Work after the effect widens that window, so a SIGKILL mid-run often lands in it.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  }
}
