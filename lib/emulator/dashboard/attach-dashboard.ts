import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CactusConfigError } from "../../errors";
import type { CactusEmulator } from "../cactus-emulator";
import { DeliveryLog, thinOf, type WebhookForwarder } from "../forwarder";
import { checkDashboardAccess, DASHBOARD_TOKEN_HEADER, newDashboardToken } from "./access";
import { answerDashboardApi, dashboardConfig, dashboardRoutes, type DashboardContext, type DashboardRoute } from "./api";
import { DashboardEventStream } from "./event-stream";
import { dashboardContentSecurityPolicy, renderDashboardPage } from "./page";

/** Where the dashboard is served on the emulator's server. */
export const DASHBOARD_PATH = "/_dashboard";

/** Largest JSON body the dashboard's API reads. */
const MAX_BODY_BYTES = 256 * 1024;

/** Options of {@link attachDashboard}. */
export interface DashboardOptions {
  /** The forwarder whose deliveries are shown and replayed. Without one, events are listed as not forwarded. */
  readonly forwarder?: WebhookForwarder;
  /** The log to show when there is no forwarder. Default: a new {@link DeliveryLog}. */
  readonly log?: DeliveryLog;
  /** The token; default a fresh random one per run. */
  readonly token?: string;
  /** More JSON API routes, tried after the dashboard's own (a dead-letter view plugs in here). */
  readonly routes?: readonly DashboardRoute[];
  /** Pages streaming live updates at once; one more gets 503 `too_many_streams`. Default 32. */
  readonly maxStreams?: number;
  /** Unsent bytes a page's stream may hold before it is disconnected as too slow. Default 1 MiB. */
  readonly maxStreamBufferedBytes?: number;
}

/** A dashboard served by an emulator. */
export interface Dashboard {
  /** The page's URL, token included: print it, open it. */
  readonly url: string;
  /** The events and attempts it shows. */
  readonly log: DeliveryLog;
  /** The live-update streams: how many are open, the cap, how many slow readers were cut off. */
  readonly streams: DashboardStreamStats;
  /** Stops recording and ends open streams (the emulator's `close()` calls it too). */
  close(): void;
}

/** What {@link Dashboard.streams} says. */
export interface DashboardStreamStats {
  /** Pages streaming now. */
  readonly open: number;
  /** Pages that may stream at once. */
  readonly maxStreams: number;
  /** Streams disconnected so far because their page read too slowly. */
  readonly disconnectedSlowReaders: number;
}

/**
 * Serves the local dashboard under `/_dashboard` on `emulator`'s own server: the events created
 * from now on, each delivery attempt (with a `forwarder`), and Replay, Trigger and Fail next.
 * Only on a loopback address, only with the per-run token in the URL, and never for another
 * page's `Origin`.
 *
 * @example
 * ```ts
 * const emulator = await CactusEmulator.start();
 * const dashboard = attachDashboard(emulator);
 * console.log(`Dashboard: ${dashboard.url}`);
 * ```
 */
export function attachDashboard(emulator: CactusEmulator, options: DashboardOptions = {}): Dashboard {
  const port = loopbackPort(emulator.url);
  const token = options.token ?? newDashboardToken();
  const forwarder = options.forwarder;
  const log = forwarder?.log ?? options.log ?? new DeliveryLog();
  // With a forwarder, whoever wired it to the emulator records events; without, the dashboard does.
  const stopRecording = forwarder ? () => undefined : emulator.onEventStored((event) => log.addEvent(thinOf(event), "not_forwarded"));
  const extra = options.routes ?? [];
  const features = [...new Set(extra.flatMap((route) => (route.feature === undefined ? [] : [route.feature])))];
  const context: DashboardContext = { emulator, log, forwarder, features };
  const routes = [...dashboardRoutes, ...extra];
  const stream = new DashboardEventStream(log, {
    ...(options.maxStreams === undefined ? {} : { maxStreams: options.maxStreams }),
    ...(options.maxStreamBufferedBytes === undefined ? {} : { maxBufferedBytes: options.maxStreamBufferedBytes }),
  });
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    stopRecording();
    stream.close();
  };
  emulator.mount(DASHBOARD_PATH, {
    handle: (req, res) => void serve(req, res, { context, routes, stream, token, port }).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { type: "internal_error", message: error instanceof Error ? error.message : String(error) } });
      else res.destroy();
    }),
    close,
  });
  return {
    url: `http://127.0.0.1:${port}${DASHBOARD_PATH}/?token=${encodeURIComponent(token)}`,
    log,
    get streams(): DashboardStreamStats {
      return { open: stream.size, maxStreams: stream.maxStreams, disconnectedSlowReaders: stream.disconnectedSlowReaders };
    },
    close,
  };
}

