import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The header that carries the dashboard token on JSON API calls (the page's script sends it). */
export const DASHBOARD_TOKEN_HEADER = "x-cactus-dashboard-token";

/** What {@link checkDashboardAccess} looks at in a request. */
export interface DashboardAccessRequest {
  /** The peer's address (`req.socket.remoteAddress`). */
  readonly remoteAddress: string | undefined;
  /** The `Host` header. */
  readonly host: string | undefined;
  /** The `Origin` header, which browsers send with fetches, form posts and event streams. */
  readonly origin: string | undefined;
  /** The token from the {@link DASHBOARD_TOKEN_HEADER} header or the `token` query parameter. */
  readonly token: string | undefined;
  /** The `Sec-Fetch-Site` header, which browsers send with every request (`cross-site` from another page). */
  readonly fetchSite?: string | undefined;
}

/** What {@link checkBrowserOrigin} looks at: the headers a rebound or foreign page cannot hide. */
export interface BrowserOriginRequest {
  /** The `Host` header. */
  readonly host: string | undefined;
  /** The `Origin` header. */
  readonly origin: string | undefined;
  /** The `Sec-Fetch-Site` header. */
  readonly fetchSite?: string | undefined;
}

/** Why {@link checkBrowserOrigin} refused a request: a `Host` it does not serve, or another page's request. */
export interface BrowserOriginDenial {
  /** `host` (DNS rebinding: a foreign name that resolves here) or `origin` (a cross-site page). */
  readonly reason: "host" | "origin";
  /** What was wrong, for a person. */
  readonly message: string;
}

/**
 * The guard of a local server against web pages: the `Host` must be one of `hosts`
 * (`name:port`, compared case-insensitively; a page on a rebound name sends its own name), an
 * `Origin` must be `http://` one of them, and `Sec-Fetch-Site` must not be `cross-site` or
 * `same-site` (a page on another port of this machine). Tools without these headers pass.
 * `server` names the server in the messages. Returns the denial, or `undefined` when it may.
 *
 * @example
 * ```ts
 * const denial = checkBrowserOrigin({ host: req.headers.host, origin: req.headers.origin }, ["127.0.0.1:12111"], "The emulator");
 * ```
 */
export function checkBrowserOrigin(request: BrowserOriginRequest, hosts: readonly string[], server: string): BrowserOriginDenial | undefined {
  const host = request.host?.toLowerCase();
  if (host === undefined || !hosts.includes(host.includes(":") && !host.endsWith("]") ? host : `${host}:80`)) {
    return { reason: "host", message: `${server} only answers requests addressed to ${hosts.join(" or ")} (refused Host ${JSON.stringify(request.host ?? "")}: a guard against DNS rebinding)` };
  }
  if (request.origin !== undefined && !hosts.some((allowed) => request.origin?.toLowerCase() === `http://${allowed}`)) {
    return { reason: "origin", message: `${server} refuses requests made by other pages (a foreign Origin)` };
  }
  if (request.fetchSite === "cross-site" || request.fetchSite === "same-site") {
    return { reason: "origin", message: `${server} refuses requests made by other pages (Sec-Fetch-Site: ${request.fetchSite})` };
  }
  return undefined;
}

/** Why a request was refused: the status to answer and a stable error type. */
export interface DashboardAccessDenial {
  /** 401 (token) or 403 (peer, host, origin). */
  readonly status: 401 | 403;
  /** Stable machine-readable type, e.g. `dashboard_origin_refused`. */
  readonly type: "dashboard_remote_refused" | "dashboard_host_refused" | "dashboard_origin_refused" | "dashboard_token_invalid";
  /** What was wrong, for a person. Never echoes a token. */
  readonly message: string;
}

/** A fresh per-run dashboard token: 24 random bytes, base64url. */
export function newDashboardToken(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Whether a request may use the dashboard: from this machine, addressed to the loopback host
 * (a guard against DNS rebinding), from no page but the dashboard's own (`Origin`), and carrying
 * this run's token. Returns the denial, or `undefined` when it may.
 *
 * @example
 * ```ts
 * const denial = checkDashboardAccess(request, { token, port: 12111 });
 * if (denial) return answer(denial.status, { error: { type: denial.type, message: denial.message } });
 * ```
 */
export function checkDashboardAccess(request: DashboardAccessRequest, expected: { readonly token: string; readonly port: number }): DashboardAccessDenial | undefined {
  if (!isLoopbackAddress(request.remoteAddress)) {
    return { status: 403, type: "dashboard_remote_refused", message: "The dashboard only answers requests from this machine" };
  }
  const hosts = [`127.0.0.1:${expected.port}`, `localhost:${expected.port}`];
  const refused = checkBrowserOrigin(request, hosts, "The dashboard");
  if (refused) return { status: 403, type: refused.reason === "host" ? "dashboard_host_refused" : "dashboard_origin_refused", message: refused.message };
  if (request.token === undefined || !sameSecret(request.token, expected.token)) {
    return {
      status: 401,
      type: "dashboard_token_invalid",
      message: request.token === undefined ? "The dashboard needs its token: open the URL that was printed at start-up" : "Wrong dashboard token: open the URL that was printed at start-up",
    };
  }
  return undefined;
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

// Hashes first: equal lengths for timingSafeEqual, and no early exit on a partly right guess.
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
