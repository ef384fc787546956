import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CactusConfigError, CactusError, CactusValidationError } from "../errors";
import { CURRENT_API_VERSION, isKnownApiVersion, knownApiVersionsText, type CactusApiVersion } from "../events/api-versions";
import { isKnownEventType, type CactusEventType } from "../events/catalog";
import { isAuthorized } from "./auth";
import { buildTriggeredEvent } from "./build-event";
import { checkBrowserOrigin } from "./dashboard/access";
import { errorBody } from "./error-body";
import { FailureInjector, type FailNextOptions } from "./failures";
import { FIXTURE_MOVIE, FIXTURE_ORDER, fixtureEvent, seededEvents } from "./fixtures";
import { DEFAULT_MAX_LOGGED_REQUESTS, RequestLog } from "./request-log";
import { route } from "./router";
import { EmulatorStore, thinOf } from "./store";
import { requestedVersion } from "./versions";
import type { WireErrorBody, WireFullEvent, WireMovie, WireObject, WireOrder, WireRelatedObject, WireThinEvent } from "./wire-types";

/** Options of {@link CactusEmulator}. */
export interface EmulatorOptions {
  /** The only API key accepted. Default `"sk_test_emulator"`. */
  apiKey?: string;
  /** Port to listen on. Default 0: a free port chosen by the OS. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Whether to load the fixtures (one event per known type, `ord_456`, `mov_789`). Default true. */
  seed?: boolean;
  /**
   * How many requests {@link CactusEmulator.requests} keeps (the most recent). Default 1000, so a
   * long-running emulator does not grow without bound; 0 keeps none.
   */
  maxLoggedRequests?: number;
  /**
   * More host names (without port) the emulator answers to, besides `127.0.0.1`, `localhost`,
   * `[::1]` and `host`; e.g. `["host.docker.internal"]` to reach it from a container. Any other
   * `Host` header is refused with 403, a guard against DNS rebinding.
   */
  allowedHosts?: readonly string[];
  /**
   * The API version answered to a request without a `Cactus-Version` header (an account's pinned
   * version). Default: this SDK's current one. An unknown version throws `CactusConfigError`.
   */
  apiVersion?: CactusApiVersion;
}

/** What {@link CactusEmulator.createEvent} may override. */
export interface CreateEventOverrides {
  /** The event id. Default: a fresh `evt_...`. */
  id?: string;
  /** Merged over the fixture data (known types) or used as the data (unknown types). */
  data?: WireObject;
  /** Replaces the fixture related object; `null` sends `"related_object": null`. */
  related_object?: WireRelatedObject | null;
  /** When the event was created, for the order of `GET /v2/events` and its `created_after`. Default: now. */
  created?: Date;
  /**
   * The API version the event is created in: the fixture data in that version's shape (`stars`
   * for `movie.completed` in 2025-06-01), `overrides.data` in its names, `api_version` set. The
   * API still answers it in whatever version a request asks for.
   */
  apiVersion?: CactusApiVersion;
}

/** One request the emulator received. Never holds the key, only whether it was right. */
export interface EmulatorRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path and query, as sent (cut at 2048 characters). */
  readonly path: string;
  /** Whether it carried `Authorization: Bearer <apiKey>`. */
  readonly authorized: boolean;
}

/**
 * A handler served under a path prefix of the emulator's own server, ahead of the API (no API key,
 * no injected failures, not in {@link CactusEmulator.requests}). The local dashboard is one.
 */
export interface EmulatorMount {
  /** Answers a request whose path is the prefix or under it. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Called by {@link CactusEmulator.close}, to stop timers and streams. */
  close?(): void;
}

/**
 * A request header that marks a request as the tooling's own (the `cactus` CLI's look-ups): the
 * failures scripted with {@link CactusEmulator.failNext} and {@link CactusEmulator.dropNext} are
 * neither applied to it nor used up by it, so they stay for your handler's requests.
 * `POST /v2/events` (the emulator's own route to create an event) is never failed either.
 */
export const EMULATOR_CONTROL_HEADER = "cactus-emulator-control";

/** The default emulator API key. */
export const DEFAULT_EMULATOR_API_KEY = "sk_test_emulator";

/**
 * A local Cactus API on a real `node:http` server, for tests, the demo and the CLI:
 * `GET /v2/events/{id}`, `/v1/orders/{id}` and `/v1/movies/{id}` with Bearer auth, JSON errors,
 * a `request-id` header, and scripted failures (`failNext`, `dropNext`, `setLatency`).
 *
 * @example
 * ```ts
 * const emulator = await CactusEmulator.start();
 * const client = new CactusClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
 * const event = client.parseEventV2(emulator.thinEventOf("evt_order_shipped"));
 * await emulator.close();
 * ```
 */
