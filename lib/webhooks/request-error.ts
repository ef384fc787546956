import { CactusError } from "../errors";

/**
 * Why the webhook middleware refused a request before verifying it, with the status it answers.
 * - `not_found` (404): another path.
 * - `method_not_allowed` (405): not a POST.
 * - `body_timeout` (408): the body did not arrive within `bodyTimeoutMs`.
 * - `payload_too_large` (413): the body is larger than `maxBodyBytes`.
 * - `unsupported_media_type` (415): the content type is not JSON.
 * - `body_read_failed` (400): the client aborted or the stream broke.
 * - `body_already_parsed` (500): a framework consumed or parsed the body first; the message says what to change.
 */
export type WebhookRequestFailure =
  | "not_found"
  | "method_not_allowed"
  | "body_timeout"
  | "payload_too_large"
  | "unsupported_media_type"
  | "body_read_failed"
  | "body_already_parsed";

/**
 * The middleware could not take the request as a webhook delivery (wrong path, method, type,
 * size, a body that never arrived, or a body a framework already parsed). `status` is the
 * HTTP status it answers; see docs/webhooks.md for the table.
 */
export class CactusWebhookRequestError extends CactusError {
  /** Which check failed. */
  declare readonly code: WebhookRequestFailure;
  /** The HTTP status the middleware answers. */
  readonly status: number;

  /** @param code the failed check; @param status HTTP status; @param message what to change */
  constructor(code: WebhookRequestFailure, status: number, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}
