// How long `npm run bench` runs: the full suite by default, a quick smoke run with
// `npm run bench -- --quick` or BENCH_QUICK=1 (same targets, shorter samples, noisier ratios).

/** Whether this is a quick run. */
export const QUICK = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";

/** Sizes and durations of each part of the suite. */
export const BENCH = {
  /** Time per in-process case, after a warm-up of a quarter of it. */
  caseMs: Number(process.env.BENCH_MS ?? (QUICK ? 400 : 1500)),
  /** Alternating rounds of each in-process comparison (medians are reported). */
  rounds: QUICK ? 1 : 3,
  /** autocannon duration per server, seconds. */
  httpSeconds: QUICK ? 2 : 5,
  /**
   * Rounds of the HTTP comparison, each server started afresh: more, shorter rounds than the
   * in-process ones, because one server process can run 10 % faster or slower than the next.
   */
  httpRounds: QUICK ? 1 : 5,
  /** Events through handle() for the heap check. */
  heapEvents: QUICK ? 200_000 : 1_000_000,
  /** Child processes per side of the cold-start comparison. */
  coldStarts: QUICK ? 5 : 11,
  /** Unrelated class-validator classes loaded for the P4 check. */
  bloatClasses: 10_000,
} as const;
