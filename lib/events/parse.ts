import { plainToInstance } from "class-transformer";
import { validateSync, type ValidationError } from "class-validator";
import { CactusValidationError, type CactusValidationIssue } from "../errors";
import { CURRENT_API_VERSION, isKnownApiVersion, readApiVersion, warnNewerApiVersion, type CactusApiVersion } from "./api-versions";
import { bindEvent, stampVersion, type BaseFullEvent, type BaseThinEvent, type CactusEventSource } from "./base";
import { catalogRow, type EventCatalogRow, type FullThinEvent, type PushedThinEvent } from "./catalog";
import { GenericThinEvent, UnknownFullEvent, UnknownPushedEvent } from "./unknown";
import { decodeJsonObject, type EventBody } from "./json";
import { MAX_JSON_DEPTH, safeJsonObject } from "./safe-json";
import { wireNameOf } from "./wire";
import { hydrateCompiled } from "./compiled";
import { extraFieldsOf, toWireJson } from "./to-wire";
import { upcastSteps, upcastWireData } from "./versioned-data";

/**
 * Hydrates `plain` into `cls` (class-transformer, wire names, extraneous keys dropped) and checks
 * it (class-validator). Throws {@link CactusValidationError} naming each wire path; never returns
 * a half-filled object.
 */
export function hydrate<T extends object>(cls: new () => T, plain: Record<string, unknown>, what: string, eventType?: string, pathPrefix = ""): T {
  // The compiled plan answers for a valid body of a class it models; everything else (and every
  // error message) comes from the libraries below.
  const compiled = hydrateCompiled(cls, plain);
  if (compiled !== undefined) return compiled;
  // class-transformer walks nested values and trips on keys like `constructor` (it reads
  // value.constructor to find metadata), so hostile keys go before it sees the object.
  const clean = safeJsonObject(plain);
  const instance = plainToInstance(cls, clean, { excludeExtraneousValues: true, exposeDefaultValues: false });
  const errors = validateSync(instance, { forbidUnknownValues: true, validationError: { target: true, value: true } });
  if (errors.length > 0) throw new CactusValidationError(what, flattenIssues(errors, pathPrefix), eventType);
  return instance;
}

function flattenIssues(errors: readonly ValidationError[], prefix: string): CactusValidationIssue[] {
  const issues: CactusValidationIssue[] = [];
  for (const error of errors) {
    const name = error.target ? wireNameOf(error.target, error.property) : error.property;
    const path = prefix + name;
    for (const [rule, text] of Object.entries(error.constraints ?? {})) {
      // class-validator words its messages with our camelCase names; the user knows the wire names.
      const message = text.split(error.property).join(path);
      issues.push({ path, rule, message: `${message} (got ${preview(error.value)})` });
    }
    if (error.children?.length) issues.push(...flattenIssues(error.children, `${path}.`));
  }
  return issues;
}

function preview(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid date" : value.toISOString();
  if (typeof value === "object" && value !== null) return Array.isArray(value) ? "an array" : "an object";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function requireString(plain: Record<string, unknown>, key: "id" | "type", what: string): string {
  const value = plain[key];
  if (typeof value === "string" && value.length > 0) return value;
  throw new CactusValidationError(what, [
    { path: key, rule: "isString", message: `${key} must be a non-empty string (got ${preview(value)})` },
  ]);
}

/** Checks `related_object` against the catalog: present with the right kind, or absent. */
function checkRelatedObject(event: BaseThinEvent, row: EventCatalogRow, what: string): void {
  const ref = event.relatedObject;
  if (row.relatedObject === null) {
    if (ref !== undefined && ref !== null) {
      throw new CactusValidationError(what, [
        { path: "related_object", rule: "absent", message: `related_object must be absent for ${event.type} (got an object)` },
      ], event.type);
    }
  } else if (ref === undefined || ref === null) {
    throw new CactusValidationError(what, [
      { path: "related_object", rule: "isDefined", message: `related_object must be present for ${event.type} (got nothing)` },
    ], event.type);
  } else if (ref.type !== row.relatedObject) {
    throw new CactusValidationError(what, [
      {
        path: "related_object.type",
        rule: "relatedObjectType",
        message: `related_object.type must be "${row.relatedObject}" for ${event.type} (got ${preview(ref.type)})`,
      },
    ], event.type);
  }
}

/**
 * Parses a pushed (thin) event: JSON (decoded once; an already-parsed object is not read again)
 * -> class by `type` -> hydrate -> validate. A known type with a
 * wrong shape throws {@link CactusValidationError}; an unknown type is an {@link UnknownPushedEvent}.
 * When `source` is given, the event is bound to it for `pull()` and `fetchRelatedObject()`.
 */
export function parseThinEvent(body: EventBody, source?: CactusEventSource): PushedThinEvent {
  const plain = decodeJsonObject(body);
  const type = requireString(plain, "type", "event");
  const id = plain["id"];
  if (typeof id !== "string" || id === "") requireString(plain, "id", `${type} event`);
  const row = catalogRow(type);
  // The compiled path first, with the label only built when something is wrong.
  const cls = row ? row.pushed : UnknownPushedEvent;
  const compiled: BaseThinEvent | undefined = hydrateCompiled<BaseThinEvent>(cls, plain, typeof body === "string" && isShallowText(body));
  const what = compiled !== undefined && relatedObjectFits(compiled, row) ? undefined : `${type} event ${String(id)}`;
  // The catalog's classes all hydrate to members of the union; the Map loses that, this check restores it.
  const event = compiled ?? hydrate<BaseThinEvent>(cls, plain, what ?? type, type);
  if (row && what !== undefined) checkRelatedObject(event, row, what);
  if (!isPushedThinEvent(event, row)) throw new CactusValidationError(what ?? `${type} event ${String(id)}`, [{ path: "type", rule: "catalog", message: `type ${type} maps to no pushed class` }], type);
  // Most payloads say nothing of their version: the event then reads as its client's pinned one.
  const version = plain["api_version"];
  if (version !== undefined && version !== null) stampThinVersion(event, plain, version, pinnedBy(source), type, String(id));
  return source ? bindEvent(event, source) : event;
}

// The version a source pins (a CactusClient's `apiVersion`), else the SDK's current one.
function pinnedBy(source: CactusEventSource | undefined): CactusApiVersion {
  const pinned = source?.apiVersion;
  return isKnownApiVersion(pinned) ? pinned : CURRENT_API_VERSION;
}

// A thin event has no data, so no version changes its shape: only what arrived is recorded (and,
// for a newer version, the fields this SDK does not model).
function stampThinVersion(event: BaseThinEvent, plain: Record<string, unknown>, value: unknown, pinned: CactusApiVersion, type: string, id: string): void {
  const reading = readApiVersion(value, pinned, () => `${type} event ${id}`, type);
  if (reading.kind === "newer") warnNewerApiVersion(reading.version, type);
  stampVersion(event, { arrived: reading.version, wire: reading.version, extras: reading.kind === "newer" ? unmodelledFields(plain, event) : undefined });
}

// The payload's fields that `event` does not model (its `api_version` aside, which is recorded apart).
function unmodelledFields(plain: Record<string, unknown>, event: BaseThinEvent): Record<string, unknown> | undefined {
  const { api_version: _version, ...rest } = safeJsonObject(plain);
  return extraFieldsOf(rest, toWireJson(event));
}

// Whether `related_object` is as the catalog row says (the common case, checked without a label).
function relatedObjectFits(event: BaseThinEvent, row: EventCatalogRow | undefined): boolean {
  if (row === undefined) return true;
  const ref = event.relatedObject;
  return row.relatedObject === null ? ref === undefined || ref === null : ref !== undefined && ref !== null && ref.type === row.relatedObject;
}

// JSON text with fewer opening brackets than the depth limit cannot nest past it, so hydration
// need not walk the parsed object to check (a few native searches instead).
function isShallowText(text: string): boolean {
  let opened = 0;
  for (const bracket of ["{", "["]) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if ((opened += 1) >= MAX_JSON_DEPTH) return false;
    }
  }
  return true;
}

