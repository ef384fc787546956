// Decorators below read type metadata while this module loads, whichever module a program imports first.
import "reflect-metadata";
import { IsInt, IsNotEmpty, IsString, Min } from "class-validator";
import { toWireJson } from "./to-wire";
import { IsoDate, Wire } from "./wire";

/** A shipping order (`ord_...`), as `GET /v1/orders/{id}` answers it. */
export class Order {
  /** Order id, `ord_...`. */
  @Wire() @IsString() @IsNotEmpty() readonly id!: string;
  /** When the order was created. */
  @Wire() @IsoDate("timestamp") readonly created!: Date;
  /** Number of items, >= 0. */
  @Wire("num_items") @IsInt() @Min(0) readonly numItems!: number;
  /** Total cost in cents, >= 0. */
  @Wire("cost_cents") @IsInt() @Min(0) readonly costCents!: number;
  /** Expected delivery date (a calendar date, at midnight UTC). */
  @Wire("delivery_date") @IsoDate("date") readonly deliveryDate!: Date;

  /** The order as the API sends it: snake_case names, ISO strings (used by `JSON.stringify`). */
  toJSON(): Record<string, unknown> {
    return toWireJson(this);
  }
}

/** A streamed movie (`mov_...`), as `GET /v1/movies/{id}` answers it. */
export class Movie {
  /** Movie id, `mov_...`. */
  @Wire() @IsString() @IsNotEmpty() readonly id!: string;
  /** Title. */
  @Wire() @IsString() readonly title!: string;
  /** Year of release. */
  @Wire("release_year") @IsInt() readonly releaseYear!: number;

  /** The movie as the API sends it: snake_case names (used by `JSON.stringify`). */
  toJSON(): Record<string, unknown> {
    return toWireJson(this);
  }
}

/** The kinds of related object, and the class each one hydrates into. */
export interface RelatedObjectKinds {
  /** An order. */
  order: Order;
  /** A movie. */
  movie: Movie;
}

/** `"order" | "movie"`. */
export type RelatedObjectKind = keyof RelatedObjectKinds;
