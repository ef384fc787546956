import { CactusConfigError } from "../errors";
import { HOW_TO_GET_A_WEBHOOK_SECRET, WebhookSecrets, type WebhookSecretInput } from "./secrets";
import { checkTolerance } from "./verify";

/** Default `maxBodyBytes`: 1 MiB (a thin event is a few hundred bytes). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Default `bodyTimeoutMs`: the whole body must arrive within 10 s. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Options shared by {@link createNodeMiddleware} and {@link createFetchHandler}. */
export interface WebhookMiddlewareOptions {
  /** The endpoint secret `whsec_...`, or several during a rotation. Checked when the middleware is created. */
  readonly secret: WebhookSecretInput | WebhookSecrets;
  /** Largest body accepted, in bytes; larger answers 413 without reading the rest. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** The whole body must arrive within this many milliseconds, else 408. Default 10000. */
  readonly bodyTimeoutMs?: number;
  /** Signature timestamp tolerance in seconds, both directions. Default 300. */
  readonly toleranceSeconds?: number;
  /** The clock, for tests. Default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Called for every non-2xx answer with the error behind it and the status, e.g. to log it.
   * Default: `console.error` for 5xx answers only (the cause stays in your logs, not the response).
   */
  readonly onError?: (error: unknown, status: number) => void;
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
  /** The clock. */
  readonly now: () => Date;
  /** The error hook. */
  readonly onError: (error: unknown, status: number) => void;
}

/** Checks every option once, at creation: a bad secret or number throws here, not at the first delivery. */
export function resolveWebhookOptions(options: WebhookMiddlewareOptions, path: string | undefined, what: string): ResolvedWebhookOptions {
  if (typeof options !== "object" || options === null) throw new CactusConfigError(`${what} needs options with a secret. ${HOW_TO_GET_A_WEBHOOK_SECRET}`);
  if (options.secret === undefined) throw new CactusConfigError(`${what} needs a secret ("whsec_...", the endpoint's signing secret). ${HOW_TO_GET_A_WEBHOOK_SECRET}`);
  if (path !== undefined && (typeof path !== "string" || !path.startsWith("/"))) {
    throw new CactusConfigError(`${what} path must start with "/", got ${JSON.stringify(path)}`);
  }
  return {
    secrets: WebhookSecrets.parse(options.secret),
    path: path === undefined ? undefined : trimSlash(path),
    maxBodyBytes: positiveInteger(what, "maxBodyBytes", options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    bodyTimeoutMs: positiveInteger(what, "bodyTimeoutMs", options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS),
    toleranceSeconds: checkTolerance(options.toleranceSeconds),
    now: options.now ?? (() => new Date()),
    onError: options.onError ?? logServerErrors,
  };
}

/** `/webhooks/` and `/webhooks` are the same path. */
export function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function positiveInteger(what: string, name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new CactusConfigError(`${what} ${name} must be an integer > 0, got ${String(value)}`);
  return value;
}

function logServerErrors(error: unknown, status: number): void {
  if (status < 500) return;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[cactus-sdk] webhook answered ${status}: ${detail}`);
}
