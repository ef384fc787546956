// `npm run bench`: ops/s of parsing and dispatching one thin event, each as a ratio to
// JSON.parse + switch on the same body, measured in this one run. BENCH_MS sets the time per case.
import "reflect-metadata";
import { runSuite } from "./harness";
import { benchSink, jsonParseAndSwitch, parseCases } from "./parse.bench";

async function main(): Promise<void> {
  await runSuite("Parse and dispatch one thin event (order.shipped)", jsonParseAndSwitch, parseCases);
  if (benchSink() === 0.5) console.log(""); // keeps the measured work observable to the optimizer
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
