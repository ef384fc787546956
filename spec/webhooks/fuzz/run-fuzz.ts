import fc from "fast-check";
import { CactusError } from "../../../lib";
import { webhookStatusTable } from "../../../lib/webhooks";
import { createWebhookCore } from "../../../lib/webhooks/core";
import { resolveWebhookOptions } from "../../../lib/webhooks/options";
import { SECRET } from "../helpers/fixtures";
import { fuzzDelivery } from "./arbitraries";
import { CountingHandler } from "./counting-handler";

/** What a fuzz run measured. */
export interface FuzzReport {
  readonly runs: number;
  readonly handled: number;
  readonly rejected: number;
  readonly heapGrowthBytes: number | undefined;
}

const tableStatuses = new Set<number>(Object.values(webhookStatusTable));

/**
 * Sends `runs` generated deliveries through verify + parse + dispatch twice: `handleWebhook`
 * (only CactusError may escape) and the middleware core (only statuses of the table, 2xx only
 * for a valid signature). Checks that Object.prototype stays clean after each. When `gc` is
 * exposed, measures heap growth between a warmed-up start and the end.
 */
export async function runFuzz(runs: number, seed?: number): Promise<FuzzReport> {
  const handler = new CountingHandler({ webhookSecret: SECRET });
  const core = createWebhookCore(handler, resolveWebhookOptions(handler, { secret: SECRET, onError: () => undefined }, undefined, "fuzz"));
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).join(",");
  const gc = typeof global.gc === "function" ? global.gc : undefined;
  const warmup = Math.min(1000, Math.floor(runs / 10));
  let heapAtStart: number | undefined;
  let done = 0;
  let handled = 0;
  let rejected = 0;

  await fc.assert(
    fc.asyncProperty(fuzzDelivery, async (delivery) => {
      if (done === warmup && gc) {
        gc();
        heapAtStart = process.memoryUsage().heapUsed;
      }
      done += 1;
      const before = handler.count;
      try {
        await handler.handleWebhook(delivery.body, delivery.headers);
        handled += 1;
        if (delivery.signed === false) throw new Error("an unsigned delivery was handled");
        if (handler.count !== before + 1) throw new Error("handled without exactly one dispatch");
      } catch (error) {
        if (!(error instanceof CactusError)) throw error;
        rejected += 1;
        if (handler.count !== before && error.code !== "handler_failed") throw new Error(`dispatched, then rejected with ${error.code}`);
      }
      const answer = await core.answer({
        method: "POST",
        url: "/webhooks",
        headers: { ...delivery.headers, "content-type": "application/json" },
        readBody: async () => delivery.body,
      });
      if (!tableStatuses.has(answer.status)) throw new Error(`status ${answer.status} is not in the table`);
      if (answer.status === 200 && delivery.signed === false) throw new Error("the core answered 200 to an unsigned delivery");
      if (answer.body.includes(SECRET.slice(6))) throw new Error("an answer contains the secret");
      const probe: Record<string, unknown> = {};
      if (Object.getOwnPropertyNames(Object.prototype).join(",") !== prototypeNames || probe["polluted"] !== undefined) {
        throw new Error("Object.prototype was polluted");
      }
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );

  let heapGrowthBytes: number | undefined;
  if (gc && heapAtStart !== undefined) {
    gc();
    heapGrowthBytes = process.memoryUsage().heapUsed - heapAtStart;
  }
  return { runs, handled, rejected, heapGrowthBytes };
}
