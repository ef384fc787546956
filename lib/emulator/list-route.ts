import { errorBody } from "./error-body";
import type { RouteAnswer } from "./route-answer";
import type { EmulatorStore, EventListQuery } from "./store";

/** Default and largest page of `GET /v2/events`. */
export const LIST_LIMIT = { default: 20, max: 100 } as const;

const KNOWN_PARAMS = new Set(["type", "created_after", "starting_after", "limit"]);
// RFC 3339 date-time with a zone, e.g. 2024-05-01T12:30:00Z or 2024-05-01T12:30:00.123+02:00.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * `GET /v2/events?type=&created_after=&starting_after=&limit=`: a page of thin events, newest
 * first, `{"data": [...], "has_more": bool}`. `created_after` is an RFC 3339 timestamp or unix
 * seconds; `limit` is 1 to 100 (default 20). A bad, repeated or unknown parameter answers 400.
 */
export function listEventsRoute(store: EmulatorStore, params: URLSearchParams): RouteAnswer {
  const query = readQuery(store, params);
  if (typeof query === "string") return { status: 400, body: errorBody("invalid_request_error", query), headers: {} };
  return { status: 200, body: store.listEvents(query), headers: {} };
}

// The query, or what is wrong with it (a message naming the parameter).
function readQuery(store: EmulatorStore, params: URLSearchParams): EventListQuery | string {
  for (const name of new Set(params.keys())) {
    if (!KNOWN_PARAMS.has(name)) return `Unknown parameter ${quote(name)}; GET /v2/events takes type, created_after, starting_after and limit`;
    if (params.getAll(name).length > 1) return `Parameter ${name} was given more than once`;
  }
  const type = params.get("type") ?? undefined;
  if (type === "") return "type must not be empty";
  const createdAfter = params.get("created_after") ?? undefined;
  const createdAfterMs = createdAfter === undefined ? undefined : parseTime(createdAfter);
  if (Number.isNaN(createdAfterMs)) return `created_after must be an RFC 3339 timestamp (2024-05-01T12:30:00Z) or unix seconds (got ${quote(createdAfter ?? "")})`;
  const startingAfter = params.get("starting_after") ?? undefined;
  if (startingAfter !== undefined && !store.hasEvent(startingAfter)) return `starting_after: no such event ${quote(startingAfter)}`;
  const limitText = params.get("limit");
  const limit = limitText === null ? LIST_LIMIT.default : /^\d{1,3}$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!(limit >= 1 && limit <= LIST_LIMIT.max)) return `limit must be an integer from 1 to ${LIST_LIMIT.max} (got ${quote(limitText ?? "")})`;
  return { type, createdAfterMs, startingAfter, limit };
}

function parseTime(text: string): number {
  if (UNIX_SECONDS.test(text)) return Number(text) * 1000;
  return DATE_TIME.test(text) ? Date.parse(text) : Number.NaN;
}

// Parameters come from the request: quoted and cut short before they go into an answer.
function quote(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length > 60 ? `${quoted.slice(0, 56)}..."` : quoted;
}
