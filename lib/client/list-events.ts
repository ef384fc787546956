import { CactusApiError, CactusArgumentError, CactusResponseMismatchError } from "../errors";
import type { CactusEventSource } from "../events/base";
import { isKnownEventType, type CactusEventType, type PushedEventOf, type PushedThinEvent } from "../events/catalog";
import { parseThinEvent } from "../events/parse";
import { idSegment } from "./object-id";

/** Largest page the API serves. */
export const MAX_LIST_LIMIT = 100;

/**
 * Filters and paging of `client.listEvents` / `client.listEventsPage` (`GET /v2/events`).
 *
 * @example
 * ```ts
 * const params: ListEventsParams<"order.shipped"> = { type: "order.shipped", createdAfter: new Date("2024-05-01"), limit: 100 };
 * ```
 */
export interface ListEventsParams<T extends CactusEventType = CactusEventType> {
  /** Only events of this type. A misspelled type does not compile. */
  type?: T | undefined;
  /** Only events created strictly after this time. */
  createdAfter?: Date | undefined;
  /** Start after this event id (the cursor: the last id of the previous page). */
  startingAfter?: string | undefined;
  /** Page size, 1 to 100. Default (the API's): 20. */
  limit?: number | undefined;
}

/** What a list of `type` T yields: that type's pushed class, or every pushed class when no type was given. */
export type ListedEvent<T extends CactusEventType | undefined> = T extends CactusEventType ? PushedEventOf<T> : PushedThinEvent;

/**
 * One page of `GET /v2/events`, newest first.
 *
 * @example
 * ```ts
 * const page = await client.listEventsPage({ limit: 50 });
 * if (page.hasMore) await client.listEventsPage({ limit: 50, startingAfter: page.nextStartingAfter });
 * ```
 */
export interface CactusEventPage<E extends PushedThinEvent = PushedThinEvent> {
  /** The events, newest first, parsed and bound to the client (so `pull()` works). */
  readonly data: E[];
  /** Whether older events follow. */
  readonly hasMore: boolean;
  /** The cursor for the next page (`startingAfter`), when `hasMore`. */
  readonly nextStartingAfter: string | undefined;
}

/** Checks `params` and builds the request path, e.g. `/v2/events?type=order.shipped&limit=50`. */
export function listEventsPath(params: ListEventsParams<CactusEventType> | undefined): string {
  if (params === undefined) return "/v2/events";
  if (typeof params !== "object" || params === null) throw new CactusArgumentError("params", "listEvents params must be an object");
  const query = new URLSearchParams();
  const { type, createdAfter, startingAfter, limit } = params;
  if (type !== undefined) {
    if (typeof type !== "string" || !isKnownEventType(type)) {
      throw new CactusArgumentError("type", `type must be a known event type (got ${JSON.stringify(String(type)).slice(0, 80)})`);
    }
    query.set("type", type);
  }
  if (createdAfter !== undefined) {
    if (!(createdAfter instanceof Date) || Number.isNaN(createdAfter.getTime())) {
      throw new CactusArgumentError("createdAfter", "createdAfter must be a valid Date");
    }
    query.set("created_after", createdAfter.toISOString());
  }
  if (startingAfter !== undefined) {
    idSegment("event", startingAfter); // the same rules as an id in a path: a cursor is an event id
    query.set("starting_after", startingAfter);
  }
  if (limit !== undefined) {
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new CactusArgumentError("limit", `limit must be an integer from 1 to ${MAX_LIST_LIMIT} (got ${String(limit)})`);
    }
    query.set("limit", String(limit));
  }
  const search = query.toString();
  return search === "" ? "/v2/events" : `/v2/events?${search}`;
}

/**
 * Reads a `{"data": [...], "has_more": bool}` answer into a page of parsed events bound to
 * `source`. A wrong shape is `CactusApiError` `invalid_response`; an event that is not of the
 * requested type is {@link CactusResponseMismatchError}; a malformed event is `CactusValidationError`.
 */
export function readEventPage(json: unknown, path: string, type: CactusEventType | undefined, source: CactusEventSource): CactusEventPage {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw invalidPage(path, "it is not a JSON object");
  const data: unknown = Reflect.get(json, "data");
  const hasMore: unknown = Reflect.get(json, "has_more");
  if (!Array.isArray(data)) throw invalidPage(path, "data is not an array");
  if (typeof hasMore !== "boolean") throw invalidPage(path, "has_more is not a boolean");
  const events = data.map((item: unknown) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw invalidPage(path, "an item of data is not an object");
    const event = parseThinEvent(item, source);
    if (type !== undefined && event.type !== type) throw new CactusResponseMismatchError("response_type_mismatch", path, type, event.type);
    return event;
  });
  const last = events[events.length - 1];
  if (hasMore && last === undefined) throw invalidPage(path, "has_more is true but data is empty");
  return { data: events, hasMore, nextStartingAfter: hasMore ? last?.id : undefined };
}

/**
 * Every event matching `params`, page after page (following `has_more` with `starting_after`),
 * newest first. Fetches a page only when the previous one is used up.
 */
export async function* paginateEvents(
  params: ListEventsParams<CactusEventType>,
  fetchPage: (params: ListEventsParams<CactusEventType>) => Promise<CactusEventPage>,
): AsyncGenerator<PushedThinEvent, void, undefined> {
  let cursor = params.startingAfter;
  for (;;) {
    const page = await fetchPage(cursor === undefined ? params : { ...params, startingAfter: cursor });
    yield* page.data;
    if (!page.hasMore || page.nextStartingAfter === undefined) return;
    // A server that ignores the cursor would send the same page forever.
    if (page.nextStartingAfter === cursor) throw invalidPage("/v2/events", `the page after ${JSON.stringify(cursor)} ends with that same event`);
    cursor = page.nextStartingAfter;
  }
}

function invalidPage(path: string, why: string): CactusApiError {
  return new CactusApiError(`expected {"data": [...], "has_more": bool} but ${why}`, { status: 200, errorType: undefined, path }, "invalid_response");
}
