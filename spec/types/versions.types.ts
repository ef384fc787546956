// Type tests: compiled by `tsc --noEmit` in `npm test`, never run. Each `@ts-expect-error` line
// must fail to compile; if a rule breaks (the line compiles), tsc reports an unused directive.
import { CactusClient, CactusHandler, MovieCompletedData, type BaseThinEvent, type MovieCompletedPushedEvent, type OrderDeliveryAttemptedPushedEvent } from "../../lib";
import {
  dataVersions,
  MovieCompletedData20240101,
  MovieCompletedData20250601,
  OrderDeliveryAttemptedData,
  OrderDeliveryAttemptedData20250601,
  type DataShape,
  type FullEventOf,
} from "../../lib/events";

declare function expectType<T>(value: T): void;

// ---- upcasters: the shape they return is checked against the next newer class ---------------

/** A right upcaster compiles, and its parameter is the old class. */
export const right = dataVersions(MovieCompletedData).from("2025-06-01", MovieCompletedData20250601, (old) => {
  expectType<MovieCompletedData20250601>(old);
  return { user: old.user, rating: old.stars };
});

/** A chain: the second upcaster must return the first one's old shape, not today's. */
export const chain = right.from("2024-01-01", MovieCompletedData20240101, (old) => ({ user: old.viewer, stars: old.stars }));

// @ts-expect-error the upcaster leaves out `rating`
export const missingField = dataVersions(MovieCompletedData).from("2025-06-01", MovieCompletedData20250601, (old) => ({ user: old.user }));

// @ts-expect-error the upcaster returns `rating` as a string
export const wrongFieldType = dataVersions(MovieCompletedData).from("2025-06-01", MovieCompletedData20250601, (old) => ({ user: old.user, rating: String(old.stars) }));

// @ts-expect-error the upcaster returns the old shape (`stars`) where today's is due
export const oldShape = dataVersions(MovieCompletedData).from("2025-06-01", MovieCompletedData20250601, (old) => ({ user: old.user, stars: old.stars }));

// @ts-expect-error in a chain, the older upcaster returns today's shape instead of 2025-06-01's
export const chainSkipsAStep = right.from("2024-01-01", MovieCompletedData20240101, (old) => ({ user: old.viewer, rating: old.stars }));

// @ts-expect-error an upcaster of another type's old class: its parameter has no `stars`
export const otherType = dataVersions(OrderDeliveryAttemptedData).from("2025-06-01", OrderDeliveryAttemptedData20250601, (old: MovieCompletedData20250601) => ({ success: true, attemptNum: old.stars, deliveryLocation: "" }));

// @ts-expect-error a version this SDK does not know
export const unknownVersion = dataVersions(MovieCompletedData).from("2025-09-01", MovieCompletedData20250601, (old) => ({ user: old.user, rating: old.stars }));

/** The shape an upcaster returns is today's properties, without methods. */
export function shape(data: DataShape<MovieCompletedData>): void {
  expectType<{ readonly user: string; readonly rating: number }>(data);
}

// ---- handlers see only today's class --------------------------------------------------------

export class Handler extends CactusHandler {
  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    const full = await event.pull();
    expectType<MovieCompletedData>(full.data);
    expectType<number>(full.data.rating);
    expectType<string>(event.apiVersion);
    // @ts-expect-error the old field is not on what a handler sees
    void full.data.stars;
    // @ts-expect-error nor is the old class
    expectType<MovieCompletedData20250601>(full.data);
  }
  override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    const full = await event.pull();
    expectType<number>(full.data.attemptNum);
    // @ts-expect-error `attempt` was 2025-06-01's name
    void full.data.attempt;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    expectType<Readonly<Record<string, unknown>>>(event.extraFields);
  }
}

/** The full class of a type is today's, whatever version the client pins. */
export function fullOf(event: FullEventOf<"movie.completed">): MovieCompletedData {
  return event.data;
}

// ---- pinning --------------------------------------------------------------------------------

export const pinned = new CactusClient({ apiKey: "sk_test_x", apiVersion: "2025-06-01" });
// @ts-expect-error a version this SDK does not know
export const unknownPin = new CactusClient({ apiKey: "sk_test_x", apiVersion: "2025-09-01" });
