import { CactusError } from "../errors";

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
 * A webhook delivery failed verification (SPEC §4), or a webhook secret is malformed. `code` says
 * which check failed; the message never contains a secret or an expected signature.
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
