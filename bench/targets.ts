// The performance targets, each printed once at the end with its measured ratio and PASS/FAIL.

/** One target's verdict. */
export interface TargetResult {
  /** `P1` ... `P6`. */
  readonly id: string;
  /** What was required. */
  readonly goal: string;
  /** What was measured, e.g. `0.83 x verify floor, 1.62 x stripe`. */
  readonly measured: string;
  /** Whether every condition of the target held in this run. */
  readonly pass: boolean;
}

const results: TargetResult[] = [];

/** Records a verdict (printed by {@link printTargets}). */
export function recordTarget(result: TargetResult): void {
  results.push(result);
  console.log(`  -> ${result.id} ${result.pass ? "PASS" : "FAIL"}: ${result.measured} (target: ${result.goal})`);
}

/** Prints every recorded verdict; returns whether all passed. */
export function printTargets(): boolean {
  console.log("\nTargets");
  for (const result of results) {
    console.log(`${result.id.padEnd(4)}${(result.pass ? "PASS" : "FAIL").padEnd(6)}${result.measured.padEnd(58)} target: ${result.goal}`);
  }
  return results.every((result) => result.pass);
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** `1.234` with three digits. */
export function ratio(value: number): string {
  return value.toFixed(3);
}
