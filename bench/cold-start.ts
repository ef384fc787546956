// P6: cold start. Child processes alternate between requiring the built SDK and requiring only its
// three runtime dependencies (reflect-metadata, class-transformer, class-validator); the medians
// of the wall-clock times are compared. Both sides pay Node's own start-up. The same run also
// times `import("cactus-sdk")` of the ES module build and a bare `node -e ""`, for scale.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH } from "./options";
import { median } from "./targets";

/** Median milliseconds of each side, and their ratio. */
export interface ColdStartResults {
  readonly sdkMs: number;
  readonly floorMs: number;
  readonly ratio: number;
  /** `import()` of the ES module build, whole process. */
  readonly importMs: number;
  /** `import()` of the three runtime dependencies, whole process. */
  readonly floorImportMs: number;
  /** `node -e ""`, whole process. */
  readonly bareMs: number;
}

function timeRequire(specifiers: readonly string[]): number {
  return timeScript(specifiers.map((specifier) => `require(${JSON.stringify(specifier)});`).join(""));
}

function timeScript(script: string, type: "commonjs" | "module" = "commonjs"): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--input-type", type, "-e", script], { stdio: "inherit" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node -e ${script} failed`);
  return ms;
}

/** Runs P6 and prints the medians. */
export function coldStartBenchmarks(): ColdStartResults {
  const sdk = [join(__dirname, "..", "lib", "index.js")];
  const floor = ["reflect-metadata", "class-transformer", "class-validator"].map((name) => require.resolve(name));
  const esm = `await import(${JSON.stringify(pathToFileURL(join(__dirname, "..", "esm", "index.mjs")).href)});`;
  const sdkMs: number[] = [];
  const floorMs: number[] = [];
  const importMs: number[] = [];
  const floorImportMs: number[] = [];
  const bareMs: number[] = [];
  const floorImport = floor.map((path) => `await import(${JSON.stringify(pathToFileURL(path).href)});`).join("");
  timeRequire(sdk); // fill the file-system cache for every side
  timeRequire(floor);
  timeScript(esm, "module");
  for (let run = 0; run < BENCH.coldStarts; run++) {
    floorMs.push(timeRequire(floor));
    sdkMs.push(timeRequire(sdk));
    floorImportMs.push(timeScript(floorImport, "module"));
    importMs.push(timeScript(esm, "module"));
    bareMs.push(timeScript(""));
  }
  const results = { sdkMs: median(sdkMs), floorMs: median(floorMs), ratio: median(sdkMs) / median(floorMs), importMs: median(importMs), floorImportMs: median(floorImportMs), bareMs: median(bareMs) };
  console.log(`\nP6: cold start, median of ${BENCH.coldStarts} child processes each`);
  console.log(`  node -e 'require(reflect-metadata, class-transformer, class-validator)' ${results.floorMs.toFixed(1)} ms (baseline)`);
  console.log(`  node -e 'require("<built cactus-sdk>")'                             ${results.sdkMs.toFixed(1)} ms  ${results.ratio.toFixed(3)} x`);
  console.log(`  node -e 'await import(reflect-metadata, class-transformer, class-validator)' ${results.floorImportMs.toFixed(1)} ms (baseline of import)`);
  console.log(`  node -e 'await import("<built cactus-sdk, ES modules>")'            ${results.importMs.toFixed(1)} ms  ${(results.importMs / results.floorImportMs).toFixed(3)} x`);
  console.log(`  node -e '' (bare node, for scale)                                    ${results.bareMs.toFixed(1)} ms`);
  return results;
}

if (require.main === module) coldStartBenchmarks();
