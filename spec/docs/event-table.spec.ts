// README.md holding this table is checked by spec/docs/generated.spec.ts (`npm run generate`).
import { eventTable } from "./event-table";

describe("README event table", () => {
  it("has one row per catalog type, with its summary, data fields and method", () => {
    const table = eventTable();
    expect(table).toContain("| `order.delivery_attempted` | A carrier tried to deliver an order. | `OrderDeliveryAttemptedPushedEvent` | `Order` | `success`, `attemptNum`, `deliveryLocation` | `onOrderDeliveryAttempted` |");
    expect(table).toContain("| `movie.started` |");
    expect(table).toContain("`date` (`Date`)");
    expect(table).toContain("| `order.lost` | A parcel is lost. | `OrderLostPushedEvent` | none |");
  });

  it("shows each type's older data shapes, newest first, by API version", () => {
    const table = eventTable();
    expect(table).toContain("| `onMovieCompleted` | 2025-06-01: `user`, `stars`; 2024-01-01: `viewer`, `stars` |");
    expect(table).toContain("| `onOrderShipped` | same in every version |");
  });
});
