import { assertStoreDemo, runStoreDemo } from "../../examples/store/demo-store";

describe("npm run demo -- --store", () => {
  it("handles every event on PGlite, answers the redelivery as a duplicate and prints the order's history", async () => {
    const lines: string[] = [];
    const result = await runStoreDemo((line) => lines.push(line));
    expect(() => assertStoreDemo(result)).not.toThrow();
    expect(result.timeline).toEqual(["order.shipped (evt_order_shipped)", "order.delivery_attempted (evt_order_delivery_attempted)", "order.refunded (evt_order_refunded)"]);
    expect(lines).toContain("   duplicate: nothing ran");
    expect(lines).toContain("History of order ord_456:");
    expect(lines).toContain("Event evt_order_shipped: handled by onOrderShipped, 2 deliveries, 1 attempt(s)");
  }, 120_000);
});
