/**
 * Retry timing for the HTTP transport: exponential backoff with full jitter, and `Retry-After`.
 * Pure functions, so the schedule is unit-tested without a clock or a server.
 */

/** Default base delay of the exponential backoff, in milliseconds. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 250;
/** Default cap of one backoff delay, in milliseconds. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 8_000;
/** Default cap on a `Retry-After` the transport is willing to wait for, in milliseconds. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** The knobs of the retry schedule (all in milliseconds). */
export interface BackoffSettings {
  /** Base of the exponential backoff: the ceiling of the first retry's delay. */
  readonly baseDelayMs: number;
  /** Cap on the ceiling of any backoff delay. */
  readonly maxDelayMs: number;
  /** Cap on a `Retry-After` delay. */
  readonly maxRetryAfterMs: number;
}

/**
 * The exponential backoff ceiling: `min(cap, base * 2^retryIndex)`. Senders that retry one
 * endpoint (the webhook sender, the local forwarder) wait exactly this long; the client draws a
 * random delay below it ({@link fullJitterDelayMs}).
 *
 * @param retryIndex 0 for the first retry, 1 for the second, ...
 */
export function backoffCeilingMs(retryIndex: number, settings: Pick<BackoffSettings, "baseDelayMs" | "maxDelayMs">): number {
  // 2 ** 1100 is Infinity, and Math.min caps it: no overflow to guard against.
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retryIndex);
}

/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"): a uniform
 * random delay in `[0, min(cap, base * 2^retryIndex))`. Full jitter spreads the retries of many
 * clients that failed together, instead of having them hit the API again in lockstep.
 *
 * @param retryIndex 0 for the first retry, 1 for the second, ...
 * @param random a source of numbers in `[0, 1)`; `Math.random` by default (injectable for tests)
 */
export function fullJitterDelayMs(
  retryIndex: number,
  settings: Pick<BackoffSettings, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeilingMs(retryIndex, settings));
}

// RFC 9110 §10.2.3: delay-seconds is 1*DIGIT. Fractions are not in the RFC but some servers send
// them; accepting them costs nothing. A sign is never valid.
const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;
// RFC 9110 §5.6.7: every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with a day name.
// Checking it first matters because Date.parse is lenient: Date.parse("-5") is a valid date.
const HTTP_DATE_START = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/;

/**
 * Parses a `Retry-After` header into milliseconds from `now`: delta-seconds (`"2"`) or an
 * HTTP date (`"Wed, 21 Oct 2015 07:28:00 GMT"`; a date in the past means 0).
 * Returns `undefined` for a missing, negative or unparseable value, so the caller falls back
 * to its own backoff rather than trusting garbage.
 */
export function parseRetryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (DELAY_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (!HTTP_DATE_START.test(text)) return undefined;
  // asctime dates carry no zone; RFC 9110 says they are GMT, while Date.parse would read local time.
  const at = Date.parse(/\b(?:GMT|UTC)\b/.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The delay before retry number `retryIndex`: the server's `Retry-After` when it sent one
 * (capped at `maxRetryAfterMs`, so a server cannot park the caller for an hour), otherwise
 * the full-jitter backoff.
 */
export function retryDelayMs(
  retryIndex: number,
  retryAfterMs: number | undefined,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, settings.maxRetryAfterMs);
  return fullJitterDelayMs(retryIndex, settings, random);
}
