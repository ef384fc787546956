import { CactusConfigError } from "../errors";
import { decodeCanonicalBase64 } from "../platform/base64";
import { constantTimeEqual, constantTimeEqualText } from "../platform/crypto";
import { isCharRun, readHeader, trimmedHeader, WEBHOOK_HEADERS, type WebhookHeaders } from "./headers";
import { requireRawBody, type WebhookRawBody } from "./raw-body";
import { WebhookSecrets, type WebhookSecretInput } from "./secrets";
import { computeSignature, computeSignatureBase64, SIGNATURE_VERSION } from "./sign";
import { CactusSignatureError } from "../errors";

/** Default tolerance between the delivery's timestamp and now, both directions: 5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, in seconds, in either direction. Default 300. */
  readonly toleranceSeconds?: number;
  /** The clock; default `() => new Date()`. Tests pass a fixed time. */
  readonly now?: () => Date;
}

/** What a verified delivery's headers said. */
export interface VerifiedWebhook {
  /** `webhook-id`: the event id. */
  readonly id: string;
  /** `webhook-timestamp`: when Cactus signed it, in unix seconds. */
  readonly timestamp: number;
}

/** The signature headers, present and in tolerance, before the body is read. */
export interface CheckedWebhookHeaders extends VerifiedWebhook {
  /** `webhook-timestamp` exactly as sent (it is part of the signed content). */
  readonly rawTimestamp: string;
  /** `webhook-signature` as sent. */
  readonly signature: string;
}

// One `v1,<base64>` entry and nothing else (no whitespace, no trailing comma).
const SINGLE_ENTRY = /^v1,[A-Za-z0-9+/=]+$/;
const V1_PREFIX = `${SIGNATURE_VERSION},`;

/** Checks that `toleranceSeconds` is usable; a bad value is a configuration error, found early. */
export function checkTolerance(toleranceSeconds: number | undefined): number {
  const tolerance = toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof tolerance !== "number" || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new CactusConfigError(`toleranceSeconds must be a finite number >= 0, got ${String(tolerance)}`);
  }
  return tolerance;
}

/**
 * The checks that need no body: the three headers are present, the timestamp is unix seconds and
 * within tolerance. The middleware runs them before reading the body, so a replay or an unsigned
 * request costs no body read.
 */
export function checkWebhookHeaders(headers: WebhookHeaders, options: VerifyWebhookOptions = {}): CheckedWebhookHeaders {
  const tolerance = checkTolerance(options.toleranceSeconds);
  return checkWebhookHeaderValues(
    readHeader(headers, WEBHOOK_HEADERS.id),
    readHeader(headers, WEBHOOK_HEADERS.timestamp),
    readHeader(headers, WEBHOOK_HEADERS.signature),
    tolerance,
    options.now,
  );
}

/**
 * {@link checkWebhookHeaders} on header values read already (e.g. by `readDeliveryHeaders`), with a
 * tolerance checked already (`checkTolerance`): the receivers read every header in one pass.
 */
export function checkWebhookHeaderValues(
  rawId: string | undefined,
  rawTimestampHeader: string | undefined,
  rawSignature: string | undefined,
  tolerance: number,
  clock?: () => Date,
): CheckedWebhookHeaders {
  const id = trimmedHeader(rawId);
  const rawTimestamp = trimmedHeader(rawTimestampHeader);
  const signature = trimmedHeader(rawSignature);
  if (!id || !rawTimestamp || !signature) {
    const missing = [
      id ? undefined : WEBHOOK_HEADERS.id,
      rawTimestamp ? undefined : WEBHOOK_HEADERS.timestamp,
      signature ? undefined : WEBHOOK_HEADERS.signature,
    ].filter((name) => name !== undefined);
    throw new CactusSignatureError("missing_header", `Missing webhook header(s): ${missing.join(", ")}`);
  }
  if (!isUnixSeconds(rawTimestamp)) {
    throw new CactusSignatureError("malformed_timestamp", `${WEBHOOK_HEADERS.timestamp} must be unix seconds (digits only)`);
  }
  const timestamp = Number(rawTimestamp);
  const now = Math.floor((clock === undefined ? Date.now() : clock().getTime()) / 1000);
  if (now - timestamp > tolerance) {
    throw new CactusSignatureError(
      "timestamp_too_old",
      `${WEBHOOK_HEADERS.timestamp} is ${now - timestamp} s old, more than the ${tolerance} s tolerance (a replayed delivery, or a clock behind)`,
    );
  }
  if (timestamp - now > tolerance) {
    throw new CactusSignatureError(
      "timestamp_too_new",
      `${WEBHOOK_HEADERS.timestamp} is ${timestamp - now} s in the future, more than the ${tolerance} s tolerance (check this server's clock)`,
    );
  }
  return { id, timestamp, rawTimestamp, signature };
}

/**
 * Checks the HMAC of the raw body against every `v1,` entry of `webhook-signature` under every
 * key, in constant time per comparison. Throws `no_matching_signature` (naming counts, never the
 * expected value).
 */
