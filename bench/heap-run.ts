// Starts bench/heap.js (P5) in a child process with --expose-gc and reads its one-line result.
import { execFile } from "node:child_process";
import { join } from "node:path";

/** What bench/heap.js measured. */
export interface HeapResult {
  /** Events handled between the two measurements. */
  readonly events: number;
  /** Heap used after a full GC, bytes, before and after. */
  readonly before: number;
  readonly after: number;
  /** after - before, bytes. */
  readonly growth: number;
}

/** Runs `events` events through handle() in a fresh process and returns its heap growth. */
export function heapBenchmark(events: number): Promise<HeapResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--expose-gc", join(__dirname, "heap.js"), String(events)], { maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) return reject(error);
      const result = JSON.parse(stdout.trim()) as HeapResult;
      console.log(`\nP5: ${result.events.toLocaleString("en-US")} events through handle(), heap after full GC`);
      console.log(`  before ${(result.before / 2 ** 20).toFixed(2)} MB, after ${(result.after / 2 ** 20).toFixed(2)} MB, growth ${(result.growth / 2 ** 20).toFixed(2)} MB`);
      resolve(result);
    });
  });
}
