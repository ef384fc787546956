import type { ServerResponse } from "node:http";
import type { DeliveryLog, EventSummary } from "../forwarder";

/** Seconds between keep-alive comments, so proxies and browsers keep an idle stream open. */
const HEARTBEAT_MS = 15_000;

/**
 * The dashboard's server-sent events: every change in the log goes to every open page as one
 * `event: event` message whose data is the event's new summary.
 */
export class DashboardEventStream {
  readonly #clients = new Set<ServerResponse>();
  readonly #unsubscribe: () => void;
  readonly #heartbeat: NodeJS.Timeout;

  /** @param log the log whose changes are streamed */
  constructor(log: DeliveryLog) {
    this.#unsubscribe = log.subscribe((event) => this.#broadcast(event));
    this.#heartbeat = setInterval(() => this.#write(": ping\n\n"), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  /** How many pages are listening. */
  get size(): number {
    return this.#clients.size;
  }

  /** Turns `res` into an event stream and keeps it until the page goes away. */
  open(res: ServerResponse): void {
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
    for (const res of this.#clients) res.write(text);
  }
}
