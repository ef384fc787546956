// How the emulator answers in the API version a request asks for (`Cactus-Version`), as the Cactus
// API does: an event is stored in the version it was created in, brought to today's shape with the
// SDK's own upcasters, then down to the requested version with the downgrades below (the server's
// side of each older shape a catalog row declares).
import { CactusError } from "../errors";
import { CURRENT_API_VERSION, isKnownApiVersion, knownApiVersionsText, type CactusApiVersion } from "../events/api-versions";
import { catalogRow, type CactusEventType } from "../events/catalog";
import { parseFullEvent } from "../events/parse";
import type { WireFullEvent, WireObject } from "./wire-types";

/** Turns `data` of the next newer shape into the shape of one older API version (the wire form). */
export type DataDowngrade = (data: WireObject) => WireObject;

/**
 * For each older data shape a catalog row declares (`versions`), how the server writes today's data
 * in it. spec/emulator/versions.spec.ts fails while a declared shape has no downgrade here.
 */
const downgrades: Partial<Record<CactusEventType, Partial<Record<CactusApiVersion, DataDowngrade>>>> = {
  "movie.completed": {
    "2025-06-01": ({ rating, ...rest }) => ({ ...rest, stars: typeof rating === "number" ? Math.min(5, Math.max(1, Math.round(rating))) : 1 }),
    "2024-01-01": ({ user, ...rest }) => ({ viewer: user ?? "", ...rest }),
  },
  "order.delivery_attempted": {
    "2025-06-01": ({ attempt_num: attemptNum, ...rest }) => ({ ...rest, attempt: attemptNum ?? 1 }),
  },
};

/** The downgrade of `type`'s data to `version`'s shape, if one is declared. */
export function downgradeOf(type: CactusEventType, version: CactusApiVersion): DataDowngrade | undefined {
  return downgrades[type]?.[version];
}

/** The API version stored event `event` is in: its `api_version`, or today's. */
export function versionOf(event: { readonly api_version?: string | undefined }): CactusApiVersion {
  return isKnownApiVersion(event.api_version) ? event.api_version : CURRENT_API_VERSION;
}

/**
 * The version a request asks for in its `Cactus-Version` header (`fallback` without one), or the
 * message of the 400 that refuses an unknown one.
 */
export function requestedVersion(header: string | string[] | undefined, fallback: CactusApiVersion): { readonly version: CactusApiVersion } | { readonly refused: string } {
  if (header === undefined) return { version: fallback };
  const value = Array.isArray(header) ? header.join(", ") : header;
  if (isKnownApiVersion(value)) return { version: value };
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return { refused: `Unknown Cactus-Version ${shown}: this API knows ${knownApiVersionsText()}` };
}

/** `data` of known `type`, written in today's shape, rewritten in `version`'s shape. */
export function dataInVersion(type: CactusEventType, data: WireObject, version: CactusApiVersion): WireObject {
  const older = catalogRow(type)?.versions?.older ?? [];
  let out = data;
  // Newest first: each downgrade takes the shape of the next newer version.
  for (const step of [...older].reverse()) {
    if (step.apiVersion < version) continue;
    const downgrade = downgradeOf(type, step.apiVersion);
    if (downgrade === undefined) throw new CactusError("emulator_version_failed", `The emulator cannot write ${type} data in API version ${step.apiVersion}: no downgrade is declared`);
    out = downgrade(out);
  }
  return out;
}

/** Stored event `event` as the API answers it in `version`: data in that shape, `api_version` set. */
export function eventInVersion(event: WireFullEvent, version: CactusApiVersion): WireFullEvent {
  const stored = versionOf(event);
  const row = catalogRow(event.type);
  if (stored === version || row?.versions === undefined) return { ...event, api_version: version };
  const today = stored === CURRENT_API_VERSION ? event.data : currentData(event);
  return { ...event, api_version: version, data: isKnownType(event.type) ? dataInVersion(event.type, today, version) : today };
}

// The stored event's data in today's shape, upcast by the SDK's own parser.
function currentData(event: WireFullEvent): WireObject {
  const upcast: unknown = JSON.parse(JSON.stringify(parseFullEvent(event, "stored event")));
  const data = isWireObject(upcast) ? upcast["data"] : undefined;
  if (!isWireObject(data)) throw new CactusError("emulator_version_failed", `The emulator could not upcast event ${event.id} to API version ${CURRENT_API_VERSION}`);
  return data;
}

function isKnownType(type: string): type is CactusEventType {
  return catalogRow(type) !== undefined;
}

function isWireObject(value: unknown): value is WireObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
