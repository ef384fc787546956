import { cactusEventTypes, eventCatalog, type CactusEventType } from "../events/catalog";
import type { CactusApiVersion } from "../events/api-versions";
import type { RelatedObjectKind } from "../events/related-objects";
import { dataInVersion } from "./versions";
import type { WireFullEvent, WireMovie, WireObject, WireOrder, WireRelatedObject } from "./wire-types";

/** The fixture order, `ord_456`. */
export const FIXTURE_ORDER: Readonly<WireOrder> = Object.freeze({
  id: "ord_456",
  created: "2024-05-01T12:30:00.000Z",
  num_items: 3,
  cost_cents: 4599,
  delivery_date: "2024-05-04",
});

/** The fixture movie, `mov_789`. */
export const FIXTURE_MOVIE: Readonly<WireMovie> = Object.freeze({
  id: "mov_789",
  title: "The Prickly Pear",
  release_year: 2021,
});

// A Record over every kind: a new related-object kind does not compile until it has a fixture.
const fixtureObjectIds: Readonly<Record<RelatedObjectKind, string>> = {
  order: FIXTURE_ORDER.id,
  movie: FIXTURE_MOVIE.id,
};

// A Record over the catalog's types: adding `movie.paused` to the catalog is a compile error
// here until it has fixture data, so the emulator can always serve every known type.
const fixtureData: Readonly<Record<CactusEventType, WireObject>> = {
  "order.shipped": { shipping_service: "usps" },
  "order.delivery_attempted": { success: false, attempt_num: 1, delivery_location: "front door" },
  "order.lost": { last_seen_city: "Tucson" },
  "movie.started": { date: "2024-05-02T20:15:00.000Z" },
  "movie.completed": { user: "ada", rating: 4.5 },
};

/** Type of the fixture event that this SDK does not know (to exercise `onOther` and unknown pulls). */
export const UNKNOWN_FIXTURE_TYPE = "order.refunded";

/** The fixture id of event type `type`: `evt_` + the type with `.` as `_`, e.g. `evt_order_shipped`. */
export function fixtureEventId(type: string): string {
  return `evt_${type.replace(/\./g, "_")}`;
}

/** The `related_object` that the catalog says `type` has, pointing at the fixture order or movie. */
export function fixtureRelatedObject(type: CactusEventType): WireRelatedObject | undefined {
  const kind: RelatedObjectKind | null = eventCatalog[type].relatedObject;
  return kind === null ? undefined : { id: fixtureObjectIds[kind], type: kind };
}

/**
 * A valid full event of known `type` with id `id`, backed by the fixture order or movie. With
 * `apiVersion`, its data has that version's shape (e.g. `stars` for `movie.completed` in
 * 2025-06-01) and it carries `api_version`.
 */
export function fixtureEvent(type: CactusEventType, id: string = fixtureEventId(type), apiVersion?: CactusApiVersion): WireFullEvent {
  const related = fixtureRelatedObject(type);
  const today = structuredClone(fixtureData[type]);
  const data = apiVersion === undefined ? today : dataInVersion(type, today, apiVersion);
  const event: WireFullEvent = related ? { id, type, related_object: related, data } : { id, type, data };
  if (apiVersion !== undefined) event.api_version = apiVersion;
  return event;
}

/** Every fixture event: one per known type, plus `evt_order_refunded` of the unknown type `order.refunded`. */
export function seededEvents(): WireFullEvent[] {
  return [
    ...cactusEventTypes.map((type) => fixtureEvent(type)),
    {
      id: fixtureEventId(UNKNOWN_FIXTURE_TYPE),
      type: UNKNOWN_FIXTURE_TYPE,
      related_object: { id: FIXTURE_ORDER.id, type: "order" },
      data: { amount_cents: 1299 },
    },
  ];
}
