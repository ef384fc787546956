import type { WireFullEvent, WireMovie, WireOrder, WireThinEvent } from "./wire-types";

/** What {@link EmulatorStore.listEvents} filters and pages by. */
export interface EventListQuery {
  /** Only events of this type. */
  readonly type?: string | undefined;
  /** Only events created strictly after this time (epoch milliseconds). */
  readonly createdAfterMs?: number | undefined;
  /** Only events older than this one (the cursor); it must exist. */
  readonly startingAfter?: string | undefined;
  /** Page size. */
  readonly limit: number;
}

/** A page of thin events, newest first, as `GET /v2/events` answers it. */
export interface EventListPage {
  /** The events. */
  readonly data: WireThinEvent[];
  /** Whether older matching events follow. */
  readonly has_more: boolean;
}

interface StoredEvent {
  readonly event: WireFullEvent;
  /** When it was created, epoch milliseconds: the list's order and `created_after`. */
  created: number;
  /** Insertion order, which breaks ties between events created in the same millisecond. */
  readonly seq: number;
}

/**
 * What the emulator serves: events, orders and movies by id. Maps, not objects, so an id like
 * `__proto__` is just a missing id; values are copied in and out so a caller who mutates what
 * it passed (or got back) cannot change what the server answers.
 */
export class EmulatorStore {
  readonly #events = new Map<string, StoredEvent>();
  #seq = 0;
  readonly #orders = new Map<string, WireOrder>();
  readonly #movies = new Map<string, WireMovie>();

  /**
   * Stores a full event, created now (or at `createdMs`, else at the event's own `created`).
   * Replacing an event keeps its place in the list and its creation time unless either is given.
   * Returns the `created` it stores the event with (ISO 8601).
   */
  putEvent(event: WireFullEvent, createdMs?: number): string {
    const previous = this.#events.get(event.id);
    const given = event.created === undefined ? Number.NaN : Date.parse(event.created);
    const created = createdMs ?? (Number.isNaN(given) ? undefined : given) ?? previous?.created ?? Date.now();
    // The event carries its creation time on the wire (thin and full), the same as the list's order.
    const iso = new Date(created).toISOString();
    this.#events.set(event.id, {
      event: { ...structuredClone(event), created: iso },
      created,
      seq: previous?.seq ?? (this.#seq += 1),
    });
    return iso;
  }

  /** Sets when event `id` was created; `false` if there is no such event. */
  setEventCreated(id: string, createdMs: number): boolean {
    const stored = this.#events.get(id);
    if (stored) {
      stored.created = createdMs;
      stored.event.created = new Date(createdMs).toISOString();
    }
    return stored !== undefined;
  }

  /** Whether event `id` is stored. */
  hasEvent(id: string): boolean {
    return this.#events.has(id);
  }

  /**
   * A page of thin events matching `query`, newest first (ties: the later stored first). The
   * cursor `startingAfter` must be a stored event; the page holds events after it in that order.
   */
  listEvents(query: EventListQuery): EventListPage {
    const ordered = [...this.#events.values()].sort(newestFirst);
    const cursor = query.startingAfter === undefined ? undefined : this.#events.get(query.startingAfter);
    const matching = ordered.filter(
      (stored) =>
        (query.type === undefined || stored.event.type === query.type) &&
        (query.createdAfterMs === undefined || stored.created > query.createdAfterMs) &&
        (cursor === undefined || newestFirst(cursor, stored) < 0),
    );
    return { data: matching.slice(0, query.limit).map((stored) => thinOf(stored.event)), has_more: matching.length > query.limit };
  }

  /** Stores (or replaces) an order. */
  putOrder(order: WireOrder): void {
    this.#orders.set(order.id, structuredClone(order));
  }

  /** Stores (or replaces) a movie. */
  putMovie(movie: WireMovie): void {
    this.#movies.set(movie.id, structuredClone(movie));
  }

  /** A copy of the event `id`, or `undefined`. */
  event(id: string): WireFullEvent | undefined {
    return copyOf(this.#events.get(id)?.event);
  }

  /** A copy of the order `id`, or `undefined`. */
  order(id: string): WireOrder | undefined {
    return copyOf(this.#orders.get(id));
  }

  /** A copy of the movie `id`, or `undefined`. */
  movie(id: string): WireMovie | undefined {
    return copyOf(this.#movies.get(id));
  }
}

function copyOf<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}

function newestFirst(a: StoredEvent, b: StoredEvent): number {
  return b.created - a.created || b.seq - a.seq;
}

/** The thin (pushed) JSON of a full event: `id`, `type`, `created`, `related_object` and, when it has one, `api_version`. */
export function thinOf(event: WireFullEvent): WireThinEvent {
  const thin: WireThinEvent = { id: event.id, type: event.type };
  if (event.created !== undefined) thin.created = event.created;
  if (event.related_object !== undefined) thin.related_object = structuredClone(event.related_object);
  if (event.api_version !== undefined) thin.api_version = event.api_version;
  return thin;
}
