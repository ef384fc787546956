// `npm run demo -- --saga` does what it prints: four orders end as the fulfilment rules say.
import { assertSagaDemo, runSagaDemo } from "../../examples/saga/demo-saga";

it("runs the saga demo on PGlite: delivered, refunded, lost and re-shipped, silent with a ticket", async () => {
  const lines: string[] = [];
  const result = await runSagaDemo((line) => lines.push(line));
  expect(() => assertSagaDemo(result)).not.toThrow();
  expect(result.calls.filter((call) => call.startsWith("refund"))).toEqual(["refund ord_refunded", "refund ord_lost"]);
  expect(lines).toContain("-> (redelivery of order.lost) duplicate: nothing ran");
}, 120_000);