export function checkSignature(rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets, names: SyncNames = VERIFY_NAMES): void {
  const body = requireRawBody(rawBody);
  const keys = secrets.keys();
  const signature = checked.signature;
  // The usual delivery: one key, one `v1,` entry. The HMAC comes back as canonical base64 and is
  // compared with the entry as text, in constant time; anything else (a space, a comma, a second
  // entry, a non-canonical encoding), or a mismatch, takes the general loop below, which reuses
  // this HMAC (a bad signature costs no second one).
  let first: string | undefined;
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only !== undefined && signature.startsWith(V1_PREFIX)) {
    first = computeSignatureBase64(only, checked.id, checked.rawTimestamp, body, names.caller, names.asyncTwin);
    if (constantTimeEqualText(first, signature, V1_PREFIX.length)) return;
  }
  const candidates = signatureEntries(signature);
  for (const key of keys) {
    const reused = first === undefined ? undefined : decodeCanonicalBase64(first);
    first = undefined;
    const expected = reused ?? computeSignature(key, checked.id, checked.rawTimestamp, body, names.caller, names.asyncTwin);
    for (const candidate of candidates) {
      if (constantTimeEqual(candidate, expected)) return;
    }
  }
  throw noMatchingSignature(candidates.length, keys.length);
}

/** Which public function runs a synchronous check, and its async twin: named where node:crypto is missing. */
export interface SyncNames {
  /** The synchronous function called, e.g. `verifyWebhook()`. */
  readonly caller: string;
  /** What to call instead on a runtime without node:crypto, e.g. `verifyWebhookAsync()`. */
  readonly asyncTwin: string;
}

const VERIFY_NAMES: SyncNames = { caller: "verifyWebhook()", asyncTwin: "verifyWebhookAsync()" };

/** The `no_matching_signature` error, naming counts, never the expected value. */
export function noMatchingSignature(entries: number, keys: number): CactusSignatureError {
  return new CactusSignatureError(
    "no_matching_signature",
    `No ${SIGNATURE_VERSION} signature in ${WEBHOOK_HEADERS.signature} matches the raw body ` +
      `(${entries} ${SIGNATURE_VERSION} entr${entries === 1 ? "y" : "ies"} checked against ${keys} secret(s)); ` +
      `check the endpoint secret and that the body was not re-serialized`,
  );
}

// Entries are "v1,<base64>" separated by spaces; other versions are skipped (Standard Webhooks).
// A trailing comma is tolerated because a repeated header arrives joined with ", ".
// The header is request input: splitting on whitespace runs is linear, but a trailing-run regex
// like `/,+$/` backtracks quadratically on a long run of commas, so the trim is a loop.
export function signatureEntries(header: string): Uint8Array[] {
  // The usual header is one `v1,` entry with no trailing comma: nothing to split, trim or compare.
  if (SINGLE_ENTRY.test(header)) {
    const decoded = decodeCanonicalBase64(header.slice(SIGNATURE_VERSION.length + 1));
    return decoded === undefined ? [] : [decoded];
  }
  const entries: Uint8Array[] = [];
  const tokens = header.split(/\s+/);
  for (const token of tokens) {
    const entry = trimTrailingCommas(token);
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== SIGNATURE_VERSION) continue;
    const encoded = entry.slice(comma + 1);
    // Only canonical base64 counts (padded, no leftover bits), so a doubled or padded-then-extended
    // entry cannot decode to a valid signature.
    const decoded = decodeCanonicalBase64(encoded);
    if (decoded !== undefined) entries.push(decoded);
  }
  return entries;
}

/**
 * Verifies a delivery per Standard Webhooks: the three headers, the timestamp within
 * `toleranceSeconds` both ways, and an HMAC-SHA256 of the **raw** bytes matching one `v1,` entry
 * under one of the secrets. Throws {@link CactusSignatureError} with the failed check's `code`.
 * Synchronous, on `node:crypto` (Node, Bun, Deno); where the runtime has no `node:crypto` it throws
 * `CactusRuntimeError`: use `verifyWebhookAsync` (Web Crypto) there.
 *
 * @example
 * ```ts
 * const { id } = verifyWebhook(rawBody, req.headers, process.env.CACTUS_WEBHOOK_SECRET!);
 * ```
 */
export function verifyWebhook(
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecretInput | WebhookSecrets,
  options: VerifyWebhookOptions = {},
): VerifiedWebhook {
  const secrets = WebhookSecrets.parse(secret);
  const body = requireRawBody(rawBody);
  const checked = checkWebhookHeaders(headers, options);
  checkSignature(body, checked, secrets);
  return { id: checked.id, timestamp: checked.timestamp };
}

// Unix seconds as `webhook-timestamp` carries them: 1 to 15 digits, nothing else.
function isUnixSeconds(text: string): boolean {
  return isCharRun(text, 15, 0x30, 0x39);
}

function trimTrailingCommas(token: string): string {
  let end = token.length;
  while (end > 0 && token.charCodeAt(end - 1) === 0x2c) end -= 1;
  return token.slice(0, end);
}