interface Served {
  readonly context: DashboardContext;
  readonly routes: readonly DashboardRoute[];
  readonly stream: DashboardEventStream;
  readonly token: string;
  readonly port: number;
}

async function serve(req: IncomingMessage, res: ServerResponse, served: Served): Promise<void> {
  const url = new URL(req.url ?? "/", "http://dashboard.invalid");
  const headerToken = req.headers[DASHBOARD_TOKEN_HEADER];
  const denial = checkDashboardAccess(
    {
      remoteAddress: req.socket.remoteAddress,
      host: req.headers.host,
      origin: req.headers.origin,
      fetchSite: headerText(req.headers["sec-fetch-site"]),
      token: (typeof headerToken === "string" ? headerToken : undefined) ?? url.searchParams.get("token") ?? undefined,
    },
    served,
  );
  if (denial) {
    req.resume();
    return sendJson(res, denial.status, { error: { type: denial.type, message: denial.message } });
  }
  const path = url.pathname.slice(DASHBOARD_PATH.length);
  if (path === "" || path === "/") {
    req.resume();
    if (req.method !== "GET") return sendJson(res, 405, { error: { type: "method_not_allowed", message: "The dashboard page only answers GET" } });
    const nonce = randomBytes(16).toString("base64");
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": dashboardContentSecurityPolicy(nonce),
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
    });
    res.end(renderDashboardPage(dashboardConfig(served.context), served.token, nonce));
    return;
  }
  if (path === "/api/stream" && req.method === "GET") {
    req.resume();
    served.stream.open(res);
    return;
  }
  if (!path.startsWith("/api/")) {
    req.resume();
    return sendJson(res, 404, { error: { type: "not_found", message: `Unknown dashboard path: ${url.pathname}` } });
  }
  const method = req.method ?? "GET";
  let body: unknown;
  if (method === "POST") {
    const read = await readJson(req);
    if ("error" in read) return sendJson(res, read.status, { error: { type: read.type, message: read.error } });
    body = read.value;
  } else {
    req.resume();
  }
  const answer = await answerDashboardApi(served.context, { method, path: path.slice("/api".length), query: url.searchParams, body }, served.routes);
  sendJson(res, answer.status, answer.body);
}

type ReadResult = { readonly value: unknown } | { readonly status: number; readonly type: string; readonly error: string };

// A JSON content type is required: a cross-site HTML form cannot send one without a CORS
// preflight, which this server never approves.
async function readJson(req: IncomingMessage): Promise<ReadResult> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) {
    req.resume();
    return { status: 415, type: "unsupported_media_type", error: "The dashboard API takes JSON bodies: send content-type: application/json" };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > MAX_BODY_BYTES) return { status: 413, type: "body_too_large", error: `The body is larger than ${MAX_BODY_BYTES} bytes` };
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { value: {} };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { status: 400, type: "invalid_json", error: `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(JSON.stringify(body));
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

function loopbackPort(emulatorUrl: string): number {
  const url = new URL(emulatorUrl);
  if (url.hostname !== "127.0.0.1") {
    throw new CactusConfigError(`The dashboard is only served on a loopback address, but the emulator listens on ${url.hostname}; start it with host 127.0.0.1`);
  }
  return Number(url.port);
}
