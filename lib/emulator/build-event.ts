import { randomBytes } from "node:crypto";
import { CactusValidationError } from "../errors";
import { isKnownApiVersion, knownApiVersionsText } from "../events/api-versions";
import { isKnownEventType } from "../events/catalog";
import { parseFullEvent, parseThinEvent } from "../events/parse";
import { fixtureEvent, fixtureRelatedObject } from "./fixtures";
import type { WireFullEvent, WireJson, WireObject } from "./wire-types";

/**
 * Builds the event a Trigger asks for (the dashboard's form, `POST /v2/events` on the emulator), with
 * a fresh id, and checks it with the SDK's own parser (pulled and pushed), so the emulator refuses
 * exactly what a handler would refuse. Throws
 * {@link CactusValidationError} whose issues name the wire path (`data.attempt_num`).
 */
export function buildTriggeredEvent(input: unknown): WireFullEvent {
  if (!isObject(input)) throw invalid("body", "isObject", "the trigger body must be a JSON object");
  if (nestedDeeperThan(input, MAX_TRIGGER_DEPTH)) throw invalid("body", "maxDepth", `the trigger body is nested deeper than ${MAX_TRIGGER_DEPTH} levels`);
  const { type, data, related_object: related, api_version: apiVersion } = input;
  if (typeof type !== "string" || type.length === 0 || type.length > 100) throw invalid("type", "isString", "type must be a non-empty string of at most 100 characters");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(type)) throw invalid("type", "noControlCharacters", "type must not contain control characters (newlines, escapes)");
  if (data !== undefined && !isObject(data)) throw invalid("data", "isObject", "data must be a JSON object");
  if (apiVersion !== undefined && !isKnownApiVersion(apiVersion)) throw invalid("api_version", "knownApiVersion", `api_version must be one of ${knownApiVersionsText()}`);
  const id = `evt_${randomBytes(8).toString("hex")}`;
  const known = isKnownEventType(type);
  const event: WireFullEvent = { id, type, data: data === undefined ? (known ? fixtureEvent(type, id, apiVersion).data : {}) : toWireObject(data) };
  if (apiVersion !== undefined) event.api_version = apiVersion;
  if (related !== undefined) {
    if (related !== null && !isObject(related)) throw invalid("related_object", "isObject", "related_object must be an object or null");
    if (related !== null && typeof related.id !== "string") throw invalid("related_object.id", "isString", "related_object.id must be a string");
    if (related !== null && typeof related.type !== "string") throw invalid("related_object.type", "isString", "related_object.type must be a string");
    event.related_object = related === null ? null : { id: String(related.id), type: String(related.type) };
  } else if (known) {
    const fixture = fixtureRelatedObject(type);
    if (fixture) event.related_object = fixture;
  }
  parseFullEvent(event);
  parseThinEvent({ id: event.id, type: event.type, related_object: event.related_object, api_version: event.api_version });
  return event;
}

/** How deep a triggered event's JSON may nest (objects and arrays), like the webhook path's limit. */
export const MAX_TRIGGER_DEPTH = 64;

// Iterative, so that a body nested 100,000 deep is measured without a deep call stack.
function nestedDeeperThan(root: unknown, max: number): boolean {
  const stack: { readonly value: unknown; readonly depth: number }[] = [{ value: root, depth: 1 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== "object" || item.value === null) continue;
    if (item.depth > max) return true;
    for (const child of Object.values(item.value)) if (typeof child === "object" && child !== null) stack.push({ value: child, depth: item.depth + 1 });
  }
  return false;
}

function invalid(path: string, rule: string, message: string): CactusValidationError {
  return new CactusValidationError("triggered event", [{ path, rule, message }]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// The body came from JSON.parse, so every value is JSON; checked anyway, as the type promises it.
function toWireObject(value: Record<string, unknown>): WireObject {
  const copy: WireObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (!isWireJson(item)) throw invalid(`data.${key}`, "isJson", `data.${key} must be a JSON value`);
    copy[key] = item;
  }
  return copy;
}

function isWireJson(value: unknown): value is WireJson {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isWireJson);
  return isObject(value) && Object.values(value).every(isWireJson);
}
