// The API versions this SDK knows. A version names the shape of every event's `data`; the
// per-type differences are declared on each type's catalog row (its older data classes and their
// upcasters), and this list only says which dates exist and which one is current.
import { CactusValidationError } from "../errors";

/**
 * Every Cactus API version this SDK knows, oldest first. The last one is
 * {@link CURRENT_API_VERSION}: the shape of today's classes.
 */
export const CACTUS_API_VERSIONS = ["2024-01-01", "2025-06-01", "2026-12-01"] as const;

/** An API version this SDK knows: `"2024-01-01" | "2025-06-01" | "2026-12-01"`. */
export type CactusApiVersion = (typeof CACTUS_API_VERSIONS)[number];

/** The version this SDK's classes have: what a `CactusClient` pins by default and sends as `Cactus-Version`. */
export const CURRENT_API_VERSION: CactusApiVersion = CACTUS_API_VERSIONS[CACTUS_API_VERSIONS.length - 1] ?? "2026-12-01";

const known: ReadonlySet<string> = new Set(CACTUS_API_VERSIONS);

/** Whether `version` is one of {@link CACTUS_API_VERSIONS}. */
export function isKnownApiVersion(version: unknown): version is CactusApiVersion {
  return typeof version === "string" && known.has(version);
}

/** `2024-01-01, 2025-06-01, 2026-12-01`: the known versions, for messages. */
export function knownApiVersionsText(): string {
  return CACTUS_API_VERSIONS.join(", ");
}

// YYYY-MM-DD with a real month and day. Dates compare as strings in this form.
const VERSION_FORMAT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Whether `text` has the form of an API version (`YYYY-MM-DD`), known or not. */
export function isApiVersionFormat(text: string): boolean {
  return VERSION_FORMAT.test(text);
}

/**
 * How this SDK reads a payload's `api_version`: `known` (one of its versions), or `newer` (after
 * its current one: known fields typed, the rest kept, a warning once).
 */
export type ApiVersionReading = { readonly kind: "known"; readonly version: CactusApiVersion } | { readonly kind: "newer"; readonly version: string };

/**
 * Reads an `api_version` value of a payload. A missing one (absent or `null`) is `pinned`. Not a
 * `YYYY-MM-DD` string, or older than the current version without being known: a
 * {@link CactusValidationError} naming `api_version` and the known versions.
 */
export function readApiVersion(value: unknown, pinned: CactusApiVersion, what: () => string, eventType: string | undefined): ApiVersionReading {
  if (value === undefined || value === null) return { kind: "known", version: pinned };
  if (isKnownApiVersion(value)) return { kind: "known", version: value };
  if (typeof value !== "string" || !VERSION_FORMAT.test(value)) {
    throw versionError(what(), "isApiVersion", `api_version must be a date string such as ${CURRENT_API_VERSION} (got ${preview(value)})`, eventType);
  }
  if (value > CURRENT_API_VERSION) return { kind: "newer", version: value };
  throw versionError(what(), "knownApiVersion", `api_version ${value} is older than this SDK's current version and not one it knows (${knownApiVersionsText()})`, eventType);
}

function versionError(what: string, rule: string, message: string, eventType: string | undefined): CactusValidationError {
  return new CactusValidationError(what, [{ path: "api_version", rule, message }], eventType);
}

function preview(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : typeof value === "object" ? "an object" : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Where the warning about a newer API version goes: a logger with `warn(fields, message)` (pino, bunyan, ...). */
export interface ApiVersionWarningLogger {
  /** Called once per newer version seen by this process. */
  warn(fields: Record<string, unknown>, message: string): void;
}

const consoleLogger: ApiVersionWarningLogger = {
  warn: (_fields, message) => console.warn(`cactus-sdk: ${message}`),
};
let warningLogger: ApiVersionWarningLogger = consoleLogger;
const warned = new Set<string>();
// Versions come from payloads: past this many, no more are remembered (nor warned about).
const MAX_WARNED_VERSIONS = 64;

/**
 * Sends the warning about events of an API version newer than this SDK's (one line per version per
 * process) to `logger` instead of `console.warn`; `undefined` restores the console.
 *
 * @example
 * ```ts
 * setApiVersionWarningLogger(pino());
 * ```
 */
export function setApiVersionWarningLogger(logger: ApiVersionWarningLogger | undefined): void {
  warningLogger = logger ?? consoleLogger;
}

/** Logs, once per version, that events of `version` (newer than this SDK's) arrived. */
export function warnNewerApiVersion(version: string, eventType: string): void {
  if (warned.has(version) || warned.size >= MAX_WARNED_VERSIONS) return;
  warned.add(version);
  try {
    warningLogger.warn(
      { api_version: version, sdk_api_version: CURRENT_API_VERSION, event_type: eventType },
      `received a ${eventType} event of API version ${version}, newer than this SDK's ${CURRENT_API_VERSION}: ` +
        "the fields this SDK knows are typed and validated, the others are kept in event.extraFields; upgrade cactus-sdk to type them",
    );
  } catch {
    // A throwing logger must not fail the event.
  }
}

/** Forgets which newer versions were warned about (for tests that count the warnings). */
export function resetApiVersionWarnings(): void {
  warned.clear();
}
