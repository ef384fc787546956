// `npm run bench`: ops/s of parsing one thin event (parseEventV2) and of handling it in each style
// (switch, CactusHandler subclass handle(), router, decorators), each as a ratio to JSON.parse +
// switch on the same body, all measured in this one run. BENCH_MS sets the time per case.
import "reflect-metadata";
import { runSuite } from "./harness";
import { benchSink, jsonParseAndSwitch } from "./parse.bench";
import { styleBenchmarks } from "./styles";

async function main(): Promise<void> {
  await runSuite("Parse and dispatch one thin event (order.shipped, handlers do no I/O)", jsonParseAndSwitch, styleBenchmarks());
  if (benchSink() === 0.5) console.log(""); // keeps the measured work observable to the optimizer
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
