import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventTable, withTable } from "./event-table";

const README = join(__dirname, "..", "..", "README.md");

describe("README event table", () => {
  it("is the one generated from the catalog (run `npm run docs:events` after changing the catalog)", () => {
    const readme = readFileSync(README, "utf8");
    const expected = withTable(readme, eventTable());
    if (process.env.UPDATE_DOCS === "1" && expected !== readme) writeFileSync(README, expected);
    else expect(readme).toBe(expected);
  });

  it("has one row per catalog type, with its summary, data fields and method", () => {
    const table = eventTable();
    expect(table).toContain("| `order.delivery_attempted` | A carrier tried to deliver an order. | `OrderDeliveryAttemptedPushedEvent` | `Order` | `success`, `attemptNum`, `deliveryLocation` | `onOrderDeliveryAttempted` |");
    expect(table).toContain("| `movie.started` |");
    expect(table).toContain("`date` (`Date`)");
    expect(table).toContain("| `order.lost` | A parcel is lost. | `OrderLostPushedEvent` | none |");
  });
});
