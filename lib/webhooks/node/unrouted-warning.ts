import type { IncomingMessage, ServerResponse } from "node:http";
import { readHeader } from "../../signature/headers";
import { boundText } from "../../observability/log-text";
import { formatConsoleLine } from "../../observability/logger";
import { consoleWarnings, heldBack } from "../../observability/warning-limiter";
import type { ObservabilitySettings } from "../../observability/settings";
import { pathnameOf } from "../core";

// Where the Node middlewares of this process answer, for the warning below (bounded: paths are
// configuration, not requests).
const mountedPaths = new Set<string>();
const MAX_REMEMBERED_PATHS = 20;
// Requests a middleware passed on (next()) and is watching; requests a middleware answered.
const watched = new WeakSet<IncomingMessage>();
const answered = new WeakSet<IncomingMessage>();
// Whether any middleware here passed a delivery on yet: until then no answer needs marking.
let watching = false;

/** Remembers where a middleware answers: its path, and with no explicit path also where Express routes it. */
export function rememberMountedPath(path: string, explicit: boolean): void {
  if (mountedPaths.size < MAX_REMEMBERED_PATHS) mountedPaths.add(`${JSON.stringify(path)}${explicit ? "" : " (or the route it is mounted on)"}`);
}

/** A middleware is answering `req` itself. */
export function markAnswered(req: IncomingMessage): void {
  if (watching) answered.add(req);
}

/**
 * A middleware passed `req` on to the app. If it is a POST with Standard Webhooks headers and the
 * app answers it 404 with no middleware having answered it, that is a delivery that reached no
 * receiver (a webhook URL whose path is not where the middleware is mounted): one warning line, at
 * most once a minute, naming the path and where receivers are mounted.
 */
export function watchPassedOn(req: IncomingMessage, res: ServerResponse, settings: ObservabilitySettings): void {
  if (watched.has(req) || req.method !== "POST" || readHeader(req.headers, "webhook-signature") === undefined) return;
  watched.add(req);
  watching = true;
  res.once("finish", () => {
    if (res.statusCode !== 404 || answered.has(req)) return;
    const suppressed = consoleWarnings.take("unrouted");
    if (suppressed === undefined) return;
    const original: unknown = Reflect.get(req, "originalUrl");
    // The path and the id come from the request: cut (and the path JSON-quoted, so escaped) for the
    // message; the id cut in the fields (a console line escapes it too).
    const path = JSON.stringify(boundText(pathnameOf(typeof original === "string" ? original : (req.url ?? "/"))));
    const where = [...mountedPaths].join(", ");
    const message = `a POST to ${path} with Standard Webhooks headers reached no receiver and was answered 404; cactus-sdk receivers here answer ${where}: point the webhook URL there, or mount the middleware on ${path}${heldBack(suppressed)}`;
    const id = readHeader(req.headers, "webhook-id");
    const fields = { deliveryId: id === undefined ? undefined : boundText(id), status: 404 };
    if (settings.customLogger) settings.logger.warn(fields, message);
    else console.warn(formatConsoleLine(fields, message));
  });
}
