import { CactusConfigError } from "../errors";
import { errorBody, errorTypeForStatus } from "./error-body";

/** What {@link FailureInjector.failNext} takes. */
export interface FailNextOptions {
  /** Status to answer, from 200 to 599, e.g. 429 or 503. */
  status: number;
  /** How many requests fail this way. Default 1. */
  times?: number;
  /** A `Retry-After` header to send, as is (`"1"`, or an HTTP date). */
  retryAfter?: string;
  /** Only requests whose path starts with this prefix fail (and count against `times`). */
  pathPrefix?: string;
  /** A raw body to send instead of the JSON error (to test HTML or truncated answers). */
  body?: string;
}

/** An answer chosen by failure injection instead of the router. */
export interface InjectedAnswer {
  /** HTTP status. */
  readonly status: number;
  /** Raw body text. */
  readonly body: string;
  /** Extra headers (`retry-after`). */
  readonly headers: Readonly<Record<string, string>>;
}

interface FailureRule {
  readonly options: FailNextOptions;
  remaining: number;
}

/**
 * Scripted misbehaviour for tests: failed answers, dropped sockets, latency. Rules apply in the
 * order they were added; each matching request uses up one `times` of the first rule that matches.
 */
export class FailureInjector {
  #rules: FailureRule[] = [];
  #drops = 0;
  /** Delay before every answer, in milliseconds. */
  latencyMs = 0;

  /** The next `times` requests (matching `pathPrefix`) answer `status`. */
  failNext(options: FailNextOptions): void {
    const times = options.times ?? 1;
    // An informational status (1xx) is not a final answer: the client would wait for ever.
    if (!Number.isInteger(options.status) || options.status < 200 || options.status > 599) {
      throw new CactusConfigError(`failNext status must be an HTTP status from 200 to 599 (got ${options.status})`);
    }
    if (!Number.isInteger(times) || times < 1) {
      throw new CactusConfigError(`failNext times must be an integer >= 1 (got ${times})`);
    }
    this.#rules.push({ options: { ...options }, remaining: times });
  }

  /** The next `times` requests get their socket destroyed without an answer. */
  dropNext(times = 1): void {
    if (!Number.isInteger(times) || times < 1) {
      throw new CactusConfigError(`dropNext times must be an integer >= 1 (got ${times})`);
    }
    this.#drops += times;
  }

  /** Whether this request must be dropped (uses up one drop). */
  takeDrop(): boolean {
    if (this.#drops === 0) return false;
    this.#drops -= 1;
    return true;
  }

  /** The injected answer for a request to `path`, if a rule matches (uses up one of its `times`). */
  takeFailure(path: string): InjectedAnswer | undefined {
    const rule = this.#rules.find((candidate) => path.startsWith(candidate.options.pathPrefix ?? ""));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.#rules = this.#rules.filter((candidate) => candidate !== rule);
    return answerFor(rule.options);
  }

  /** Forgets every pending failure and drop, and sets latency back to 0. */
  reset(): void {
    this.#rules = [];
    this.#drops = 0;
    this.latencyMs = 0;
  }
}

function answerFor(options: FailNextOptions): InjectedAnswer {
  const type = errorTypeForStatus(options.status);
  const body = options.body ?? JSON.stringify(errorBody(type, `Injected ${options.status} (${type}) from the emulator`));
  const headers: Record<string, string> = options.retryAfter === undefined ? {} : { "retry-after": options.retryAfter };
  return { status: options.status, body, headers };
}
