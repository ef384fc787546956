/**
 * Which check of a webhook signature failed. Stable: match on it, log it, alert on it.
 * - `missing_header`: `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or empty.
 * - `malformed_timestamp`: `webhook-timestamp` is not unix seconds.
 * - `timestamp_too_old`: older than the tolerance (a replay, or a clock far behind).
 * - `timestamp_too_new`: further in the future than the tolerance.
 * - `no_matching_signature`: no `v1,` entry matches the body under any configured secret.
 * - `malformed_secret`: a configured secret is not `whsec_<base64 key>` (thrown at configuration time).
 * - `id_mismatch`: the `webhook-id` header and the body's `id` differ.
 */
export type WebhookSignatureFailure =
  | "missing_header"
  | "malformed_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "no_matching_signature"
  | "malformed_secret"
  | "id_mismatch";

/**
 * Why the webhook middleware refused a request before verifying it.
 * - `not_found`: another path.
 * - `method_not_allowed`: not a POST.
 * - `body_timeout`: the body did not arrive within `bodyTimeoutMs`.
 * - `payload_too_large`: the body is larger than `maxBodyBytes`.
 * - `unsupported_media_type`: the content type is not JSON.
 * - `body_read_failed`: the client aborted or the stream broke.
 * - `body_already_parsed`: a framework consumed or parsed the body first; the message says what to change.
 */
export type WebhookRequestFailure =
  | "not_found"
  | "method_not_allowed"
  | "body_timeout"
  | "payload_too_large"
  | "unsupported_media_type"
  | "body_read_failed"
  | "body_already_parsed";

/** Codes of the Cactus API errors: the HTTP failure kinds the client names. */
export type CactusApiErrorCode =
  | "api_error"
  | "authentication_failed"
  | "not_found"
  | "rate_limited"
  | "server_error"
  | "invalid_response"
  | "response_too_large"
  | "response_id_mismatch"
  | "response_type_mismatch"
  | "invalid_argument"
  | "invalid_id"
  | "aborted";

/**
 * Codes of a saga's failures:
 * - `saga_state_invalid`: a method returned (or `initialState()` gave) a state that is not plain
 *   JSON; the message names the saga and the field. Nothing was written, the event is not handled.
 * - `saga_compensation_failed`: a compensation still threw after its retries; the original failure
 *   stays recorded as the instance's reason, and the redelivery retries the compensations left.
 * - `saga_step_failed`: a step's `run` still threw after its retries: the instance fails (what
 *   `context.step` throws into the method; let it propagate).
 * - `saga_expectation_failed`: a `sagaTest(...)` expectation did not hold (the message shows both sides).
 * - `saga_conflict`: the instance changed under this event (its version moved); the event is
 *   rolled back and redelivered.
 */
export type CactusSagaErrorCode = "saga_state_invalid" | "saga_compensation_failed" | "saga_conflict" | "saga_step_failed" | "saga_expectation_failed";

/**
 * Codes of a handler that did not finish well: it threw (`handler_failed`), nobody took the event
 * (`unhandled_event`), it ran past `handlerTimeoutMs` (`handler_timeout`), or another delivery of the
 * same event is running (`in_progress`).
 */
export type CactusHandlerErrorCode = "handler_failed" | "unhandled_event" | "handler_timeout" | "in_progress" | "floating_work";

/** Codes of the local emulator and the `cactus` command's failures to reach or start it. */
export type CactusEmulatorErrorCode =
  | "emulator_listen_failed"
  | "emulator_not_listening"
  | "emulator_unknown_event"
  | "emulator_unreachable"
  | "emulator_version_failed"
  | "backing_event_missing"
  | "forwarder_unknown_event"
  | "forwarder_closed";

/**
 * Every `code` a {@link CactusError} can carry. Stable across releases: match on it.
 *
 * @example
 * ```ts
 * if (err instanceof CactusError && err.code === "validation_failed") { ... }
 * ```
 */
export type CactusErrorCode =
  | "parse_failed"
  | "validation_failed"
  | "event_not_bound"
  | "invalid_config"
  | "connection_failed"
  | "timeout"
  | "idempotency_store_failed"
  | "idempotency_lease_expired"
  | "shutting_down"
  | "queue_unavailable"
  | "event_store_unavailable"
  | "cli_usage"
  | "runtime_unsupported"
  | CactusApiErrorCode
  | CactusHandlerErrorCode
  | CactusEmulatorErrorCode
  | CactusSagaErrorCode
  | WebhookSignatureFailure
  | WebhookRequestFailure;
