// P5 (a child process started by bench/index.ts with --expose-gc): N events through
// CactusHandler.handle(); prints the heap growth between a warmed-up start and the end, after a
// full GC at both points, as one JSON line.
import { CactusHandler, type BaseThinEvent } from "../lib";
import { benchClient, touch } from "./parse.bench";

class HeapHandler extends CactusHandler {
  override async onOrderShipped(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("bench/heap.js needs node --expose-gc");
  gc();
  gc();
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 1_000_000);
  const handler = new HeapHandler(benchClient);
  const bodies = Array.from({ length: 1024 }, (_, index) =>
    JSON.stringify({ id: `evt_${index}`, type: index % 2 ? "order.shipped" : "shipment.teleported", related_object: { id: "ord_456", type: "order" } }),
  );
  for (let index = 0; index < 20_000; index++) await handler.handle(bodies[index % bodies.length] as string);
  collect();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < events; index++) await handler.handle(bodies[index % bodies.length] as string);
  collect();
  const after = process.memoryUsage().heapUsed;
  process.stdout.write(`${JSON.stringify({ events, before, after, growth: after - before })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