export class CactusEmulator {
  /** The only API key this emulator accepts. */
  readonly apiKey: string;
  /** The API version answered when a request sends no `Cactus-Version`. */
  readonly apiVersion: CactusApiVersion;
  readonly #host: string;
  readonly #port: number;
  readonly #server: Server;
  readonly #store = new EmulatorStore();
  readonly #failures = new FailureInjector();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #log: RequestLog<EmulatorRequest>;
  #requestCount = 0;
  readonly #mounts = new Map<string, EmulatorMount>();
  readonly #eventListeners = new Set<(event: WireFullEvent) => void>();
  readonly #hostNames: readonly string[];

  /** @param options key, port, host, and whether to load the fixtures. Call {@link listen} next. */
  constructor(options: EmulatorOptions = {}) {
    this.apiKey = options.apiKey ?? DEFAULT_EMULATOR_API_KEY;
    this.apiVersion = checkedVersion(options.apiVersion ?? CURRENT_API_VERSION, "CactusEmulator apiVersion");
    this.#host = options.host ?? "127.0.0.1";
    this.#port = options.port ?? 0;
    this.#hostNames = [...new Set(["127.0.0.1", "localhost", "[::1]", this.#host.includes(":") ? `[${this.#host}]` : this.#host, ...(options.allowedHosts ?? [])].map((name) => name.toLowerCase()))];
    this.#log = new RequestLog(options.maxLoggedRequests ?? DEFAULT_MAX_LOGGED_REQUESTS);
    this.#server = createServer((req, res) => this.#handleSafely(req, res));
    if (options.seed ?? true) this.#seed();
  }

  /** Constructs an emulator and starts listening. */
  static async start(options?: EmulatorOptions): Promise<CactusEmulator> {
    const emulator = new CactusEmulator(options);
    await emulator.listen();
    return emulator;
  }

