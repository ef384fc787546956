import { CactusConfigError, CactusError, CactusValidationError } from "../../errors";
import type { CactusEmulator } from "../cactus-emulator";
import { curlCommand, DELIVERY_OUTCOMES, type DeliveryLog, type DeliveryOutcome, type WebhookForwarder } from "../forwarder";
import {
  DEAD_LETTERS_FEATURE,
  type DashboardConfig,
  type DashboardCurlAnswer,
  type DashboardErrorBody,
  type DashboardEventContext,
  type DashboardEventPage,
  type DashboardFailNextAnswer,
} from "./api-types";
import { buildTriggeredEvent } from "../build-event";
import { dashboardEventTypes } from "./event-types";

/** What the JSON API needs: the emulator, the log it shows, and the forwarder, if any. */
export interface DashboardContext {
  /** The emulator whose events are shown and whose API Fail next scripts. */
  readonly emulator: CactusEmulator;
  /** The events and attempts shown. */
  readonly log: DeliveryLog;
  /** What Replay uses; without it, Replay answers 409. */
  readonly forwarder: WebhookForwarder | undefined;
  /** The `feature` names of the extra routes attached (e.g. `dead-letters`), which the page shows. */
  readonly features?: readonly string[];
}

/** One JSON API request, already authorized, with its body parsed. */
export interface DashboardApiRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path under `/_dashboard/api`, e.g. `/events/evt_1/replay`. */
  readonly path: string;
  /** Query parameters. */
  readonly query: URLSearchParams;
  /** The parsed JSON body (POST), or `undefined`. */
  readonly body: unknown;
}

/** The JSON API's answer. */
export interface DashboardApiAnswer {
  /** HTTP status. */
  readonly status: number;
  /** Serialized as JSON. */
  readonly body: object;
}

/**
 * One JSON API route: a method, a path pattern whose groups are the decoded parameters, and
 * what it answers. Extra routes (a dead-letter view, say) are added as rows of this shape.
 */
export interface DashboardRoute {
  /** `GET` or `POST`. */
  readonly method: "GET" | "POST";
  /** Matched against the path under `/_dashboard/api`. */
  readonly pattern: RegExp;
  /** Answers the request; `params` are the pattern's groups, decoded. */
  readonly answer: (context: DashboardContext, request: DashboardApiRequest, params: readonly string[]) => DashboardApiAnswer | Promise<DashboardApiAnswer>;
  /** The page feature this route serves (e.g. `dead-letters`): `GET /config` reports it as available. */
  readonly feature?: string;
}

/** The dashboard's own JSON API routes. */
export const dashboardRoutes: readonly DashboardRoute[] = [
  { method: "GET", pattern: /^\/config$/, answer: (context) => ok(dashboardConfig(context)) },
  { method: "GET", pattern: /^\/events$/, answer: listEvents },
  { method: "GET", pattern: /^\/events\/([^/]+)$/, answer: (context, _request, [id = ""]) => {
    const event = context.log.get(id);
    return event ? ok(event) : notFound(`No event ${JSON.stringify(id)} in the dashboard's history`);
  } },
  { method: "GET", pattern: /^\/events\/([^/]+)\/context$/, answer: eventContext },
  { method: "POST", pattern: /^\/events\/([^/]+)\/replay$/, answer: replay },
  { method: "POST", pattern: /^\/events\/([^/]+)\/curl$/, answer: curl },
  { method: "POST", pattern: /^\/trigger$/, answer: trigger },
  { method: "POST", pattern: /^\/fail-next$/, answer: failNext },
];

/**
 * Answers a JSON API request from `routes`: 404 for an unknown path, 405 for a known path with
 * another method. Knows nothing of sockets, so it is tested without a server.
 */
export async function answerDashboardApi(context: DashboardContext, request: DashboardApiRequest, routes: readonly DashboardRoute[] = dashboardRoutes): Promise<DashboardApiAnswer> {
  let pathKnown = false;
  for (const route of routes) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    pathKnown = true;
    if (route.method !== request.method) continue;
    const params = match.slice(1).map((segment) => safeDecode(segment ?? ""));
    try {
      return await route.answer(context, request, params);
    } catch (error) {
      return errorAnswer(error);
    }
  }
  return pathKnown
    ? failure(405, "method_not_allowed", `${request.method} is not allowed on ${request.path}`)
    : notFound(`Unknown dashboard API path: ${request.path}`);
}

/** What `GET /config` answers. */
export function dashboardConfig(context: DashboardContext): DashboardConfig {
  return {
    forwardingTo: context.forwarder?.url ?? null,
    maxEvents: context.log.maxEvents,
    eventTypes: dashboardEventTypes(),
    deadLetters: context.features?.includes(DEAD_LETTERS_FEATURE) ?? false,
  };
}

function listEvents(context: DashboardContext, { query }: DashboardApiRequest): DashboardApiAnswer {
  const outcome = query.get("outcome") || undefined;
  if (outcome !== undefined && !isOutcome(outcome)) return failure(400, "invalid_request", `outcome must be one of ${DELIVERY_OUTCOMES.join(", ")} (got ${JSON.stringify(outcome)})`);
  const limit = integerParam(query, "limit", 50, 1, 100);
  const before = integerParam(query, "before", Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER);
  if (typeof limit === "string") return failure(400, "invalid_request", limit);
  if (typeof before === "string") return failure(400, "invalid_request", before);
  const search = (query.get("search") ?? "").trim().slice(0, 200);
  const page: DashboardEventPage = {
    ...context.log.list({ type: query.get("type") || undefined, outcome, limit, before, search: search || undefined }),
    all: context.log.size,
    types: context.log.typesSeen(),
  };
  return ok(page);
}

