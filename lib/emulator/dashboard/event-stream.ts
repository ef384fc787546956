import type { ServerResponse } from "node:http";
import { CactusConfigError } from "../../errors";
import type { DeliveryLog, EventSummary } from "../forwarder";

/** Seconds between keep-alive comments, so proxies and browsers keep an idle stream open. */
const HEARTBEAT_MS = 15_000;

/** Default {@link DashboardEventStreamOptions.maxStreams}: open dashboard pages at once. */
export const DEFAULT_DASHBOARD_MAX_STREAMS = 32;

/** Default {@link DashboardEventStreamOptions.maxBufferedBytes}: 1 MiB unsent per page. */
export const DEFAULT_DASHBOARD_MAX_BUFFERED_BYTES = 1024 * 1024;

/** Options of {@link DashboardEventStream}. */
export interface DashboardEventStreamOptions {
  /** Streams open at once; one more is answered 503 `too_many_streams`. Default 32. */
  readonly maxStreams?: number;
  /**
   * Bytes a page may leave unread: a stream whose writes are refused (backpressure) and whose
   * buffer passes this is disconnected (the page reconnects and reloads the list). Default 1 MiB.
   */
  readonly maxBufferedBytes?: number;
}

/**
 * The dashboard's server-sent events: every change in the log goes to every open page as one
 * `event: event` message whose data is the event's new summary. Bounded: at most `maxStreams`
 * pages, and a page that stops reading is disconnected once `maxBufferedBytes` wait for it, so a
 * stalled reader never makes the process grow.
 */
export class DashboardEventStream {
  /** Streams open at once at most. */
  readonly maxStreams: number;
  /** Unsent bytes per stream at most. */
  readonly maxBufferedBytes: number;
  readonly #clients = new Set<ServerResponse>();
  readonly #unsubscribe: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  #disconnected = 0;

  /**
   * @param log the log whose changes are streamed
   * @param options how many streams, how much unsent data per stream
   */
  constructor(log: DeliveryLog, options: DashboardEventStreamOptions = {}) {
    this.maxStreams = positive("maxStreams", options.maxStreams ?? DEFAULT_DASHBOARD_MAX_STREAMS);
    this.maxBufferedBytes = positive("maxBufferedBytes", options.maxBufferedBytes ?? DEFAULT_DASHBOARD_MAX_BUFFERED_BYTES);
    this.#unsubscribe = log.subscribe((event) => this.#broadcast(event));
    this.#heartbeat = setInterval(() => this.#write(": ping\n\n"), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  /** How many pages are listening. */
  get size(): number {
    return this.#clients.size;
  }

  /** How many streams were disconnected for reading too slowly. */
  get disconnectedSlowReaders(): number {
    return this.#disconnected;
  }

  /**
   * Turns `res` into an event stream and keeps it until the page goes away; past `maxStreams`,
   * answers 503 `too_many_streams` instead (with `Retry-After`).
   */
  open(res: ServerResponse): void {
    if (this.#clients.size >= this.maxStreams) {
      res.writeHead(503, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "retry-after": "5" });
      res.end(JSON.stringify({ error: { type: "too_many_streams", message: `The dashboard already streams to ${this.maxStreams} pages: close a dashboard tab, then reload` } }));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    res.write("retry: 1000\n: connected\n\n");
    this.#clients.add(res);
    res.on("close", () => this.#clients.delete(res));
  }

  /** Ends every stream and stops listening to the log. */
  close(): void {
    this.#unsubscribe();
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #broadcast(event: EventSummary): void {
    this.#write(`event: event\ndata: ${JSON.stringify(event)}\n\n`);
  }

  #write(text: string): void {
    for (const res of this.#clients) {
      if (res.write(text) || res.writableLength <= this.maxBufferedBytes) continue;
      // A reader this far behind would only make the process grow: it reconnects and reloads.
      this.#clients.delete(res);
      this.#disconnected += 1;
      res.destroy();
    }
  }
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new CactusConfigError(`The dashboard's ${name} must be an integer >= 1 (got ${value})`);
  return value;
}