  /** Starts listening on the configured host and port; a busy port rejects with a `CactusError`. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (cause: Error): void => {
        reject(new CactusError("emulator_listen_failed", `The Cactus emulator could not listen on ${this.#host}:${this.#port}: ${cause.message}`, { cause }));
      };
      this.#server.once("error", fail);
      this.#server.listen(this.#port, this.#host, () => {
        this.#server.off("error", fail);
        resolve();
      });
    });
  }

  /**
   * Stops the server. Also destroys idle keep-alive sockets (fetch keeps them open) and drops
   * pending delayed answers, so a test runner can exit right after.
   */
  close(): Promise<void> {
    for (const mount of this.#mounts.values()) mount.close?.();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (!this.#server.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
      this.#server.closeAllConnections();
    });
  }

  /** The base URL, e.g. `http://127.0.0.1:54321`. Only valid while listening. */
  get url(): string {
    const address = this.#server.address();
    if (address === null || typeof address === "string") {
      throw new CactusError("emulator_not_listening", "The Cactus emulator is not listening; await listen() (or CactusEmulator.start()) first");
    }
    return `http://${hostForUrl(address)}:${address.port}`;
  }

  /** The requests received since start or {@link reset}, oldest first: the last `maxLoggedRequests` (default 1000). */
  get requests(): ReadonlyArray<EmulatorRequest> {
    return this.#log.toArray();
  }

  /** Stores a full event (wire JSON), served at `GET /v2/events/{id}`. */
  addEvent(event: WireFullEvent): void {
    // Stamped with `created` (now, unless the event carries one), as Cactus sends it.
    const created = this.#store.putEvent(event);
    for (const listener of this.#eventListeners) listener({ ...structuredClone(event), created });
  }

  /**
   * Calls `listener` with a copy of every event stored from now on (by {@link createEvent},
   * {@link addEvent} or the API). Returns a function that stops it.
   */
  onEventStored(listener: (event: WireFullEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Serves `mount` for requests to `prefix` (e.g. `/_dashboard`) and every path under it. */
  mount(prefix: string, mount: EmulatorMount): void {
    this.#mounts.set(prefix.replace(/\/+$/, ""), mount);
  }

  /** Stores an order, served at `GET /v1/orders/{id}`. */
  addOrder(order: WireOrder): void {
    this.#store.putOrder(order);
  }

  /** Stores a movie, served at `GET /v1/movies/{id}`. */
  addMovie(movie: WireMovie): void {
    this.#store.putMovie(movie);
  }

  /** A copy of the full event `id` as stored (what `GET /v2/events/{id}` serves), or `undefined`. */
  storedEvent(id: string): WireFullEvent | undefined {
    return this.#store.event(id);
  }

  /**
   * A copy of the object `related` names (an order or a movie, as `GET /v1/orders/{id}` or
   * `/v1/movies/{id}` serves it), or `undefined` when the emulator has none.
   */
  storedObject(related: WireRelatedObject): WireOrder | WireMovie | undefined {
    if (related.type === "order") return this.#store.order(related.id);
    if (related.type === "movie") return this.#store.movie(related.id);
    return undefined;
  }

  /** The thin (pushed) JSON of stored event `id`: `id`, `type`, `created` and `related_object` only. */
  thinEventOf(id: string): WireThinEvent {
    const event = this.#store.event(id);
    if (!event) throw new CactusError("emulator_unknown_event", `The Cactus emulator has no event ${JSON.stringify(id)}`);
    return thinOf(event);
  }

  /**
   * Creates, stores and returns a new event with a fresh `evt_...` id. A known type starts from
   * its fixture (about `ord_456` or `mov_789`) with `overrides.data` merged over the data; an
   * unknown type gets `overrides.data` (default `{}`) and no related object unless given.
   * `overrides.created` sets its creation time (default now), which orders `GET /v2/events`.
   */
  createEvent(type: CactusEventType | (string & {}), overrides: CreateEventOverrides = {}): WireFullEvent {
    const { created } = overrides;
    if (created !== undefined && (!(created instanceof Date) || Number.isNaN(created.getTime()))) {
      throw new CactusConfigError("createEvent created must be a valid Date");
    }
    const id = overrides.id ?? `evt_${randomBytes(8).toString("hex")}`;
    const version = overrides.apiVersion === undefined ? undefined : checkedVersion(overrides.apiVersion, "createEvent apiVersion");
    const base: WireFullEvent = isKnownEventType(type)
      ? fixtureEvent(type, id, version)
      : { id, type, data: {}, ...(version === undefined ? {} : { api_version: version }) };
    const event: WireFullEvent = { ...base, data: { ...base.data, ...overrides.data } };
    if (overrides.related_object !== undefined) event.related_object = overrides.related_object;
    if (created !== undefined) event.created = created.toISOString();
    this.addEvent(event);
    return this.#store.event(id) ?? structuredClone(event);
  }

  /** The next `times` requests (optionally only under `pathPrefix`) answer `status` with an error body. */
  failNext(options: FailNextOptions): void {
    this.#failures.failNext(options);
  }

  /** Delays every answer by `ms` milliseconds (to exercise client timeouts). */
  setLatency(ms: number): void {
    this.#failures.latencyMs = ms;
  }

  /** The next `times` requests have their socket destroyed without an answer. */
  dropNext(times = 1): void {
    this.#failures.dropNext(times);
  }

  /** Clears pending failures, drops, latency and the request log (not the stored data). */
  reset(): void {
    this.#failures.reset();
    this.#log.clear();
  }

  #seed(): void {
    for (const event of seededEvents()) this.addEvent(event);
    this.addOrder(FIXTURE_ORDER);
    this.addMovie(FIXTURE_MOVIE);
  }

  // No request may take the server down (a thrown error in a request listener ends the process):
  // whatever goes wrong answers 500, or closes the socket when the answer had already started.
  #handleSafely(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.#handle(req, res);
    } catch {
      this.#abandon(res);
    }
  }

  #abandon(res: ServerResponse): void {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    try {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify(errorBody("api_error", "The emulator failed to answer this request")));
    } catch {
      res.destroy();
    }
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const mounted = this.#mountFor(req.url ?? "/");
    if (mounted) return mounted.handle(req, res);
    const refused = this.#refusedBrowserRequest(req);
    if (refused) {
      req.resume();
      return this.#answerNow(res, 403, refused);
    }
    const method = req.method ?? "GET";
    const creates = method === "POST" && (req.url ?? "").split("?")[0] === "/v2/events";
    if (!creates) req.resume(); // drain any other body (a POST to a GET-only route) so the socket stays usable
    const path = req.url ?? "/";
    const authorized = isAuthorized(req.headers.authorization, this.apiKey);
    this.#log.push({ method, path: path.length > MAX_LOGGED_PATH ? path.slice(0, MAX_LOGGED_PATH) : path, authorized });
    // The tooling's own requests (POST /v2/events, and the CLI's look-ups) are not the API your handler calls: never failed.
    const control = creates || req.headers[EMULATOR_CONTROL_HEADER] === "1";
    if (!control && this.#failures.takeDrop()) {
      req.socket.destroy();
      return;
    }
    const target = parseTarget(path);
    if (!target) {
      return this.#send(res, 400, JSON.stringify(errorBody("invalid_request_error", "The request target is not a valid path")), {});
    }
    const { pathname } = target;
    const injected = control ? undefined : this.#failures.takeFailure(pathname);
    if (injected) return this.#send(res, injected.status, injected.body, injected.headers);
    if (!authorized) {
      const message = req.headers.authorization === undefined
        ? "No API key provided: send Authorization: Bearer <your API key>"
        : "Invalid API key provided";
      return this.#send(res, 401, JSON.stringify(errorBody("authentication_error", message)), {});
    }
    const version = requestedVersion(req.headers["cactus-version"], this.apiVersion);
    if ("refused" in version) return this.#send(res, 400, JSON.stringify(errorBody("invalid_request_error", version.refused)), {});
    if (creates) {
      void this.#createFromRequest(req, res);
      return;
    }
    const answer = route(this.#store, method, pathname, target.searchParams, version.version);
    this.#send(res, answer.status, JSON.stringify(answer.body), answer.headers);
  }

  // `POST /v2/events` {type, data?, related_object?}: the emulator's own way to create an event over
  // HTTP (the Cactus API has none), used by `cactus trigger --api-url` so that a `cactus listen` on
  // this emulator forwards it. Validated by the SDK's parser: a bad shape answers 400 with issues.
  async #createFromRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const text = await readSmallBody(req, MAX_CREATE_BODY_BYTES);
      if (text === undefined) {
        return this.#send(res, 413, JSON.stringify(errorBody("invalid_request_error", `The body is larger than ${MAX_CREATE_BODY_BYTES} bytes`)), {});
      }
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch {
        return this.#send(res, 400, JSON.stringify(errorBody("invalid_request_error", "The body is not JSON")), {});
      }
      const event = buildTriggeredEvent(input);
      this.addEvent(event);
      const stored = this.#store.event(event.id);
      const thin = stored === undefined ? event : thinOf(stored);
      this.#send(res, 201, JSON.stringify(thin), {});
    } catch (error) {
      if (error instanceof CactusValidationError) {
        const body = { error: { type: "invalid_request_error", message: error.message, issues: error.issues } };
        return this.#send(res, 400, JSON.stringify(body), {});
      }
      this.#abandon(res);
    }
  }

  // A web page must not reach the API: not on a rebound name (its Host is not ours), not from
  // another origin, not as a cross-site browser request (the default key is public).
  #refusedBrowserRequest(req: IncomingMessage): WireErrorBody | undefined {
    const address = this.#server.address();
    const port = address !== null && typeof address === "object" ? address.port : this.#port;
    const fetchSite = req.headers["sec-fetch-site"];
    const denial = checkBrowserOrigin(
      { host: req.headers.host, origin: req.headers.origin, fetchSite: Array.isArray(fetchSite) ? fetchSite.join(",") : fetchSite },
      this.#hostNames.map((name) => `${name}:${port}`),
      "The Cactus emulator",
    );
    return denial === undefined ? undefined : errorBody(denial.reason === "host" ? "emulator_host_refused" : "emulator_origin_refused", denial.message);
  }

  // Answers at once: no latency, no request id, not counted (a refused request never reached the API).
  #answerNow(res: ServerResponse, status: number, body: object): void {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  #mountFor(path: string): EmulatorMount | undefined {
    const pathname = path.split("?")[0] ?? "";
    for (const [prefix, mount] of this.#mounts) {
      if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return mount;
    }
    return undefined;
  }

  #send(res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>>): void {
    const write = (): void => {
      // The client may have given up (timeout) and closed the socket while we waited.
      if (res.destroyed || res.writableEnded) return;
      this.#requestCount += 1;
      try {
        res.writeHead(status, {
          "content-type": "application/json",
          "request-id": `req_${this.#requestCount}`,
          ...headers,
        });
        res.end(body);
      } catch {
        // Runs in a timer when latency is set: a throw here would end the process, not a request.
        this.#abandon(res);
      }
    };
    const latency = this.#failures.latencyMs;
    if (latency <= 0) return write();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      write();
    }, latency);
    this.#timers.add(timer);
  }
}

function checkedVersion(version: unknown, what: string): CactusApiVersion {
  if (isKnownApiVersion(version)) return version;
  throw new CactusConfigError(`${what} must be an API version this SDK knows (${knownApiVersionsText()}); got ${typeof version === "string" ? JSON.stringify(version.slice(0, 40)) : typeof version}`);
}

/** Largest `POST /v2/events` body the emulator reads: 64 KiB. */
const MAX_CREATE_BODY_BYTES = 64 * 1024;

// The whole body as text, or `undefined` past `maxBytes` (the rest is not kept).
function readSmallBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// The log keeps the path for tests to read; a 16 KB request line need not be kept whole.
const MAX_LOGGED_PATH = 2048;

// `new URL` throws on targets like `//[` (a bad host in a scheme-relative URL): such a request
// gets a 400, not an exception.
function parseTarget(path: string): URL | undefined {
  try {
    return new URL(path, "http://emulator.invalid");
  } catch {
    return undefined;
  }
}

function hostForUrl(address: AddressInfo): string {
  return address.family === "IPv6" ? `[${address.address}]` : address.address;
}
