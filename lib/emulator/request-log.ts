import { CactusConfigError } from "../errors";

/** How many requests the emulator remembers by default. */
export const DEFAULT_MAX_LOGGED_REQUESTS = 1_000;

/**
 * A ring buffer of the last `capacity` entries: a long-running emulator (`cactus emulator`, a
 * test suite's shared instance) keeps a fixed amount of memory however many requests it serves.
 */
export class RequestLog<T> {
  readonly #capacity: number;
  #entries: T[] = [];
  #next = 0; // where the next entry goes once the buffer is full

  /** @param capacity entries kept (0 keeps none); not a non-negative integer throws {@link CactusConfigError}. */
  constructor(capacity: number = DEFAULT_MAX_LOGGED_REQUESTS) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new CactusConfigError(`maxLoggedRequests must be an integer >= 0 (got ${String(capacity)})`);
    }
    this.#capacity = capacity;
  }

  /** Adds `entry`, dropping the oldest when full. */
  push(entry: T): void {
    if (this.#capacity === 0) return;
    if (this.#entries.length < this.#capacity) {
      this.#entries.push(entry);
      return;
    }
    this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** The kept entries, oldest first (a copy). */
  toArray(): T[] {
    return [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries = [];
    this.#next = 0;
  }
}
