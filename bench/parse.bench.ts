import { CactusClient, CactusHandler, type BaseThinEvent, type OrderShippedPushedEvent } from "../lib";
import type { BenchCase } from "./harness";

/** The thin event every parse case reads, as Cactus sends it. */
export const THIN_BODY = JSON.stringify({ id: "evt_123", type: "order.shipped", related_object: { id: "ord_456", type: "order" } });

// No request is made: parse and dispatch only. The URL is never contacted.
const client = new CactusClient({ apiKey: "sk_test_bench", baseUrl: "http://127.0.0.1:9" });

let sink = 0;

class BenchHandler extends CactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    sink += event.id.length;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    sink -= event.id.length;
  }
}
const handler = new BenchHandler(client);

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

/** parseEventV2 and handle() on the same body. */
export const parseCases: readonly BenchCase[] = [
  { name: "client.parseEventV2(body)", fn: () => void client.parseEventV2(THIN_BODY) },
  { name: "handler.handle(body) (CactusHandler subclass)", fn: () => handler.handle(THIN_BODY) },
];

/** Keeps the optimizer from dropping the work. */
export function benchSink(): number {
  return sink;
}