function isPushedThinEvent(event: BaseThinEvent, row: EventCatalogRow | undefined): event is PushedThinEvent {
  return event instanceof UnknownPushedEvent || row?.pushed === event.constructor;
}

/**
 * Parses a full (pulled) event, as `GET /v2/events/{id}` answers it. Its `api_version` (default:
 * `pinned`, else the SDK's current version) says which shape `data` has: an older version's data is
 * validated against its own class and upcast to today's; a newer version's is validated as today's,
 * with the fields this SDK does not model kept in `extraFields` (and a warning logged once).
 */
export function parseFullEvent(body: EventBody, what = "event", pinned?: string): FullThinEvent {
  const plain = decodeJsonObject(body);
  const type = requireString(plain, "type", what);
  const id = requireString(plain, "id", `${type} ${what}`);
  const row = catalogRow(type);
  const label = `${type} ${what} ${id}`;
  const versionValue = plain["api_version"];
  const present = versionValue !== undefined && versionValue !== null;
  const reading = readApiVersion(versionValue, isKnownApiVersion(pinned) ? pinned : CURRENT_API_VERSION, () => label, type);
  const steps = row && reading.kind === "known" ? upcastSteps(row.versions, reading.version) : [];
  let input = plain;
  if (row?.versions !== undefined && steps.length > 0) {
    const oldLabel = `${label} (api_version ${reading.version})`;
    const data = upcastWireData(row.versions, steps, plain["data"], oldLabel, type, (cls, old, text) => hydrate(cls, old, text, type, "data."));
    input = { ...plain, data };
  }
  const event: BaseFullEvent = row ? hydrate(row.full, input, label, type) : hydrate(UnknownFullEvent, input, label, type);
  if (row) checkRelatedObject(event, row, label);
  if (!isFullThinEvent(event)) throw new CactusValidationError(label, [{ path: "type", rule: "catalog", message: `type ${type} maps to no full class` }], type);
  if (reading.kind === "newer") {
    warnNewerApiVersion(reading.version, type);
    return stampVersion(event, { arrived: reading.version, wire: reading.version, extras: unmodelledFields(plain, event) });
  }
  // An upcast event is today's shape now, so it serialises as the current version.
  const wire = steps.length > 0 ? CURRENT_API_VERSION : present ? reading.version : undefined;
  return stampVersion(event, { arrived: reading.version, wire, extras: undefined });
}

function isFullThinEvent(event: BaseFullEvent): event is FullThinEvent {
  return event instanceof UnknownFullEvent || catalogRow(event.type)?.full === event.constructor;
}

/** Parses the untyped v1 shape (see the deprecated `parseEventV1`). */
export function parseGenericThinEvent(body: EventBody): GenericThinEvent {
  const plain = decodeJsonObject(body);
  const type = requireString(plain, "type", "event");
  return hydrate(GenericThinEvent, plain, `${type} event`, type);
}

