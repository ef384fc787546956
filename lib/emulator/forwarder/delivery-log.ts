import { CactusConfigError } from "../../errors";
import type { WireThinEvent } from "../wire-types";
import type { DeliveryAttemptRecord, DeliveryOutcome, EventDetail, EventSummary } from "./delivery-types";

/** Default {@link DeliveryLogOptions.maxBytes}: 64 MiB. */
export const DEFAULT_DELIVERY_LOG_MAX_BYTES = 64 * 1024 * 1024;

/** Options of {@link DeliveryLog}. */
export interface DeliveryLogOptions {
  /** Events kept; the oldest is dropped past it. Default 10,000. */
  readonly maxEvents?: number;
  /** Attempts kept per event; the oldest is dropped past it. Default 50. */
  readonly maxAttemptsPerEvent?: number;
  /**
   * Memory the log may hold, in bytes, estimated from what it records (two bytes per character of
   * every body, header and error kept, plus a fixed amount per event and per attempt): past it the
   * oldest events are dropped, whatever `maxEvents` says. Default 64 MiB
   * ({@link DEFAULT_DELIVERY_LOG_MAX_BYTES}).
   */
  readonly maxBytes?: number;
}

/** What {@link DeliveryLog.list} takes. */
export interface DeliveryLogQuery {
  /** Only events of this type. */
  readonly type?: string | undefined;
  /** Only events with this outcome. */
  readonly outcome?: DeliveryOutcome | undefined;
  /**
   * Only events whose id, or whose related object's id, contains this text (case-insensitive),
   * e.g. `evt_5f0c` or `ord_123`.
   */
  readonly search?: string | undefined;
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
  /** Estimated bytes of this entry, its attempts included. */
  bytes: number;
}

// What an event's and an attempt's objects take beside their strings (summary, records, header
// maps): deliberately generous, so that the estimate stays above what the heap holds.
const EVENT_OVERHEAD_BYTES = 1024;
const ATTEMPT_OVERHEAD_BYTES = 1536;

/**
 * The bounded history behind `cactus listen` and the dashboard: each event with its delivery
 * attempts. Keeps the newest `maxEvents` events within `maxBytes`, so a long session stays small
 * whatever the endpoint answers; tells subscribers about every change (the dashboard streams them)
 * and about every event it drops ({@link onDrop}), so that nothing else keeps what left the log.
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
  /** Estimated bytes kept at most. */
  readonly maxBytes: number;
  // A Map keeps insertion order, which is `seq` order: the first key is the oldest event.
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<(event: EventSummary) => void>();
  readonly #dropListeners = new Set<(id: string) => void>();
  #seq = 0;
  #bytes = 0;

  /** @param options how much history to keep */
  constructor(options: DeliveryLogOptions = {}) {
    this.maxEvents = positive("maxEvents", options.maxEvents ?? 10_000);
    this.maxAttemptsPerEvent = positive("maxAttemptsPerEvent", options.maxAttemptsPerEvent ?? 50);
    this.maxBytes = positive("maxBytes", options.maxBytes ?? DEFAULT_DELIVERY_LOG_MAX_BYTES);
  }

  /** How many events are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Estimated bytes kept now (see {@link DeliveryLogOptions.maxBytes}); never above {@link maxBytes} for long. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Records an event (an id seen again starts over as the newest) and returns its summary. */
  addEvent(thin: WireThinEvent, outcome: DeliveryOutcome): EventSummary {
    const previous = this.#entries.get(thin.id);
    if (previous) {
      this.#entries.delete(thin.id);
      this.#bytes -= previous.bytes;
    }
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
    const body = JSON.stringify(thin);
    const entry: Entry = { summary, body, attempts: [], bytes: EVENT_OVERHEAD_BYTES + 2 * (body.length + thin.id.length + thin.type.length) };
    this.#entries.set(thin.id, entry);
    this.#bytes += entry.bytes;
    this.#trim(entry);
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
    this.#resize(entry, attemptBytes(attempt, entry.body));
    if (entry.attempts.length > this.maxAttemptsPerEvent) this.#dropOldestAttempt(entry);
    this.#trim(entry);
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
    const search = query.search === undefined || query.search === "" ? undefined : query.search.toLowerCase();
    for (const { summary } of this.#entries.values()) {
      if (query.type !== undefined && summary.type !== query.type) continue;
      if (query.outcome !== undefined && summary.outcome !== query.outcome) continue;
      if (search !== undefined && !summary.id.toLowerCase().includes(search) && !(summary.relatedObject?.id.toLowerCase().includes(search) ?? false)) continue;
      matching.push(summary);
    }
    matching.reverse();
    const start = query.before === undefined ? 0 : firstOlder(matching, query.before);
    return { data: matching.slice(start, start + limit), hasMore: start + limit < matching.length, total: matching.length };
  }

  /** The event types of the events kept, each once, sorted (unknown types included). */
  typesSeen(): string[] {
    const types = new Set<string>();
    for (const { summary } of this.#entries.values()) types.add(summary.type);
    return [...types].sort();
  }

  /** Calls `listener` with the new summary whenever an event is added or changes; returns how to stop. */
  subscribe(listener: (event: EventSummary) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Calls `listener` with the id of every event dropped to stay within `maxEvents` and `maxBytes`
   * (the forwarder forgets its state and retry for it); returns how to stop.
   */
  onDrop(listener: (id: string) => void): () => void {
    this.#dropListeners.add(listener);
    return () => this.#dropListeners.delete(listener);
  }

  // Drops the oldest events until both limits hold; never `keep` (the event just changed): if it
  // alone is over `maxBytes`, its own oldest attempts go instead.
  #trim(keep: Entry): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.maxEvents && this.#bytes <= this.maxBytes) return;
      if (entry === keep) continue;
      this.#entries.delete(id);
      this.#bytes -= entry.bytes;
      for (const listener of this.#dropListeners) listener(id);
    }
    while (this.#bytes > this.maxBytes && keep.attempts.length > 1) this.#dropOldestAttempt(keep);
  }

  #dropOldestAttempt(entry: Entry): void {
    const oldest = entry.attempts.shift();
    if (oldest) this.#resize(entry, -attemptBytes(oldest, entry.body));
  }

  #resize(entry: Entry, change: number): void {
    entry.bytes += change;
    this.#bytes += change;
  }

  #update(entry: Entry, change: Partial<EventSummary>): void {
    entry.summary = { ...entry.summary, ...change };
    this.#notify(entry.summary);
  }

  #notify(summary: EventSummary): void {
    for (const listener of this.#listeners) listener(summary);
  }
}

// Two bytes per character kept (a string's most), plus the records' own objects. The request's
// body is the event's own string, shared, so it is counted once, with the event.
function attemptBytes(attempt: DeliveryAttemptRecord, eventBody: string): number {
  let chars = attempt.startedAt.length + (attempt.error?.length ?? 0) + (attempt.detail?.length ?? 0) + (attempt.nextRetryAt?.length ?? 0) + attempt.request.url.length;
  if (attempt.request.body !== eventBody) chars += attempt.request.body.length;
  chars += headerChars(attempt.request.headers);
  if (attempt.response) chars += attempt.response.body.length + headerChars(attempt.response.headers);
  return ATTEMPT_OVERHEAD_BYTES + 2 * chars;
}

function headerChars(headers: Readonly<Record<string, string>>): number {
  let chars = 0;
  for (const [name, value] of Object.entries(headers)) chars += name.length + value.length + 16;
  return chars;
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
