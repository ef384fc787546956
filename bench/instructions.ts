// `npm run bench:instructions`: instructions per event, counted by valgrind's callgrind, for P1's
// cases. Unlike ops/s, an instruction count does not move with the machine's load (it does not see
// cache misses or waits either, so it complements the ratios; it does not replace them). Each case
// runs twice under callgrind, with two counts of operations after the same pool and warm-up; the
// difference in instructions over the difference in counts is the cost of one operation.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { INSTRUCTION_CASES } from "./instructions-child";
import { QUICK } from "./options";

// A run's start-up alone varies by some 10-40 million instructions between runs (hash seeds,
// addresses): the two counts are 20,000 operations apart, so that noise is 1-4 % of one operation.
const LOW = QUICK ? 2_000 : 5_000;
const HIGH = QUICK ? 12_000 : 25_000;

function valgrindAvailable(): boolean {
  return spawnSync("valgrind", ["--version"], { encoding: "utf8" }).status === 0;
}

// Total instructions (callgrind's Ir) of one run of the child. V8 runs single-threaded there, so
// that code is optimized at the same point of every run (not whenever a compiler thread is done).
function instructions(name: string, count: number, dir: string): Promise<number> {
  const out = join(dir, `${name}-${count}.out`);
  const args = ["--tool=callgrind", "--smc-check=all", `--callgrind-out-file=${out}`, process.execPath, "--single-threaded", join(__dirname, "instructions-child.js"), name, String(count)];
  return new Promise((resolve, reject) => {
    const child = spawn("valgrind", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`callgrind run of ${name} failed (exit ${String(code)}): ${stderr.split("\n").slice(-5).join(" ")}`));
      const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, "utf8"));
      if (summary === null) return reject(new Error(`no summary line in ${out}`));
      resolve(Number(summary[1]));
    });
  });
}

async function main(): Promise<void> {
  if (!valgrindAvailable()) {
    console.log("bench:instructions skipped: valgrind is not installed (apt-get install -y valgrind)");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "cactus-callgrind-"));
  try {
    console.log(`Instructions per operation (callgrind; (runs of ${HIGH} - runs of ${LOW}) / ${HIGH - LOW}, after a pool of signed deliveries and a warm-up)`);
    const perOp = new Map<string, number>();
    for (const name of INSTRUCTION_CASES) {
      // The two runs of a case side by side (one per core).
      const [high, low] = await Promise.all([instructions(name, HIGH, dir), instructions(name, LOW, dir)]);
      const cost = (high - low) / (HIGH - LOW);
      perOp.set(name, cost);
      console.log(`${name.padEnd(20)} ${Math.round(cost).toLocaleString("en-US").padStart(10)} instructions`);
    }
    const floor = perOp.get("floor") ?? Number.NaN;
    const stripe = perOp.get("stripe") ?? Number.NaN;
    for (const name of ["cactus-no-store", "cactus-memory"]) {
      const cost = perOp.get(name) ?? Number.NaN;
      console.log(`${name}: ${(floor / cost).toFixed(3)} x the floor's instructions per event, ${(stripe / cost).toFixed(3)} x stripe's (higher is better, as the ratios of ops/s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
