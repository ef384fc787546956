import { CactusConfigError } from "../../errors";
import type { WireThinEvent } from "../wire-types";
import type { DeliveryAttemptRecord, DeliveryOutcome, EventDetail, EventSummary } from "./delivery-types";

/** Options of {@link DeliveryLog}. */
export interface DeliveryLogOptions {
  /** Events kept; the oldest is dropped past it. Default 10,000. */
  readonly maxEvents?: number;
  /** Attempts kept per event; the oldest is dropped past it. Default 50. */
  readonly maxAttemptsPerEvent?: number;
}

/** What {@link DeliveryLog.list} takes. */
export interface DeliveryLogQuery {
  /** Only events of this type. */
  readonly type?: string | undefined;
  /** Only events with this outcome. */
  readonly outcome?: DeliveryOutcome | undefined;
  /** Only events recorded before this `seq` (the previous page's last `seq`). */
  readonly before?: number | undefined;
  /** Page size, 1 to 100. Default 50. */
  readonly limit?: number | undefined;
}

/** A page of {@link DeliveryLog.list}, newest first. */
export interface EventPage {
  /** The events of this page. */
  readonly data: readonly EventSummary[];
  /** Whether older events match the same filters. */
  readonly hasMore: boolean;
  /** How many events match the filters in all. */
  readonly total: number;
}

interface Entry {
  summary: EventSummary;
  readonly body: string;
  attempts: DeliveryAttemptRecord[];
}

/**
 * The bounded history behind `cactus listen` and the dashboard: each event with its delivery
 * attempts. Keeps the newest `maxEvents` events, so a long session stays small; tells subscribers
 * about every change (the dashboard streams them).
 *
 * @example
 * ```ts
 * const log = new DeliveryLog({ maxEvents: 1000 });
 * log.subscribe((event) => console.log(event.id, event.outcome));
 * ```
 */
export class DeliveryLog {
  /** Events kept at most. */
  readonly maxEvents: number;
  /** Attempts kept per event at most. */
  readonly maxAttemptsPerEvent: number;
  // A Map keeps insertion order, which is `seq` order: the first key is the oldest event.
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<(event: EventSummary) => void>();
  #seq = 0;

  /** @param options how much history to keep */
  constructor(options: DeliveryLogOptions = {}) {
    this.maxEvents = positive("maxEvents", options.maxEvents ?? 10_000);
    this.maxAttemptsPerEvent = positive("maxAttemptsPerEvent", options.maxAttemptsPerEvent ?? 50);
  }

  /** How many events are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Records an event (an id seen again starts over as the newest) and returns its summary. */
  addEvent(thin: WireThinEvent, outcome: DeliveryOutcome): EventSummary {
    this.#entries.delete(thin.id);
    this.#seq += 1;
    const summary: EventSummary = {
      seq: this.#seq,
      id: thin.id,
      type: thin.type,
      created: new Date().toISOString(),
      relatedObject: thin.related_object ?? null,
      outcome,
      attemptCount: 0,
      lastStatus: null,
      nextRetryAt: null,
    };
    this.#entries.set(thin.id, { summary, body: JSON.stringify(thin), attempts: [] });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEvents) break;
      this.#entries.delete(oldest);
    }
    this.#notify(summary);
    return summary;
  }

  /**
   * Appends an attempt and sets the event's outcome and next retry time (default: the attempt's);
   * ignored when the event was dropped meanwhile.
   */
  addAttempt(id: string, attempt: DeliveryAttemptRecord, outcome: DeliveryOutcome, nextRetryAt: string | null = attempt.nextRetryAt): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.attempts.push(attempt);
    if (entry.attempts.length > this.maxAttemptsPerEvent) entry.attempts.shift();
    this.#update(entry, {
      outcome,
      attemptCount: entry.summary.attemptCount + 1,
      lastStatus: attempt.response?.status ?? null,
      nextRetryAt,
    });
  }

  /** The event `id` with its body and attempts, or `undefined`. */
  get(id: string): EventDetail | undefined {
    const entry = this.#entries.get(id);
    return entry ? { ...entry.summary, body: entry.body, attempts: [...entry.attempts] } : undefined;
  }

  /** A page of events, newest first, filtered by type and outcome. */
  list(query: DeliveryLogQuery = {}): EventPage {
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CactusConfigError(`DeliveryLog.list limit must be an integer from 1 to 100 (got ${limit})`);
    const matching: EventSummary[] = [];
    for (const { summary } of this.#entries.values()) {
      if (query.type !== undefined && summary.type !== query.type) continue;
      if (query.outcome !== undefined && summary.outcome !== query.outcome) continue;
      matching.push(summary);
    }
    matching.reverse();
    const start = query.before === undefined ? 0 : firstOlder(matching, query.before);
    return { data: matching.slice(start, start + limit), hasMore: start + limit < matching.length, total: matching.length };
  }

  /** Calls `listener` with the new summary whenever an event is added or changes; returns how to stop. */
  subscribe(listener: (event: EventSummary) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #update(entry: Entry, change: Partial<EventSummary>): void {
    entry.summary = { ...entry.summary, ...change };
    this.#notify(entry.summary);
  }

  #notify(summary: EventSummary): void {
    for (const listener of this.#listeners) listener(summary);
  }
}

// `events` is newest first, so `seq` decreases: binary search for the first one older than `before`.
function firstOlder(events: readonly EventSummary[], before: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((events[middle]?.seq ?? 0) >= before) low = middle + 1;
    else high = middle;
  }
  return low;
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new CactusConfigError(`DeliveryLog ${name} must be an integer >= 1 (got ${value})`);
  return value;
}
