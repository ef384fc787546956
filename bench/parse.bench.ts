import { CactusClient, type BaseThinEvent } from "../lib";
import type { BenchCase } from "./harness";

/** The thin event every case reads, as Cactus sends it. */
export const THIN_BODY = JSON.stringify({ id: "evt_123", type: "order.shipped", related_object: { id: "ord_456", type: "order" } });

/** Parse and dispatch only: no request is made, and this URL is never contacted. */
export const benchClient = new CactusClient({ apiKey: "sk_test_bench", baseUrl: "http://127.0.0.1:9" });

let sink = 0;

/** What every benchmarked handler does: touch the event, so the optimizer keeps the work. */
export function touch(event: BaseThinEvent): void {
  sink += event.id.length;
}

/** Keeps the measured work observable. */
export function benchSink(): number {
  return sink;
}

/** What a user does by hand with no SDK: JSON.parse and a switch on the type string. */
export const jsonParseAndSwitch: BenchCase = {
  name: "JSON.parse + switch",
  fn: () => {
    const event: { id: string; type: string } = JSON.parse(THIN_BODY);
    switch (event.type) {
      case "order.shipped":
        sink += event.id.length;
        break;
      default:
        sink -= event.id.length;
    }
  },
};
