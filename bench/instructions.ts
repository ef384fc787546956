// `npm run bench:instructions`: instructions per event, counted by valgrind's callgrind, for P1's
// cases. Unlike ops/s, an instruction count does not move with the machine's load (it does not see
// cache misses or waits either, so it complements the ratios; it does not replace them). Each case
// runs twice under callgrind, with two counts of operations after the same pool and warm-up; the
// difference in instructions over the difference in counts is the cost of one operation.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { INSTRUCTION_CASES } from "./instructions-child";
import { QUICK } from "./options";

const LOW = QUICK ? 2_000 : 5_000;
const HIGH = QUICK ? 6_000 : 15_000;

function valgrindAvailable(): boolean {
  return spawnSync("valgrind", ["--version"], { encoding: "utf8" }).status === 0;
}

// Total instructions (callgrind's Ir) of one run of the child.
function instructions(name: string, count: number, dir: string): number {
  const out = join(dir, `${name}-${count}.out`);
  const child = spawnSync(
    "valgrind",
    ["--tool=callgrind", "--smc-check=all", `--callgrind-out-file=${out}`, process.execPath, join(__dirname, "instructions-child.js"), name, String(count)],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`callgrind run of ${name} failed (exit ${String(child.status)}): ${child.stderr.split("\n").slice(-5).join(" ")}`);
  const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, "utf8"));
  if (summary === null) throw new Error(`no summary line in ${out}`);
  return Number(summary[1]);
}

function main(): void {
  if (!valgrindAvailable()) {
    console.log("bench:instructions skipped: valgrind is not installed (apt-get install -y valgrind)");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "cactus-callgrind-"));
  try {
    console.log(`Instructions per operation (callgrind; (runs of ${HIGH} - runs of ${LOW}) / ${HIGH - LOW}, after a pool of signed deliveries and a warm-up)`);
    const perOp = new Map<string, number>();
    for (const name of INSTRUCTION_CASES) {
      const cost = (instructions(name, HIGH, dir) - instructions(name, LOW, dir)) / (HIGH - LOW);
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

main();
