import type { BaseFullEvent, PushedEvent } from "./base";
import {
  MovieCompletedData,
  MovieCompletedEvent,
  MovieCompletedPushedEvent,
  MovieStartedEvent,
  MovieStartedPushedEvent,
} from "./movie";
import {
  OrderDeliveryAttemptedData,
  OrderDeliveryAttemptedEvent,
  OrderDeliveryAttemptedPushedEvent,
  OrderLostEvent,
  OrderLostPushedEvent,
  OrderShippedEvent,
  OrderShippedPushedEvent,
} from "./order";
import { MovieCompletedData20240101, MovieCompletedData20250601, OrderDeliveryAttemptedData20250601 } from "./older-data";
import type { RelatedObjectKind } from "./related-objects";
import type { UnknownFullEvent, UnknownPushedEvent } from "./unknown";
import { dataVersions, type DataVersionChain } from "./versioned-data";

/** One row of the {@link eventCatalog}. */
export interface EventCatalogRow {
  /** The class a pushed (thin) event of this type hydrates into. */
  readonly pushed: new () => PushedEvent;
  /** The class the pulled (full) event hydrates into. */
  readonly full: new () => BaseFullEvent;
  /** Kind of the related object, or `null` for types that have none. */
  readonly relatedObject: RelatedObjectKind | null;
  /** Name of the `CactusHandler` method that receives this type. */
  readonly handlerMethod: `on${string}`;
  /** One line for the docs' event table (generated from this catalog) and the handler method's JSDoc. */
  readonly summary: string;
  /**
   * Older shapes of the data, when it changed between API versions: `dataVersions(CurrentData)`
   * then `.from(version, OldData, upcaster)` per older shape, newest first. Absent: the data has
   * had today's shape in every version this SDK knows.
   */
  readonly versions?: DataVersionChain;
}

/**
 * Every event type this SDK knows, each listed once. The {@link PushedThinEvent} union, the
 * parser's lookup, the handler's method names, the router's typing and the emulator's fixtures
 * all derive from this table: adding `movie.paused` is its classes, one row here and its emulator
 * fixture, then `npm run generate` (which writes the handlers' methods from this table). A type
 * whose data changed between API versions declares its older shapes in its row (`versions`).
 */
export const eventCatalog = {
  "order.shipped": {
    pushed: OrderShippedPushedEvent,
    full: OrderShippedEvent,
    relatedObject: "order",
    handlerMethod: "onOrderShipped",
    summary: "An order left the warehouse.",
  },
  "order.delivery_attempted": {
    pushed: OrderDeliveryAttemptedPushedEvent,
    full: OrderDeliveryAttemptedEvent,
    relatedObject: "order",
    handlerMethod: "onOrderDeliveryAttempted",
    summary: "A carrier tried to deliver an order.",
    versions: dataVersions(OrderDeliveryAttemptedData).from("2025-06-01", OrderDeliveryAttemptedData20250601, (old) => ({
      success: old.success,
      attemptNum: old.attempt,
      deliveryLocation: old.deliveryLocation,
    })),
  },
  "order.lost": {
    pushed: OrderLostPushedEvent,
    full: OrderLostEvent,
    relatedObject: null,
    handlerMethod: "onOrderLost",
    summary: "A parcel is lost.",
  },
  "movie.started": {
    pushed: MovieStartedPushedEvent,
    full: MovieStartedEvent,
    relatedObject: "movie",
    handlerMethod: "onMovieStarted",
    summary: "A user started a movie.",
  },
  "movie.completed": {
    pushed: MovieCompletedPushedEvent,
    full: MovieCompletedEvent,
    relatedObject: "movie",
    handlerMethod: "onMovieCompleted",
    summary: "A user finished a movie.",
    versions: dataVersions(MovieCompletedData)
      .from("2025-06-01", MovieCompletedData20250601, (old) => ({ user: old.user, rating: old.stars }))
      .from("2024-01-01", MovieCompletedData20240101, (old) => ({ user: old.viewer, stars: old.stars })),
  },
} as const satisfies Record<string, EventCatalogRow>;

