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
  if (request.host === undefined || !hosts.includes(request.host.toLowerCase())) {
    return { status: 403, type: "dashboard_host_refused", message: `The dashboard only answers requests addressed to ${hosts.join(" or ")}` };
  }
  if (request.origin !== undefined && !hosts.some((host) => request.origin?.toLowerCase() === `http://${host}`)) {
    return { status: 403, type: "dashboard_origin_refused", message: "The dashboard refuses requests made by other pages (a foreign Origin)" };
  }
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
