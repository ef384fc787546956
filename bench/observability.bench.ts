// The cost of observability on the event path: handle(body) of one thin order.shipped event with a
// handler that does no I/O, with nothing configured (the baseline), then with Prometheus metrics,
// OpenTelemetry tracing (an SDK tracer that records every span), both, and a logger that writes
// every line. Ratios < 1 are the share of the baseline's throughput that remains.
//   npm run build && node dist/bench/observability.bench.js
import "reflect-metadata";
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { Registry } from "prom-client";
import { CactusHandler, getEventContext, type BaseThinEvent, type CactusLogger, type CactusReceiverOptions, type OrderShippedPushedEvent } from "../lib";
import { cactusTracing } from "../lib/otel";
import { cactusPrometheus } from "../lib/prometheus";
import type { BenchCase } from "./harness";
import { benchClient, THIN_BODY, touch } from "./parse.bench";

let lines = 0;

class BenchHandler extends CactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    touch(event);
    // What a handler's own log line costs to reach: the event context.
    if (getEventContext()?.eventId === "") lines += 1;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
}

// Spans are recorded and handed to an exporter that drops them: the SDK's cost, not an exporter's I/O.
const droppingExporter: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

const countingLogger: CactusLogger = {
  debug: () => void (lines += 1),
  info: () => void (lines += 1),
  warn: () => void (lines += 1),
  error: () => void (lines += 1),
};

function handling(name: string, options: CactusReceiverOptions): BenchCase {
  const handler = new BenchHandler(benchClient, options);
  return { name, fn: () => handler.handle(THIN_BODY) };
}

/** One case's figures: median ops/s over the rounds, and the median of its per-round ratios to the baseline. */
export interface InterleavedResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly ratio: number;
}

const ROUND_MS = Number(process.env.BENCH_MS ?? 1000) / 4;
const ROUNDS = 7;

async function opsPerSecond(fn: () => unknown, ms: number): Promise<number> {
  let ops = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  while (now < end) {
    for (let i = 0; i < 32; i++) await fn();
    ops += 32;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Measures the baseline and every case in interleaved rounds (baseline, case 1, case 2, ...,
 * baseline, ...), so a machine that gets busier or quieter during the run moves all of them alike;
 * each ratio is the median of the per-round ratios.
 */
export async function runInterleaved(title: string, baseline: BenchCase, cases: readonly BenchCase[]): Promise<InterleavedResult[]> {
  const all = [baseline, ...cases];
  for (const item of all) await opsPerSecond(item.fn, ROUND_MS / 2); // warm-up: let the JIT settle
  const ops = all.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, item] of all.entries()) ops[index]?.push(await opsPerSecond(item.fn, ROUND_MS));
  }
  const base = ops[0] ?? [];
  const results = all.map((item, index) => ({
    name: index === 0 ? `${item.name} (baseline)` : item.name,
    opsPerSecond: median(ops[index] ?? []),
    ratio: median((ops[index] ?? []).map((value, round) => value / (base[round] ?? value))),
  }));
  console.log(`\n${title}`);
  console.log(`${"case".padEnd(52)} ${"ops/s".padStart(12)} ${"x baseline".padStart(11)}`);
  for (const result of results) {
    console.log(`${result.name.padEnd(52)} ${Math.round(result.opsPerSecond).toLocaleString("en-US").padStart(12)} ${result.ratio.toFixed(3).padStart(11)}`);
  }
  return results;
}

/** The suite: baseline (nothing configured) and each observability setting, in one run. */
export async function observabilityBenchmarks(): Promise<InterleavedResult[]> {
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(droppingExporter)] }).getTracer("bench");
  const metrics = (): ReturnType<typeof cactusPrometheus> => cactusPrometheus({ registry: new Registry() });
  return runInterleaved("Observability: handle(body) of one order.shipped event, handler does no I/O", handling("nothing configured", {}), [
    handling("metrics (cactus-sdk/prometheus)", { instrumentation: metrics() }),
    handling("tracing (cactus-sdk/otel, spans recorded)", { instrumentation: cactusTracing({ tracer }) }),
    handling("metrics + tracing", { instrumentation: [metrics(), cactusTracing({ tracer })] }),
    handling("a logger receiving every line", { logger: countingLogger }),
    handling("metrics + tracing + logger", { instrumentation: [metrics(), cactusTracing({ tracer })], logger: countingLogger }),
  ]);
}

if (require.main === module) {
  observabilityBenchmarks()
    .then(() => {
      if (lines === -1) console.log(""); // keeps the logger's work observable to the optimizer
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
