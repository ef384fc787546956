import type { WireThinEvent } from "../emulator/wire-types";

/**
 * The thin part (`id`, `type`, `related_object`, and `api_version` when `withVersion`) of an event
 * the API answered with, or `undefined` when `value` has no string `id` and `type`. Extra fields
 * (a full event's `data`) are dropped.
 */
export function readThinEvent(value: unknown, withVersion = false): WireThinEvent | undefined {
  if (typeof value !== "object" || value === null || !("id" in value) || !("type" in value)) return undefined;
  if (typeof value.id !== "string" || typeof value.type !== "string") return undefined;
  const event: WireThinEvent = { id: value.id, type: value.type };
  const related = "related_object" in value ? value.related_object : undefined;
  if (related === null) event.related_object = null;
  else if (typeof related === "object" && "id" in related && "type" in related && typeof related.id === "string" && typeof related.type === "string") {
    event.related_object = { id: related.id, type: related.type };
  }
  const version = withVersion && "api_version" in value ? value.api_version : undefined;
  if (typeof version === "string") event.api_version = version;
  return event;
}
