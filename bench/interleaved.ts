// The interleaved mode: every case of a suite runs in the same process, in short turns one after
// the other (a batch of each, then the next case), as an application that uses several entries
// (stripe, octokit, cactus `handle`, a router, `handleWebhook`, `verifyWebhook`) runs them. Each
// round starts with fresh deliveries (new header objects, a new timestamp), so no case sees only
// the one object shape it was warmed up with. Figures are ratios to the baseline's time in the
// same turns; the median over rounds is reported, with the spread (min-max) of the rounds.
import { BENCH } from "./options";
import { median } from "./targets";
import type { BenchResult } from "./harness";

/** A case of the interleaved mode: `fn` runs one operation; `refresh` (if any) makes fresh deliveries. */
export interface InterleavedCase {
  /** Label printed in the table. */
  readonly name: string;
  /** One operation; may return a promise, which is awaited. */
  readonly fn: () => unknown;
  /** Called at the start of every round: new header objects and timestamps. */
  readonly refresh?: () => void;
}

/** A measured case, with the spread of its per-round ratios. */
export interface InterleavedResult extends BenchResult {
  /** Lowest per-round ratio. */
  readonly minRatio: number;
  /** Highest per-round ratio. */
  readonly maxRatio: number;
}

const BATCH = 64;

async function batch(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) {
    const result = fn();
    if (result instanceof Promise) await result;
  }
  return Number(process.hrtime.bigint() - start);
}

/**
 * Runs `baseline` and `cases` interleaved: in each round, batches of 64 operations of every case
 * in turn (the order rotated each turn) until the round's time is spent; prints a table.
 *
 * @example
 * ```ts
 * const [floor, ...rest] = await runInterleaved("P1 interleaved", floorCase, cases);
 * ```
 */
export async function runInterleaved(title: string, baseline: InterleavedCase, cases: readonly InterleavedCase[], rounds: number = BENCH.rounds): Promise<InterleavedResult[]> {
  const all = [baseline, ...cases];
  const opsPerSecond: number[][] = all.map(() => []);
  const ratios: number[][] = all.map(() => []);
  // Every case's time in a round: what the isolated mode gives each case (its warm-up included).
  const roundMs = BENCH.caseMs * all.length;
  for (let round = -1; round < rounds; round++) {
    for (const item of all) item.refresh?.();
    const nanos = all.map(() => 0);
    const ops = all.map(() => 0);
    // Round -1 is the warm-up: every case, interleaved, for a quarter of a round.
    const end = performance.now() + (round < 0 ? roundMs / 4 : roundMs);
    let turn = 0;
    while (performance.now() < end) {
      for (let k = 0; k < all.length; k++) {
        const index = (k + turn) % all.length;
        nanos[index] = (nanos[index] as number) + (await batch((all[index] as InterleavedCase).fn));
        ops[index] = (ops[index] as number) + BATCH;
      }
      turn += 1;
    }
    if (round < 0) continue;
    const rates = all.map((_, index) => (ops[index] as number) / ((nanos[index] as number) / 1e9));
    for (const [index, rate] of rates.entries()) {
      opsPerSecond[index]?.push(rate);
      ratios[index]?.push(rate / (rates[0] as number));
    }
  }
  const results: InterleavedResult[] = all.map((item, index) => {
    const own = ratios[index] ?? [1];
    return {
      name: index === 0 ? `${item.name} (baseline)` : item.name,
      opsPerSecond: median(opsPerSecond[index] ?? [0]),
      ratio: median(own),
      minRatio: Math.min(...own),
      maxRatio: Math.max(...own),
    };
  });
  console.log(`\n${title}`);
  console.log(`${"case".padEnd(56)} ${"ops/s".padStart(12)} ${"x baseline".padStart(11)} ${"spread".padStart(13)}`);
  for (const result of results) {
    console.log(
      `${result.name.padEnd(56)} ${Math.round(result.opsPerSecond).toLocaleString("en-US").padStart(12)} ${result.ratio.toFixed(3).padStart(11)} ${`${result.minRatio.toFixed(2)}-${result.maxRatio.toFixed(2)}`.padStart(13)}`,
    );
  }
  return results;
}
