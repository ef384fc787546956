// P6: cold start. Child processes alternate between requiring the built SDK and requiring only its
// three runtime dependencies (reflect-metadata, class-transformer, class-validator); the medians
// of the wall-clock times are compared. Both sides pay Node's own start-up.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { BENCH } from "./options";
import { median } from "./targets";

/** Median milliseconds of each side, and their ratio. */
export interface ColdStartResults {
  readonly sdkMs: number;
  readonly floorMs: number;
  readonly ratio: number;
}

function timeRequire(specifiers: readonly string[]): number {
  const script = specifiers.map((specifier) => `require(${JSON.stringify(specifier)});`).join("");
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["-e", script], { stdio: "inherit" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node -e ${script} failed`);
  return ms;
}

/** Runs P6 and prints the medians. */
export function coldStartBenchmarks(): ColdStartResults {
  const sdk = [join(__dirname, "..", "lib", "index.js")];
  const floor = ["reflect-metadata", "class-transformer", "class-validator"].map((name) => require.resolve(name));
  const sdkMs: number[] = [];
  const floorMs: number[] = [];
  timeRequire(sdk); // fill the file-system cache for both sides
  timeRequire(floor);
  for (let run = 0; run < BENCH.coldStarts; run++) {
    floorMs.push(timeRequire(floor));
    sdkMs.push(timeRequire(sdk));
  }
  const results = { sdkMs: median(sdkMs), floorMs: median(floorMs), ratio: median(sdkMs) / median(floorMs) };
  console.log(`\nP6: cold start, median of ${BENCH.coldStarts} child processes each`);
  console.log(`  node -e 'require(reflect-metadata, class-transformer, class-validator)' ${results.floorMs.toFixed(1)} ms (baseline)`);
  console.log(`  node -e 'require("<built cactus-sdk>")'                             ${results.sdkMs.toFixed(1)} ms  ${results.ratio.toFixed(3)} x`);
  return results;
}
