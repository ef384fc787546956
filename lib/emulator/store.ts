import type { WireFullEvent, WireMovie, WireOrder } from "./wire-types";

/**
 * What the emulator serves: events, orders and movies by id. Maps, not objects, so an id like
 * `__proto__` is just a missing id; values are copied in and out so a caller who mutates what
 * it passed (or got back) cannot change what the server answers.
 */
export class EmulatorStore {
  readonly #events = new Map<string, WireFullEvent>();
  readonly #orders = new Map<string, WireOrder>();
  readonly #movies = new Map<string, WireMovie>();

  /** Stores (or replaces) a full event. */
  putEvent(event: WireFullEvent): void {
    this.#events.set(event.id, structuredClone(event));
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
    return copyOf(this.#events.get(id));
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
