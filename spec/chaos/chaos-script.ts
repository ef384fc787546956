// The body every `npm run chaos:*` script shares: without its server it says what to install and
// exits 0; otherwise it runs, prints each report, and exits 1 if any report names a problem.

/** A chaos run's report: what it found wrong (nothing, when every promise held). */
export interface ChaosScriptReport {
  readonly problems: readonly string[];
}

/** What a chaos script needs on the machine, and how to install it when it is missing. */
export interface ChaosScriptNeeds {
  readonly available: boolean;
  readonly missing: string;
}

/** Runs `runs` one after the other (unless the server is missing), prints each report with `format`, and sets the exit code. */
export function chaosScript<Report extends ChaosScriptReport>(script: string, needs: ChaosScriptNeeds, runs: readonly (() => Promise<Report>)[], format: (report: Report) => string): void {
  const main = async (): Promise<number> => {
    if (!needs.available) {
      console.log(`${script}: ${needs.missing}`);
      return 0;
    }
    let failed = false;
    for (const run of runs) {
      const report = await run();
      console.log(format(report));
      failed ||= report.problems.length > 0;
    }
    return failed ? 1 : 0;
  };
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
