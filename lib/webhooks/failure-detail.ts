import { CactusHandlerError, describeThrown, isInstanceOf } from "../errors";
import { readEnv } from "../platform/env";

/** The longest `error.detail` an answer carries, in characters. */
export const MAX_FAILURE_DETAIL_LENGTH = 300;

// Links of the cause chain read at most; a longer chain ends with the innermost ones left out.
const MAX_CAUSES = 4;

// What looks like a credential, wherever it appears in a message: Cactus keys and secrets, bearer
// tokens, `password=...`-style pairs and URL userinfo. Replaced by `[redacted]`.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(?:whsec|sk|rk|pk)_[A-Za-z0-9+/=_-]{4,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\b(password|passwd|pwd|secret|token|api[_-]?key|authorization)(\s*[=:]\s*|\s+is\s+)("[^"]*"|'[^']*'|[^\s,;&]+)/gi,
  /(\/\/)[^/@\s:]+:[^/@\s]+@/g,
];

/**
 * Whether error answers carry `error.detail` when the option is not given: everywhere but
 * production (`NODE_ENV=production`), read once when a receiver or the middleware is built.
 */
export function defaultFailureDetail(): boolean {
  return readEnv("NODE_ENV") !== "production";
}

/**
 * The cause of a failed delivery as one short line, for `error.detail` of a 5xx answer: the
 * handler's error and what caused it (`Cactus API GET /v1/movies/mov_789 answered 500: ...`),
 * each link once, without stacks, with anything that looks like a key, a token or a password
 * replaced by `[redacted]`, at most {@link MAX_FAILURE_DETAIL_LENGTH} characters. Built only
 * for a failure: a success never calls it.
 *
 * @example
 * ```ts
 * failureDetail(new CactusHandlerError("evt_1", "order.shipped", new Error("db down"))); // "db down"
 * ```
 */
export function failureDetail(error: unknown): string | undefined {
  // A handler's own error says which handler failed (the message does too): its cause is the news.
  let link: unknown = isInstanceOf(error, CactusHandlerError) && readCause(error) !== undefined ? readCause(error) : error;
  const parts: string[] = [];
  for (let depth = 0; depth < MAX_CAUSES && link !== undefined && link !== null; depth++) {
    const text = oneLine(describeLink(link));
    // Messages often repeat their cause's message: each text is kept once.
    if (text !== "" && !parts.some((part) => part.includes(text))) parts.push(text);
    link = readCause(link);
  }
  if (parts.length === 0) return undefined;
  return bounded(redact(parts.join(" <- caused by: ")));
}

function describeLink(link: unknown): string {
  const message = describeThrown(link);
  if (!isInstanceOf(link, Error)) return message;
  let name = "Error";
  try {
    name = typeof link.name === "string" ? link.name : "Error";
  } catch {
    // the name getter threw: a plain "Error"
  }
  // "TypeError: x is undefined" says more than "x is undefined"; our own errors speak for themselves.
  return name === "Error" || name.startsWith("Cactus") || message.startsWith(name) ? message : `${name}: ${message}`;
}

function readCause(value: unknown): unknown {
  try {
    return typeof value === "object" && value !== null && "cause" in value ? value.cause : undefined;
  } catch {
    return undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function redact(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match: string, ...groups: unknown[]) => {
      if (match.startsWith("//")) return "//[redacted]@";
      const key = groups[0];
      const separator = groups[1];
      return typeof key === "string" && typeof separator === "string" && groups.length > 3 ? `${key}${separator}[redacted]` : "[redacted]";
    });
  }
  return out;
}

function bounded(text: string): string {
  return text.length <= MAX_FAILURE_DETAIL_LENGTH ? text : `${text.slice(0, MAX_FAILURE_DETAIL_LENGTH - 1)}\u2026`;
}
