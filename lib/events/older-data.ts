// The older shapes of event data, one class per type and API version in which it differed from
// today's: what a payload of that version is validated against before its catalog row's upcaster
// turns it into today's class. Handlers never see these classes. Named <Data class><version>.
// Decorators below read type metadata while this module loads, whichever module a program imports first.
import "reflect-metadata";
import { IsBoolean, IsInt, IsString, Max, Min } from "class-validator";
import { Wire } from "./wire";

// ---- movie.completed ------------------------------------------------------------------------

/**
 * `data` of `movie.completed` up to API version 2024-01-01: `viewer` where later versions have
 * `user`, and `stars` as in {@link MovieCompletedData20250601}. Only the parser sees it.
 */
export class MovieCompletedData20240101 {
  /** Who watched it. */
  @Wire() @IsString() readonly viewer!: string;
  /** Their rating in whole stars, 1 to 5. */
  @Wire() @IsInt() @Min(1) @Max(5) readonly stars!: number;
}

/**
 * `data` of `movie.completed` in API version 2025-06-01: `stars`, an integer 1 to 5, where
 * today's `MovieCompletedData` has `rating`. Only the parser sees it: such payloads are
 * upcast to `MovieCompletedData` before any handler runs.
 */
export class MovieCompletedData20250601 {
  /** Who watched it. */
  @Wire() @IsString() readonly user!: string;
  /** Their rating in whole stars, 1 to 5. */
  @Wire() @IsInt() @Min(1) @Max(5) readonly stars!: number;
}

// ---- order.delivery_attempted ---------------------------------------------------------------

/**
 * `data` of `order.delivery_attempted` up to API version 2025-06-01: `attempt` where today's
 * `OrderDeliveryAttemptedData` has `attempt_num`. Only the parser sees it: such payloads are
 * upcast to `OrderDeliveryAttemptedData` before any handler runs.
 */
export class OrderDeliveryAttemptedData20250601 {
  /** Whether the delivery succeeded. */
  @Wire() @IsBoolean() readonly success!: boolean;
  /** Attempt number, from 1. */
  @Wire() @IsInt() @Min(1) readonly attempt!: number;
  /** Where delivery was attempted, e.g. `front door`. */
  @Wire("delivery_location") @IsString() readonly deliveryLocation!: string;
}
