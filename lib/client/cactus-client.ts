import { CactusConfigError } from "../errors";
import { bindEvent, type CactusEventSource } from "../events/base";
import type { FullThinEvent, PushedThinEvent } from "../events/catalog";
import { decodeJsonObject, type EventBody } from "../events/json";
import { hydrate, parseFullEvent, parseGenericThinEvent, parseThinEvent } from "../events/parse";
import { Movie, Order } from "../events/related-objects";
import type { GenericThinEvent } from "../events/unknown";
import { HttpTransport } from "./transport";

/** The production API; `baseUrl` or the `CACTUS_API_BASE_URL` environment variable overrides it. */
export const DEFAULT_BASE_URL = "https://api.cactus.example";

/** Options of {@link CactusClient}. */
export interface CactusClientOptions {
  /** Secret API key, `sk_test_...` or `sk_live_...`. Sent as a Bearer token; never logged. */
  apiKey: string;
  /** API base URL. Default: `CACTUS_API_BASE_URL`, else `https://api.cactus.example`. */
  baseUrl?: string;
  /** Retries after the first attempt, for connection errors, timeouts, 408/409/429/5xx. Default 2. */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds. Default 10000. */
  timeoutMs?: number;
}

/**
 * Talks to the Cactus API and parses webhook bodies into typed events bound to it.
 *
 * @example
 * ```ts
 * const client = new CactusClient({ apiKey: process.env.CACTUS_API_KEY! });
 * const event = client.parseEventV2(body);
 * if (event instanceof UnknownPushedEvent) return;
 * switch (event.type) {
 *   case "movie.completed": {
 *     const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
 *     console.log(full.data.rating, movie.title);
 *   }
 * }
 * ```
 */
export class CactusClient implements CactusEventSource {
  private readonly transport: HttpTransport;
  // Concurrent retrievals of one path share a request: N events about one order in flight = 1 call.
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** @param options API key and transport settings; a missing key or bad number throws {@link CactusConfigError}. */
  constructor(options: CactusClientOptions) {
    // The transport checks every option (and never quotes the key in its messages).
    this.transport = new HttpTransport({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl ?? process.env.CACTUS_API_BASE_URL ?? DEFAULT_BASE_URL,
      maxRetries: options.maxRetries ?? 2,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  }

  /**
   * Parses a webhook body into the untyped v1 shape.
   * @deprecated Use {@link CactusClient.parseEventV2}: it returns a typed class per event type,
   * with `pull()` and `fetchRelatedObject()`, and needs no casts.
   */
  parseEventV1(body: EventBody): GenericThinEvent {
    return parseGenericThinEvent(body);
  }

  /**
   * Parses a webhook body (string, bytes or parsed object) into its pushed class, bound to this
   * client. Unknown types become `UnknownPushedEvent`; a known type with a wrong shape throws
   * `CactusValidationError` naming the field; bad JSON throws `CactusParseError`.
   */
  parseEventV2(body: EventBody): PushedThinEvent {
    return parseThinEvent(body, this);
  }

  /** `GET /v2/events/{id}`: the full event, as its own class (or `UnknownFullEvent`). */
  async retrieveEvent(id: string): Promise<FullThinEvent> {
    const json = await this.get(`/v2/events/${encodeId(id)}`);
    return bindEvent(parseFullEvent(asBody(json), `API answer for event ${id}`), this);
  }

  /** `GET /v1/orders/{id}`: the {@link Order}. */
  async retrieveOrder(id: string): Promise<Order> {
    const json = await this.get(`/v1/orders/${encodeId(id)}`);
    return hydrate(Order, decodeJsonObject(asBody(json)), `API answer for order ${id}`);
  }

  /** `GET /v1/movies/{id}`: the {@link Movie}. */
  async retrieveMovie(id: string): Promise<Movie> {
    const json = await this.get(`/v1/movies/${encodeId(id)}`);
    return hydrate(Movie, decodeJsonObject(asBody(json)), `API answer for movie ${id}`);
  }

  // Shares the raw JSON, not the hydrated instance: each caller gets its own object to keep.
  private get(path: string): Promise<unknown> {
    const pending = this.inFlight.get(path);
    if (pending) return pending;
    const request = this.transport.getJson(path).finally(() => this.inFlight.delete(path));
    this.inFlight.set(path, request);
    return request;
  }
}

function asBody(json: unknown): EventBody {
  // decodeJsonObject rejects non-objects with a CactusParseError; strings here are JSON strings, not bodies.
  return typeof json === "object" && json !== null ? json : JSON.stringify(json);
}

function encodeId(id: string): string {
  if (typeof id !== "string" || id === "") throw new CactusConfigError("An object id must be a non-empty string");
  return encodeURIComponent(id);
}
