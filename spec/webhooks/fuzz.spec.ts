import { runFuzz } from "./fuzz/run-fuzz";

// Short in `npm test`; `npm run fuzz:long` (scripts/fuzz-long) sets FUZZ_RUNS=100000 and exposes gc.
const runs = Number(process.env.FUZZ_RUNS ?? 2000);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

describe("fuzzing verify + parse + dispatch", () => {
  it(
    `${runs} generated and mutated deliveries: only CactusErrors, table statuses, clean prototypes, flat memory`,
    async () => {
      const report = await runFuzz(runs, seed);
      expect(report.handled + report.rejected).toBe(runs);
      expect(report.handled).toBeGreaterThan(0);
      if (report.heapGrowthBytes !== undefined) {
        process.stdout.write(
          `fuzz: ${report.runs} runs, ${report.handled} handled, ${report.rejected} rejected, heapUsed growth ${(report.heapGrowthBytes / 1024 / 1024).toFixed(2)} MiB\n`,
        );
        // Flat: a leak of even 200 bytes per delivery would show as ~20 MiB over 100,000 runs.
        expect(report.heapGrowthBytes).toBeLessThan(16 * 1024 * 1024);
      }
    },
    Math.max(20_000, runs * 2),
  );
});