type Catalog = typeof eventCatalog;

/** Every event type string this SDK knows: `"order.shipped" | ... | "movie.completed"`. */
export type CactusEventType = keyof Catalog;

/** The pushed class of event type `T`, e.g. `PushedEventOf<"order.shipped">` is `OrderShippedPushedEvent`. */
export type PushedEventOf<T extends CactusEventType> = InstanceType<Catalog[T]["pushed"]>;

/** The full (pulled) class of event type `T`, e.g. `OrderShippedEvent`. */
export type FullEventOf<T extends CactusEventType> = InstanceType<Catalog[T]["full"]>;

/** The `CactusHandler` method name for event type `T`, e.g. `"onOrderShipped"`. */
export type HandlerMethodOf<T extends CactusEventType> = Catalog[T]["handlerMethod"];

/** The union of the pushed classes of every known type; `switch (event.type)` narrows it. */
export type KnownPushedEvent = { [T in CactusEventType]: PushedEventOf<T> }[CactusEventType];

/** The union of the full classes of every known type. */
export type KnownFullEvent = { [T in CactusEventType]: FullEventOf<T> }[CactusEventType];

/**
 * What `parseEventV2` returns: a known pushed class, or {@link UnknownPushedEvent} for a type this
 * SDK does not know. Separate the unknown case first (`instanceof UnknownPushedEvent`, `!event.known`
 * or {@link isKnownEvent}); a `switch (event.type)` then narrows every case with no cast.
 */
export type PushedThinEvent = KnownPushedEvent | UnknownPushedEvent;

/** What `retrieveEvent` and `pull()` return: a known full class or {@link UnknownFullEvent}. */
export type FullThinEvent = KnownFullEvent | UnknownFullEvent;

/** The handler method names: `"onOrderShipped" | ... | "onMovieCompleted"`. */
export type HandlerMethodName = HandlerMethodOf<CactusEventType>;

/**
 * The catalog row of `type`, or `undefined` for a type this SDK does not know. An own-property
 * lookup, so a type string like "constructor" or "__proto__" finds nothing.
 */
export function catalogRow(type: string): EventCatalogRow | undefined {
  // The type asked for last (a stream is mostly runs of one type): one string comparison.
  if (type === lastFound?.type) return lastFound.row;
  // A Map first: a type string read from JSON is found by its hash, without interning it for an
  // object key lookup. Rows added to the catalog at run time are found by the fallback.
  const row = rowsByType.get(type);
  if (row !== undefined) {
    lastFound = { type, row };
    return row;
  }
  return Object.hasOwn(rows, type) ? rows[type] : undefined;
}

// The last type found in the Map (its rows never change, so the answer stays right).
let lastFound: { readonly type: string; readonly row: EventCatalogRow } | undefined;

// The catalog seen as a plain table of rows (the same object: rows added at run time are found).
const rows: Readonly<Record<string, EventCatalogRow>> = eventCatalog;
const rowsByType: ReadonlyMap<string, EventCatalogRow> = new Map(Object.entries(rows));

/** Whether `type` is an event type this SDK knows. */
export function isKnownEventType(type: string): type is CactusEventType {
  return catalogRow(type) !== undefined;
}

/**
 * Every known event type, read from the catalog now: what dispatch, the router's patterns and the
 * emulator use, so they all follow the catalog.
 */
export function knownEventTypes(): CactusEventType[] {
  return Object.keys(eventCatalog).filter(isKnownEventType);
}

/** Every known event type, in catalog order. */
export const cactusEventTypes: readonly CactusEventType[] = Object.freeze(knownEventTypes());

/** Whether `event` is of a known type; narrows a {@link PushedThinEvent} to {@link KnownPushedEvent}. */
export function isKnownEvent(event: PushedThinEvent): event is KnownPushedEvent {
  return event.known;
}
