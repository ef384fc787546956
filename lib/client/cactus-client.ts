import { CactusConfigError, CactusResponseMismatchError } from "../errors";
import { readEnv } from "../platform/env";
import { CURRENT_API_VERSION, isKnownApiVersion, knownApiVersionsText, type CactusApiVersion } from "../events/api-versions";
import { bindEvent, type CactusEventSource } from "../events/base";
import type { CactusEventType, FullThinEvent, PushedThinEvent } from "../events/catalog";
import { decodeJsonObject, type EventBody } from "../events/json";
import { hydrate, parseFullEvent, parseGenericThinEvent, parseThinEvent } from "../events/parse";
import { Movie, Order } from "../events/related-objects";
import type { GenericThinEvent } from "../events/unknown";
import type { WebhookHeaders } from "../signature/headers";
import { requireRawBody, type WebhookRawBody } from "../signature/raw-body";
import { WebhookSecrets, type WebhookSecretInput } from "../signature/secrets";
import { checkWebhookHeaders, type VerifyWebhookOptions } from "../signature/verify";
import { verifyDelivery, verifyDeliveryAsync } from "../signature/verify-delivery";
import type { CactusInstrumentation } from "../observability/instrumentation";
import { listEventsPath, paginateEvents, readEventPage, type CactusEventPage, type ListedEvent, type ListEventsParams } from "./list-events";
import { idSegment } from "./object-id";
import { checkRequestOptions, type CactusRequestOptions } from "./request-options";
import { HttpTransport, SDK_VERSION, type CactusFetch } from "./transport";
import { userAgentWith, type CactusAppInfo } from "./user-agent";

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
  /**
   * Largest successful answer accepted, in bytes. Default 1 MiB. A bigger body is not buffered:
   * reading stops at the limit and the call throws `CactusResponseTooLargeError`. Error answers are
   * read up to 64 KiB whatever this says.
   */
  maxResponseBytes?: number;
  /** The `fetch` implementation to use. Default: the global `fetch`. */
  fetch?: CactusFetch;
  /** Your application, appended to the `User-Agent` header: `cactus-sdk/0.1.0 acme/2.1.0`. */
  appInfo?: CactusAppInfo;
  /**
   * Metrics and tracing of every API attempt (retries included), e.g. `cactusPrometheus()` from
   * `cactus-sdk/prometheus`. Default: the instrumentation of the delivery whose handler is calling.
   */
  instrumentation?: CactusInstrumentation;
  /**
   * The API version to pin: sent as `Cactus-Version` on every request, so the API answers in that
   * shape, and what an event without `api_version` is read as. Default: this SDK's current version.
   * Handlers see today's classes whatever is pinned (older shapes are upcast). An unknown version
   * throws {@link CactusConfigError} naming the known ones.
   */
  apiVersion?: CactusApiVersion;
}

