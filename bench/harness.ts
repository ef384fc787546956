// A tiny benchmark harness: each case runs for a fixed time after a warm-up, and every figure is
// printed as a ratio to a baseline measured in the same run (the machines are shared and noisy, so
// absolute numbers from another run mean little). Rounds alternate baseline and cases, and the
// median ratio of the rounds is reported, so a burst of load from elsewhere hits one round only.
import { BENCH } from "./options";
import { median } from "./targets";

/** One benchmark case. `fn` may be async; it is awaited. */
export interface BenchCase {
  /** Label printed in the table. */
  readonly name: string;
  /** One operation. */
  readonly fn: () => unknown;
}

/** A measured case. */
export interface BenchResult {
  /** Label. */
  readonly name: string;
  /** Operations per second (median of the rounds). */
  readonly opsPerSecond: number;
  /** opsPerSecond / baseline opsPerSecond (median of the per-round ratios). */
  readonly ratio: number;
}

async function measure(fn: () => unknown, ms: number): Promise<number> {
  const run = async (duration: number): Promise<number> => {
    let ops = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round(duration)) * 1_000_000n;
    let now = start;
    while (now < end) {
      // Batches of 64 keep the clock read off the hot path.
      for (let i = 0; i < 64; i++) {
        const result = fn();
        if (result instanceof Promise) await result;
      }
      ops += 64;
      now = process.hrtime.bigint();
    }
    return ops / (Number(now - start) / 1e9);
  };
  await run(Math.max(100, ms / 4)); // warm-up: let the JIT settle
  return run(ms);
}

/**
 * Measures `baseline` and each case in alternating rounds, prints a table, and returns the results
 * (baseline first).
 *
 * @example
 * ```ts
 * const [floor, parse] = await runSuite("Parse", jsonParseAndSwitch, [parseCase]);
 * ```
 */
export async function runSuite(title: string, baseline: BenchCase, cases: readonly BenchCase[], rounds: number = BENCH.rounds): Promise<BenchResult[]> {
  const baseOps: number[] = [];
  const caseOps: number[][] = cases.map(() => []);
  const caseRatios: number[][] = cases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const base = await measure(baseline.fn, BENCH.caseMs);
    baseOps.push(base);
    for (const [index, item] of cases.entries()) {
      const ops = await measure(item.fn, BENCH.caseMs);
      caseOps[index]?.push(ops);
      caseRatios[index]?.push(ops / base);
    }
  }
  const results: BenchResult[] = [
    { name: `${baseline.name} (baseline)`, opsPerSecond: median(baseOps), ratio: 1 },
    ...cases.map((item, index) => ({ name: item.name, opsPerSecond: median(caseOps[index] ?? [0]), ratio: median(caseRatios[index] ?? [0]) })),
  ];
  console.log(`\n${title}`);
  console.log(`${"case".padEnd(56)} ${"ops/s".padStart(12)} ${"x baseline".padStart(11)}`);
  for (const result of results) {
    console.log(
      `${result.name.padEnd(56)} ${Math.round(result.opsPerSecond).toLocaleString("en-US").padStart(12)} ${result.ratio.toFixed(3).padStart(11)}`,
    );
  }
  return results;
}
