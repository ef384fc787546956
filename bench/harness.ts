// A tiny benchmark harness: each case runs for a fixed time after a warm-up, and every figure is
// printed as a ratio to a baseline measured in the same run (the machines are shared and noisy, so
// absolute numbers from another run mean little).

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
  /** Operations per second. */
  readonly opsPerSecond: number;
  /** opsPerSecond / baseline opsPerSecond. */
  readonly ratio: number;
}

const DURATION_MS = Number(process.env.BENCH_MS ?? 1000);

async function measure(fn: () => unknown): Promise<number> {
  const run = async (ms: number): Promise<number> => {
    let ops = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(ms) * 1_000_000n;
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
  await run(Math.max(100, DURATION_MS / 4)); // warm-up: let the JIT settle
  return run(DURATION_MS);
}

/** Measures `baseline` and each case in turn, prints a table, and returns the results. */
export async function runSuite(title: string, baseline: BenchCase, cases: readonly BenchCase[]): Promise<BenchResult[]> {
  const base = await measure(baseline.fn);
  const results: BenchResult[] = [{ name: `${baseline.name} (baseline)`, opsPerSecond: base, ratio: 1 }];
  for (const item of cases) {
    const ops = await measure(item.fn);
    results.push({ name: item.name, opsPerSecond: ops, ratio: ops / base });
  }
  console.log(`\n${title}`);
  console.log(`${"case".padEnd(52)} ${"ops/s".padStart(12)} ${"x baseline".padStart(11)}`);
  for (const result of results) {
    console.log(
      `${result.name.padEnd(52)} ${Math.round(result.opsPerSecond).toLocaleString("en-US").padStart(12)} ${result.ratio.toFixed(3).padStart(11)}`,
    );
  }
  return results;
}