// What a sync constructEvent() on a runtime without node:crypto says to call instead.
const CONSTRUCT_EVENT_NAMES = { caller: "client.constructEvent()", asyncTwin: "client.constructEventAsync()" } as const;

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
  /** The API version this client is pinned to (sent as `Cactus-Version`). */
  readonly apiVersion: CactusApiVersion;
  private readonly transport: HttpTransport;
  // Concurrent retrievals of one path share a request: N events about one order in flight = 1 call.
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** @param options API key and transport settings; a missing key or bad value throws {@link CactusConfigError}. */
  constructor(options: CactusClientOptions) {
    this.apiVersion = pinnedVersion(options.apiVersion);
    // The transport checks every option (and never quotes the key in its messages).
    this.transport = new HttpTransport({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl ?? readEnv("CACTUS_API_BASE_URL") ?? DEFAULT_BASE_URL,
      maxRetries: options.maxRetries ?? 2,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxResponseBytes: options.maxResponseBytes,
      fetch: options.fetch,
      userAgent: userAgentWith(`cactus-sdk/${SDK_VERSION}`, options.appInfo),
      instrumentation: options.instrumentation,
      apiVersion: this.apiVersion,
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

  /**
   * Verifies a webhook delivery's Standard Webhooks signature and parses it in one call, without
   * dispatching it: the typed pushed event, bound to this client (so `pull()` works). Pass the
   * **raw** body (string or bytes, as received) and the request headers.
   * Rejects with `CactusSignatureError` (missing headers, stale timestamp, no matching signature,
   * or a `webhook-id` that is not the body's id), `CactusParseError` or `CactusValidationError`.
   *
   * @example
   * ```ts
   * app.post("/webhooks", express.raw({ type: "application/json" }), (req, res) => {
   *   const event = client.constructEvent(req.body, req.headers, process.env.CACTUS_WEBHOOK_SECRET!);
   *   queue.push(event.id); // handle it later, e.g. with event.pull()
   *   res.sendStatus(200);
   * });
   * ```
   */
  constructEvent(
    rawBody: WebhookRawBody,
    headers: WebhookHeaders,
    secret: WebhookSecretInput | WebhookSecrets,
    options?: VerifyWebhookOptions,
  ): PushedThinEvent {
    const delivery = verifyDelivery(requireRawBody(rawBody), checkWebhookHeaders(headers, options), WebhookSecrets.parse(secret), CONSTRUCT_EVENT_NAMES);
    return parseThinEvent(delivery.body, this);
  }

  /**
   * The async twin of {@link CactusClient.constructEvent}, on Web Crypto (`crypto.subtle`): the
   * same checks, errors and result, on every runtime (Cloudflare Workers with or without
   * `nodejs_compat`, Vercel Edge, Deno Deploy, Bun, Node). Where `node:crypto` is missing,
   * `constructEvent` throws `CactusRuntimeError` naming this method.
   *
   * @example
   * ```ts
   * export default {
   *   async fetch(request: Request, env: { CACTUS_API_KEY: string; CACTUS_WEBHOOK_SECRET: string }) {
   *     const client = new CactusClient({ apiKey: env.CACTUS_API_KEY });
   *     const event = await client.constructEventAsync(await request.text(), request.headers, env.CACTUS_WEBHOOK_SECRET);
   *     return new Response(event.id);
   *   },
   * };
   * ```
   */
  async constructEventAsync(
    rawBody: WebhookRawBody,
    headers: WebhookHeaders,
    secret: WebhookSecretInput | WebhookSecrets,
    options?: VerifyWebhookOptions,
  ): Promise<PushedThinEvent> {
    const delivery = await verifyDeliveryAsync(requireRawBody(rawBody), checkWebhookHeaders(headers, options), WebhookSecrets.parse(secret));
    return parseThinEvent(delivery.body, this);
  }

  /**
   * `GET /v2/events/{id}`: the full event, as its own class (or `UnknownFullEvent`).
   *
   * @example
   * ```ts
   * const event = await client.retrieveEvent("evt_123", { timeoutMs: 2_000 });
   * if (event instanceof OrderShippedEvent) console.log(event.data.shippingService);
   * ```
   */
  async retrieveEvent(id: string, options?: CactusRequestOptions): Promise<FullThinEvent> {
    const path = `/v2/events/${idSegment("event", id)}`;
    const json = await this.get(path, options);
    const event = bindEvent(parseFullEvent(asBody(json), `API answer for event ${id}`, this.apiVersion), this);
    return sameId(event, id, path);
  }

  /** `GET /v1/orders/{id}`: the {@link Order}. `options` may carry a `signal`, `timeoutMs`, `maxRetries`. */
  async retrieveOrder(id: string, options?: CactusRequestOptions): Promise<Order> {
    const path = `/v1/orders/${idSegment("order", id)}`;
    const json = await this.get(path, options);
    return sameId(hydrate(Order, decodeJsonObject(asBody(json)), `API answer for order ${id}`), id, path);
  }

  /** `GET /v1/movies/{id}`: the {@link Movie}. `options` may carry a `signal`, `timeoutMs`, `maxRetries`. */
  async retrieveMovie(id: string, options?: CactusRequestOptions): Promise<Movie> {
    const path = `/v1/movies/${idSegment("movie", id)}`;
    const json = await this.get(path, options);
    return sameId(hydrate(Movie, decodeJsonObject(asBody(json)), `API answer for movie ${id}`), id, path);
  }

  /**
   * One page of `GET /v2/events`, newest first: parsed pushed events bound to this client, and
   * the cursor of the next page. Bad params throw `CactusArgumentError` before any request.
   *
   * @example
   * ```ts
   * let page = await client.listEventsPage({ type: "order.shipped", limit: 100 });
   * while (page.hasMore) page = await client.listEventsPage({ type: "order.shipped", limit: 100, startingAfter: page.nextStartingAfter });
   * ```
   */
  listEventsPage<T extends CactusEventType>(params: ListEventsParams<T> & { type: T }, options?: CactusRequestOptions): Promise<CactusEventPage<ListedEvent<T>>>;
  listEventsPage(params?: ListEventsParams, options?: CactusRequestOptions): Promise<CactusEventPage>;
  async listEventsPage(params?: ListEventsParams, options?: CactusRequestOptions): Promise<CactusEventPage> {
    const path = listEventsPath(params);
    const json = await this.transport.getJson(path, checkRequestOptions(options));
    return readEventPage(json, path, params?.type, this);
  }

  /**
   * Every event matching `params`, newest first, fetching page after page as you iterate
   * (`has_more` / `starting_after`). Each event is parsed and bound to this client, so `pull()`
   * and `fetchRelatedObject()` work. With `type`, the events are of that type's class.
   *
   * Use it to catch up after an outage: list what was created since your last handled event,
   * and handle each one (delivery is at-least-once, so an idempotent handler skips the ones it saw).
   * Bad params throw `CactusArgumentError` at the call, before any request.
   *
   * @example
   * ```ts
   * for await (const event of client.listEvents({ createdAfter: outageStartedAt, limit: 100 })) {
   *   await handler.handle(event);
   * }
   * ```
   */
  listEvents<T extends CactusEventType>(params: ListEventsParams<T> & { type: T }, options?: CactusRequestOptions): AsyncGenerator<ListedEvent<T>, void, undefined>;
  listEvents(params?: ListEventsParams, options?: CactusRequestOptions): AsyncGenerator<PushedThinEvent, void, undefined>;
  listEvents(params: ListEventsParams = {}, options?: CactusRequestOptions): AsyncGenerator<PushedThinEvent, void, undefined> {
    listEventsPath(params); // throws now for bad params, not at the first next()
    checkRequestOptions(options);
    return paginateEvents(params, (pageParams) => this.listEventsPage(pageParams, options));
  }

  // Concurrent calls without per-call options share one request (N events about one order in
  // flight = 1 call). A call with options gets its own: one caller's abort must not fail another's.
  // Shares the raw JSON, not the hydrated instance: each caller gets its own object to keep.
  private get(path: string, options: CactusRequestOptions | undefined): Promise<unknown> {
    if (options !== undefined) return this.transport.getJson(path, checkRequestOptions(options));
    const pending = this.inFlight.get(path);
    if (pending) return pending;
    const request = this.transport.getJson(path).finally(() => this.inFlight.delete(path));
    this.inFlight.set(path, request);
    return request;
  }
}

function pinnedVersion(apiVersion: unknown): CactusApiVersion {
  if (apiVersion === undefined) return CURRENT_API_VERSION;
  if (isKnownApiVersion(apiVersion)) return apiVersion;
  const shown = typeof apiVersion === "string" ? JSON.stringify(apiVersion.slice(0, 40)) : typeof apiVersion;
  throw new CactusConfigError(`apiVersion must be an API version this SDK knows (${knownApiVersionsText()}); got ${shown}`);
}

function asBody(json: unknown): EventBody {
  // decodeJsonObject rejects non-objects with a CactusParseError; strings here are JSON strings, not bodies.
  return typeof json === "object" && json !== null ? json : JSON.stringify(json);
}

// An answer about another object (a misrouting proxy, a caching bug) must not pass for the one asked.
function sameId<T extends { readonly id: string }>(object: T, id: string, path: string): T {
  if (object.id !== id) throw new CactusResponseMismatchError("response_id_mismatch", path, id, object.id);
  return object;
}
