// `npm run bench:p1`: P1 alone, in both modes (isolated and interleaved), with its PASS/FAIL lines.
import "reflect-metadata";
import { printTargets } from "./targets";
import { recordP1Targets, webhookBenchmarks } from "./webhooks.bench";

async function main(): Promise<void> {
  console.log(`cactus-sdk P1 benchmark; Node ${process.version}`);
  recordP1Targets(await webhookBenchmarks());
  const allPassed = printTargets();
  if (!allPassed && process.env.BENCH_STRICT === "1") process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
