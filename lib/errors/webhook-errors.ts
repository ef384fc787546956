import { CactusError } from "./cactus-error";
import type { WebhookRequestFailure, WebhookSignatureFailure } from "./codes";

/**
 * A webhook delivery failed verification, or a webhook secret is malformed. `code` says which
 * check failed; the message never contains a secret or an expected signature.
 *
 * @example
 * ```ts
 * try { verifyWebhook(rawBody, req.headers, secret); }
 * catch (err) { if (err instanceof CactusSignatureError) console.warn(err.code); }
 * ```
 */
export class CactusSignatureError extends CactusError {
  /** Which check failed. */
  declare readonly code: WebhookSignatureFailure;

  /** @param code the failed check; @param message what was wrong (no secrets) */
  constructor(code: WebhookSignatureFailure, message: string) {
    super(code, message);
  }
}

/**
 * The middleware could not take the request as a webhook delivery (wrong path, method, type,
 * size, a body that never arrived, or a body a framework already parsed). The HTTP status it
 * answers comes from `webhookStatusTable[code]`; see docs/webhooks.md for the table.
 *
 * @example
 * ```ts
 * webhookStatusTable[new CactusWebhookRequestError("payload_too_large", "too big").code]; // 413
 * ```
 */
export class CactusWebhookRequestError extends CactusError {
  /** Which check failed. */
  declare readonly code: WebhookRequestFailure;

  /** @param code the failed check; @param message what to change */
  constructor(code: WebhookRequestFailure, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * The idempotency store (e.g. Redis) could not be reached or answered wrongly. Nothing was
 * dispatched (a failed claim) or the claim could not be recorded; the delivery is answered 503 so
 * Cactus redelivers it.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof CactusIdempotencyError) metrics.storeDown.inc(); }
 * ```
 */
export class CactusIdempotencyError extends CactusError {
  declare readonly code: "idempotency_store_failed";

  /** @param message which store call failed; @param cause the store's error */
  constructor(message: string, options?: { cause?: unknown }) {
    super("idempotency_store_failed", message, options);
  }
}

/**
 * What a commit after its lease expired found: `recorded` (nobody took the event meanwhile: it is
 * now recorded as done), `handled_elsewhere` (another delivery ran and recorded it: the handler ran
 * twice) or `held_elsewhere` (another delivery holds it now: the handler may run again).
 */
export type LeaseExpiredOutcome = "recorded" | "handled_elsewhere" | "held_elsewhere";

/**
 * A handler succeeded, but ran longer than its idempotency lease (`leaseMs`), so the store's
 * commit came late. The delivery is still answered 2xx; this error goes to `onError` (wrapped in a
 * {@link CactusIdempotencyError}) and to the instrumentation's `commitFailed`. Raise `leaseMs`
 * above your slowest handler.
 *
 * @example
 * ```ts
 * onError: (err) => { if (err instanceof CactusError && err.cause instanceof CactusLeaseExpiredError) alert(err.cause.outcome); }
 * ```
 */
export class CactusLeaseExpiredError extends CactusError {
  declare readonly code: "idempotency_lease_expired";
  /** The event whose commit came late. */
  readonly eventId: string;
  /** What the store found, see {@link LeaseExpiredOutcome}. */
  readonly outcome: LeaseExpiredOutcome;

  /** @param eventId the event; @param outcome what the store found */
  constructor(eventId: string, outcome: LeaseExpiredOutcome) {
    const what: Record<LeaseExpiredOutcome, string> = {
      recorded: "nobody took it meanwhile, so it is recorded as done now",
      handled_elsewhere: "another delivery ran and recorded it meanwhile: the handler ran twice",
      held_elsewhere: "another delivery holds it now: the handler may run again",
    };
    super("idempotency_lease_expired", `The handler of event ${eventId.slice(0, 200)} succeeded after its idempotency lease expired; ${what[outcome]} (raise leaseMs above your slowest handler)`);
    this.eventId = eventId;
    this.outcome = outcome;
  }
}

/**
 * The receiver (or queue) is shutting down (`close()` was called): it takes no new work. The
 * delivery is answered 503 with `Retry-After`, so Cactus redelivers it to a running instance.
 *
 * @example
 * ```ts
 * process.once("SIGTERM", () => void handler.close({ timeoutMs: 10_000 }));
 * ```
 */
export class CactusShuttingDownError extends CactusError {
  declare readonly code: "shutting_down";

  /** @param what what is shutting down, e.g. `MyHandler` */
  constructor(what: string) {
    super("shutting_down", `${what} is shutting down and takes no new events; Cactus will redeliver this one`);
  }
}
