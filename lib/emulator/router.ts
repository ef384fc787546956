import { CURRENT_API_VERSION, type CactusApiVersion } from "../events/api-versions";
import { errorBody } from "./error-body";
import { listEventsRoute } from "./list-route";
import type { RouteAnswer } from "./route-answer";
import type { EmulatorStore } from "./store";
import { eventInVersion } from "./versions";

export type { RouteAnswer };


interface Route {
  readonly pattern: RegExp;
  readonly noun: string;
  readonly find: (store: EmulatorStore, id: string, version: CactusApiVersion) => object | undefined;
}

// The three resources the Cactus API serves. One id segment, nothing after it.
const routes: readonly Route[] = [
  { pattern: /^\/v2\/events\/([^/]+)$/, noun: "event", find: (store, id, version) => { const event = store.event(id); return event && eventInVersion(event, version); } },
  { pattern: /^\/v1\/orders\/([^/]+)$/, noun: "order", find: (store, id) => store.order(id) },
  { pattern: /^\/v1\/movies\/([^/]+)$/, noun: "movie", find: (store, id) => store.movie(id) },
];

/**
 * Answers an authenticated request: the resource or a page of events, 404 for an unknown id or
 * path, 405 for anything but GET. Events are answered in API version `version`. Knows nothing of
 * sockets, so it is tested without a server.
 */
export function route(store: EmulatorStore, method: string, pathname: string, params: URLSearchParams = new URLSearchParams(), version: CactusApiVersion = CURRENT_API_VERSION): RouteAnswer {
  if (method !== "GET") {
    return { status: 405, body: errorBody("method_not_allowed", `Method ${method} is not allowed; the Cactus API only answers GET`), headers: { allow: "GET" } };
  }
  if (pathname === "/v2/events") return listEventsRoute(store, params);
  for (const { pattern, noun, find } of routes) {
    const segment = pattern.exec(pathname)?.[1];
    if (segment === undefined) continue;
    const id = decodeSegment(segment);
    const found = id === undefined ? undefined : find(store, id, version);
    if (found) return { status: 200, body: found, headers: {} };
    return { status: 404, body: errorBody("not_found", `No such ${noun}: ${id ?? segment}`), headers: {} };
  }
  return { status: 404, body: errorBody("not_found", `Unknown path: ${pathname}`), headers: {} };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed percent-encoding: no stored id can match it
  }
}
