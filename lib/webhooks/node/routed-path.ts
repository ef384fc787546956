import type { IncomingMessage } from "node:http";
import { pathnameOf, type WebhookCore } from "../core";
import { trimSlash } from "../options";

/**
 * Whether a Node request is for this endpoint, however the middleware was mounted:
 * - the configured path (default `/webhooks`) is compared with the full path (`req.originalUrl`)
 *   and with the path below the mount point (`req.url`); either matching counts;
 * - with no explicit `path`, a request Express routed here also counts: a route
 *   (`app.post("/x", mw)`, `router.post(...)`) or the mount point itself (`app.use("/x", mw)`
 *   answers `/x`, while `/x/other` calls `next()`).
 */
export function isForThisEndpoint(req: IncomingMessage, core: WebhookCore, explicitPath: boolean): boolean {
  const url = req.url ?? "/";
  if (core.matchesPath(url)) return true;
  // What Express (and Connect, for `originalUrl`) add about how the request was routed; absent on bare node:http.
  const originalUrl: unknown = Reflect.get(req, "originalUrl");
  const baseUrl: unknown = Reflect.get(req, "baseUrl");
  const route: unknown = Reflect.get(req, "route");
  const fullUrl = typeof originalUrl === "string" ? originalUrl : url;
  if (core.matchesPath(fullUrl)) return true;
  if (explicitPath) return false;
  if (typeof route === "object" && route !== null) return true;
  const mounted = (typeof baseUrl === "string" && baseUrl !== "") || pathnameOf(fullUrl) !== pathnameOf(url);
  return mounted && trimSlash(pathnameOf(url)) === "/";
}
