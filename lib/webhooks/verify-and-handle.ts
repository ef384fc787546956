import type { EventBody } from "../events/parse";
import type { HandleResult } from "../handler/receiver";
import type { WebhookHeaders } from "./headers";
import type { WebhookRawBody } from "./raw-body";
import { WebhookSecrets, type WebhookSecretInput } from "./secrets";
import { checkSignature, checkWebhookHeaders, type CheckedWebhookHeaders, type VerifyWebhookOptions } from "./verify";
import { readWebhookJson } from "./webhook-json";

/**
 * Anything that can handle a parsed delivery: a {@link CactusHandler} subclass, a `CactusRouter`,
 * or any {@link CactusEventReceiver}. The middleware verifies, then calls `handle`.
 */
export interface WebhookReceiver {
  /** Parses and dispatches one event; see `CactusEventReceiver.handle`. */
  handle(body: EventBody): Promise<HandleResult>;
}

/**
 * The steps after the headers were checked: the HMAC of the raw bytes, the strict JSON read and
 * the `webhook-id` == body `id` check, then `receiver.handle`. Nothing reaches the receiver
 * unless every check passed.
 */
export async function handleCheckedWebhook(
  receiver: WebhookReceiver,
  rawBody: WebhookRawBody,
  checked: CheckedWebhookHeaders,
  secrets: WebhookSecrets,
): Promise<HandleResult> {
  checkSignature(rawBody, checked, secrets);
  const plain = readWebhookJson(rawBody, checked.id);
  return receiver.handle(plain);
}

/**
 * Verifies a delivery (SPEC §4) and hands it to `receiver`: what `handler.handleWebhook` and
 * the middleware both run. Rejects with `CactusSignatureError` (401), `CactusParseError` or
 * `CactusValidationError` (400), or `CactusHandlerError` (500); nothing is dispatched unless
 * every check passed.
 *
 * @example
 * ```ts
 * const { handledBy } = await verifyAndHandle(router, rawBody, req.headers, process.env.CACTUS_WEBHOOK_SECRET!);
 * ```
 */
export async function verifyAndHandle(
  receiver: WebhookReceiver,
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecretInput | WebhookSecrets,
  options: VerifyWebhookOptions = {},
): Promise<HandleResult> {
  const secrets = WebhookSecrets.parse(secret);
  return handleCheckedWebhook(receiver, rawBody, checkWebhookHeaders(headers, options), secrets);
}
