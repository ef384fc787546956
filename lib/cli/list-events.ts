import { CactusApiError, CactusConnectionError, CactusTimeoutError } from "../errors";
import { apiErrorFor } from "../client/api-errors";
import { parseRetryAfterMs } from "../client/backoff";
import { isFetchNetworkError } from "../client/fetch-errors";
import type { WireThinEvent } from "../emulator/wire-types";
import { readThinEvent } from "./read-thin-event";

/** Where and as whom to call the Cactus API. */
export interface ApiTarget {
  /** Base URL, e.g. `https://api.cactus.example` or the emulator's. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never printed. */
  readonly apiKey: string;
}

/** The filters of `GET /v2/events`. */
export interface ListEventsQuery {
  /** Only events of this type (`type=`). */
  readonly type?: string | undefined;
  /** Only events created after this time (`created_after=`), passed as given. */
  readonly createdAfter?: string | undefined;
  /** The page after this event id (`starting_after=`). */
  readonly startingAfter?: string | undefined;
  /** Events per page, 1 to 100 (`limit=`). */
  readonly limit?: number | undefined;
}

/** One page of thin events, newest first. */
export interface EventsPage {
  /** The events of this page, newest first. */
  readonly data: readonly WireThinEvent[];
  /** Whether older events follow (ask again with `starting_after` = the last id). */
  readonly has_more: boolean;
}

const TIMEOUT_MS = 10_000;

/**
 * `GET /v2/events?type=&created_after=&starting_after=&limit=`: one page of thin events, newest
 * first. Errors are the client's typed errors (`CactusApiError` and subclasses,
 * `CactusConnectionError`, `CactusTimeoutError`), none of which contains the key.
 */
export async function listEvents(target: ApiTarget, query: ListEventsQuery): Promise<EventsPage> {
  const params = new URLSearchParams();
  if (query.type !== undefined) params.set("type", query.type);
  if (query.createdAfter !== undefined) params.set("created_after", query.createdAfter);
  if (query.startingAfter !== undefined) params.set("starting_after", query.startingAfter);
  if (query.limit !== undefined) params.set("limit", String(query.limit));
  const path = `/v2/events${params.size > 0 ? `?${params.toString()}` : ""}`;
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    // redirect "manual": following a redirect would send the key to wherever it points.
    response = await fetch(target.baseUrl.replace(/\/+$/, "") + path, {
      headers: { authorization: `Bearer ${target.apiKey}`, accept: "application/json" },
      redirect: "manual",
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new CactusTimeoutError(path, TIMEOUT_MS);
    throw new CactusConnectionError(path, isFetchNetworkError(error) && error.cause !== undefined ? error.cause : error);
  }
  const redact = (value: string): string => value.split(target.apiKey).join("[redacted]");
  const context = { status: response.status, path, requestId: response.headers.get("request-id") ?? undefined, redact };
  if (!response.ok) throw apiErrorFor(text, { ...context, retryAfterMs: parseRetryAfterMs(response.headers.get("retry-after")) });
  const page = parsePage(text);
  if (page === undefined) {
    throw new CactusApiError('expected a page of events, {"data": [...], "has_more": true|false}', { ...context, errorType: undefined }, "invalid_response");
  }
  return page;
}

function parsePage(text: string): EventsPage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== "object" || json === null || !("data" in json) || !("has_more" in json)) return undefined;
  const { data, has_more } = json;
  if (!Array.isArray(data) || typeof has_more !== "boolean") return undefined;
  const events: WireThinEvent[] = [];
  for (const item of data) {
    const event = readThinEvent(item);
    if (event === undefined) return undefined;
    events.push(event);
  }
  return { data: events, has_more };
}
