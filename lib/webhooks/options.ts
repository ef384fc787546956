import { CactusConfigError } from "../errors";
import { DEFAULT_HANDLER_TIMEOUT_MS, positiveInteger, receiverSettings } from "../pipeline/receiver-options";
import { loggingErrorReporter } from "../observability/error-reporter";
import { resolveObservability, type ObservabilityOptions, type ObservabilitySettings } from "../observability/settings";
import type { CactusErrorReporter } from "../delivery/types";
import { HOW_TO_GET_A_WEBHOOK_SECRET, secretOfOption, WebhookSecrets, type WebhookSecretOption } from "../signature/secrets";
export type { WebhookSecretOption } from "../signature/secrets";
import { checkTolerance, type VerifyWebhookOptions } from "../signature/verify";
import { defaultFailureDetail } from "./failure-detail";

/** Default `maxBodyBytes`: 1 MiB (a thin event is a few hundred bytes). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Default `bodyTimeoutMs`: the whole body must arrive within 10 s. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Options shared by {@link createNodeMiddleware} and {@link createFetchHandler}: the secret and these settings. */
export type WebhookMiddlewareOptions = WebhookSecretOption & WebhookMiddlewareSettings;

/** The settings of {@link WebhookMiddlewareOptions} besides the secret. */
export interface WebhookMiddlewareSettings extends Readonly<ObservabilityOptions> {
  /** Largest body accepted, in bytes; larger answers 413 without reading the rest. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** The whole body must arrive within this many milliseconds, else 408. Default 10000. */
  readonly bodyTimeoutMs?: number;
  /** Signature timestamp tolerance in seconds, both directions. Default: the receiver's, else 300. */
  readonly toleranceSeconds?: number;
  /**
   * Past this many milliseconds a handler's delivery is answered 503 `handler_timeout` with
   * `Retry-After`, so Cactus redelivers (it waits 15 s); the handler keeps running and a later
   * failure goes to `onError`. Default: the receiver's `handlerTimeoutMs`, else 10000.
   */
  readonly handlerTimeoutMs?: number;
  /** The clock, for tests. Default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Whether a 5xx answer's body carries `error.detail`, the failure's cause chain as one short line
   * (what `cactus listen` and its dashboard show beside the failed attempt). Never a stack; anything
   * key-like is redacted. Default: the receiver's `errorDetail`, else on unless
   * `NODE_ENV=production`.
   */
  readonly errorDetail?: boolean;
  /**
   * Called for every non-2xx answer with the error behind it and the status, e.g. to log it.
   * Also called for a handler's failure after its delivery timed out. Default: none for answers
   * (each delivery's outcome line on `logger` covers them: by default a `console.error` line with
   * the stack and cause for server errors); an `error` line for late failures. The cause stays in
   * your logs, not the response.
   */
  readonly onError?: CactusErrorReporter;
}

/** The options, checked and with defaults, as the core uses them. */
export interface ResolvedWebhookOptions {
  /** The parsed secret(s). */
  readonly secrets: WebhookSecrets;
  /** Path to answer on; `undefined` answers on every path (the framework already routed). */
  readonly path: string | undefined;
  /** See {@link WebhookMiddlewareOptions.maxBodyBytes}. */
  readonly maxBodyBytes: number;
  /** See {@link WebhookMiddlewareOptions.bodyTimeoutMs}. */
  readonly bodyTimeoutMs: number;
  /** See {@link WebhookMiddlewareOptions.toleranceSeconds}. */
  readonly toleranceSeconds: number;
  /** See {@link WebhookMiddlewareOptions.handlerTimeoutMs}. */
  readonly handlerTimeoutMs: number;
  /** The clock, when given (else `Date.now`). */
  readonly now: (() => Date) | undefined;
  /** `toleranceSeconds` and `now`, as the options of `checkWebhookHeaders` (built once). */
  readonly headerOptions: VerifyWebhookOptions;
  /** The error hook. */
  readonly onError: CactusErrorReporter;
  /** Whether `onError` was given, so every non-2xx answer goes to it too. */
  readonly reportAnswers: boolean;
  /** The logger and instrumentation: these options', else the receiver's. */
  readonly observability: ObservabilitySettings;
  /** See {@link WebhookMiddlewareSettings.errorDetail}. */
  readonly errorDetail: boolean;
}

/**
 * Checks every option once, at creation: a bad secret or number throws here, not at the first
 * delivery. Tolerance and handler timeout fall back to the receiver's own options.
 */
export function resolveWebhookOptions(receiver: object, options: WebhookMiddlewareOptions | undefined, path: string | undefined, what: string): ResolvedWebhookOptions {
  if (typeof options !== "object" || options === null) throw new CactusConfigError(`${what} needs options with a webhookSecret. ${HOW_TO_GET_A_WEBHOOK_SECRET}`);
  const given = options;
  const fromReceiver = receiverSettings(receiver);
  const secret = secretOfOption(given);
  if (secret === undefined) {
    throw new CactusConfigError(`${what} needs a webhookSecret ("whsec_...", the endpoint's signing secret). ${HOW_TO_GET_A_WEBHOOK_SECRET}`);
  }
  const secrets = WebhookSecrets.parse(secret);
  const observability = resolveObservability(given, what, fromReceiver?.observability);
  if (path !== undefined && (typeof path !== "string" || !path.startsWith("/"))) {
    throw new CactusConfigError(`${what} path must start with "/", got ${JSON.stringify(path)}`);
  }
  const toleranceSeconds = given.toleranceSeconds === undefined ? (fromReceiver?.toleranceSeconds ?? checkTolerance(undefined)) : checkTolerance(given.toleranceSeconds);
  return {
    secrets,
    path: path === undefined ? undefined : trimSlash(path),
    maxBodyBytes: positiveInteger(what, "maxBodyBytes", given.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    bodyTimeoutMs: positiveInteger(what, "bodyTimeoutMs", given.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS),
    toleranceSeconds,
    handlerTimeoutMs: positiveInteger(what, "handlerTimeoutMs", given.handlerTimeoutMs ?? fromReceiver?.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS),
    now: given.now,
    headerOptions: given.now === undefined ? { toleranceSeconds } : { toleranceSeconds, now: given.now },
    onError: given.onError ?? loggingErrorReporter(observability),
    reportAnswers: given.onError !== undefined,
    observability,
    errorDetail: errorDetailOption(what, given.errorDetail) ?? fromReceiver?.errorDetail ?? defaultFailureDetail(),
  };
}

/**
 * `/webhooks/` and `/webhooks` are the same path. A loop, not a regex: the path is request input,
 * and a trailing-run regex such as `/\/+$/` backtracks quadratically on a long run of slashes.
 */
export function trimSlash(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === SLASH) end -= 1;
  return end === path.length ? path : path.slice(0, end);
}

const SLASH = 0x2f;

/** `errorDetail`, checked: a boolean or absent. */
export function errorDetailOption(what: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new CactusConfigError(`${what} errorDetail must be true or false, got ${JSON.stringify(value)}`);
}
