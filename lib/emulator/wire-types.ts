/**
 * The JSON the Cactus API sends, exactly as on the wire (snake_case, ISO strings).
 * The emulator stores and serves these; the SDK's classes are what they hydrate into.
 *
 * Type aliases, not interfaces, on purpose: an alias of an object type is assignable to
 * `Record<string, unknown>` (and to {@link WireJson}), so a fixture can be handed to `hydrate`
 * or nested in other JSON without a cast.
 */

/** Any JSON value. */
export type WireJson = string | number | boolean | null | WireJson[] | { [key: string]: WireJson };

/** A JSON object, e.g. an event's `data`. */
export type WireObject = { [key: string]: WireJson };

/** The `related_object` pointer of an event: `{ "id": "ord_456", "type": "order" }`. */
export type WireRelatedObject = {
  /** Id of the related object. */
  id: string;
  /** Kind of the related object (`order`, `movie`, ...). */
  type: string;
};

/** A thin (pushed) event: what a webhook body carries. */
export type WireThinEvent = {
  /** Event id, `evt_...`. */
  id: string;
  /** Event type, e.g. `order.shipped`. */
  type: string;
  /** The object the event is about; absent (or null) for types that have none. */
  related_object?: WireRelatedObject | null;
  /** When Cactus created the event, ISO 8601 UTC (`2026-12-06T10:00:00.000Z`). The emulator always sends it. */
  created?: string;
  /** The API version of the event's shape, e.g. `2026-12-01` (always on a full event the API answers). */
  api_version?: string;
};

/** A full (pulled) event, as `GET /v2/events/{id}` answers it: the thin event plus `data`. */
export type WireFullEvent = WireThinEvent & {
  /** The event's data, with wire (snake_case) names. */
  data: WireObject;
};

/** An order, as `GET /v1/orders/{id}` answers it. */
export type WireOrder = {
  /** Order id, `ord_...`. */
  id: string;
  /** ISO 8601 timestamp. */
  created: string;
  /** Integer >= 0. */
  num_items: number;
  /** Integer >= 0. */
  cost_cents: number;
  /** ISO 8601 date, `YYYY-MM-DD`. */
  delivery_date: string;
};

/** A movie, as `GET /v1/movies/{id}` answers it. */
export type WireMovie = {
  /** Movie id, `mov_...`. */
  id: string;
  /** Title. */
  title: string;
  /** Year of release. */
  release_year: number;
};

/** The body of every error answer: `{"error": {"type": "not_found", "message": "..."}}`. */
export type WireErrorBody = {
  /** What went wrong. */
  error: {
    /** Machine-readable kind, e.g. `authentication_error`. */
    type: string;
    /** A sentence for humans. */
    message: string;
  };
};