// The event as pull() gets it, and its related object as fetchRelatedObject() does, from the emulator's store.
function eventContext(context: DashboardContext, _request: DashboardApiRequest, [id = ""]: readonly string[]): DashboardApiAnswer {
  if (!context.log.get(id)) return notFound(`No event ${JSON.stringify(id)} in the dashboard's history`);
  const event = context.emulator.storedEvent(id) ?? null;
  const related = event?.related_object ?? null;
  const answer: DashboardEventContext = { event, relatedObject: related === null ? null : (context.emulator.storedObject(related) ?? null) };
  return ok(answer);
}

// Replay; with `{ "body": "..." }`, Replay with edits (that body, signed, as a new attempt marked edited).
async function replay(context: DashboardContext, { body }: DashboardApiRequest, [id = ""]: readonly string[]): Promise<DashboardApiAnswer> {
  if (!context.log.get(id)) return notFound(`No event ${JSON.stringify(id)} in the dashboard's history`);
  if (!context.forwarder) return failure(409, "not_forwarding", "Nothing forwards events here: start `cactus listen --forward-to <url>` to replay deliveries");
  const edited = editedBody(body);
  return ok({ attempt: await context.forwarder.replay(id, edited === undefined ? {} : { body: edited }) });
}

// A curl command that sends the event (or `{ "body": "..." }`) signed now: the secret only inside the signature.
function curl(context: DashboardContext, { body }: DashboardApiRequest, [id = ""]: readonly string[]): DashboardApiAnswer {
  if (!context.log.get(id)) return notFound(`No event ${JSON.stringify(id)} in the dashboard's history`);
  if (!context.forwarder) return failure(409, "not_forwarding", "Nothing forwards events here: start `cactus listen --forward-to <url>`, whose secret signs the command");
  const request = context.forwarder.signedRequest(id, editedBody(body));
  const answer: DashboardCurlAnswer = { command: curlCommand(request), timestamp: Number(request.headers["webhook-timestamp"]) };
  return ok(answer);
}

/** Longest edited body Replay with edits sends, in characters. */
export const MAX_EDITED_BODY_LENGTH = 256 * 1024;

function editedBody(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("body" in body) || body.body === undefined) return undefined;
  const text: unknown = body.body;
  if (typeof text !== "string") throw new CactusConfigError("body must be a string: the JSON text to send");
  if (text.length > MAX_EDITED_BODY_LENGTH) throw new CactusConfigError(`body must be at most ${MAX_EDITED_BODY_LENGTH} characters (got ${text.length})`);
  return text;
}

function trigger(context: DashboardContext, request: DashboardApiRequest): DashboardApiAnswer {
  const event = buildTriggeredEvent(request.body);
  context.emulator.addEvent(event);
  return { status: 201, body: { event } };
}

function failNext(context: DashboardContext, { body }: DashboardApiRequest): DashboardApiAnswer {
  if (typeof body !== "object" || body === null) return failure(400, "invalid_request", "The body must be a JSON object");
  const status = numberField(body, "status");
  const times = numberField(body, "times") ?? 1;
  const latencyMs = numberField(body, "latencyMs");
  const retryAfter = "retryAfter" in body && body.retryAfter !== undefined && body.retryAfter !== "" ? String(body.retryAfter) : undefined;
  if (status === undefined && latencyMs === undefined) return failure(400, "invalid_request", "Give a status to fail with, a latencyMs, or both");
  if (latencyMs !== undefined && (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 60_000)) {
    return failure(400, "invalid_request", `latencyMs must be an integer from 0 to 60000 (got ${latencyMs})`);
  }
  if (status !== undefined) context.emulator.failNext({ status, times, ...(retryAfter === undefined ? {} : { retryAfter }) });
  if (latencyMs !== undefined) context.emulator.setLatency(latencyMs);
  const answer: DashboardFailNextAnswer = {
    failNext: status === undefined ? null : { status, times, retryAfter: retryAfter ?? null },
    latencyMs: latencyMs ?? null,
  };
  return ok(answer);
}

function errorAnswer(error: unknown): DashboardApiAnswer {
  if (error instanceof CactusValidationError) {
    const body: DashboardErrorBody = { error: { type: "validation_failed", message: error.message, issues: error.issues } };
    return { status: 400, body };
  }
  if (error instanceof CactusConfigError) return failure(400, "invalid_request", error.message);
  if (error instanceof CactusError) return failure(500, error.code, error.message);
  return failure(500, "internal_error", error instanceof Error ? error.message : String(error));
}

function ok(body: object): DashboardApiAnswer {
  return { status: 200, body };
}

function notFound(message: string): DashboardApiAnswer {
  return failure(404, "not_found", message);
}

function failure(status: number, type: string, message: string): DashboardApiAnswer {
  const body: DashboardErrorBody = { error: { type, message } };
  return { status, body };
}

function isOutcome(value: string): value is DeliveryOutcome {
  return DELIVERY_OUTCOMES.some((outcome) => outcome === value);
}

function integerParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number | string {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) return `${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(text)})`;
  return value;
}

function numberField(body: object, name: string): number | undefined {
  const value: unknown = name in body ? Reflect.get(body, name) : undefined;
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number)) throw new CactusConfigError(`${name} must be a number (got ${JSON.stringify(value)})`);
  return number;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
