import { deliverTo, type HandleResult, type WebhookTarget } from "../delivery/types";
import type { WebhookHeaders } from "../signature/headers";
import type { WebhookRawBody } from "../signature/raw-body";
import { WebhookSecrets, type WebhookSecretInput } from "../signature/secrets";
import { checkWebhookHeaders, type VerifyWebhookOptions } from "../signature/verify";
import { verifyDelivery, verifyDeliveryAsync } from "../signature/verify-delivery";
import { nodeCrypto } from "../platform/crypto";

/**
 * Verifies a delivery and hands its decoded body to `receiver`.
 *
 * @deprecated Use `receiver.handleWebhook(rawBody, headers)` (with the receiver's `webhookSecret`
 * option) or the middleware: they run the same path and also apply `handlerTimeoutMs`.
 *
 * @example
 * ```ts
 * const { handledBy } = await verifyAndHandle(router, rawBody, req.headers, process.env.CACTUS_WEBHOOK_SECRET!);
 * ```
 */
export async function verifyAndHandle(
  receiver: WebhookTarget,
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecretInput | WebhookSecrets,
  options: VerifyWebhookOptions = {},
): Promise<HandleResult> {
  const secrets = WebhookSecrets.parse(secret);
  const checked = checkWebhookHeaders(headers, options);
  // node:crypto where the runtime has it; Web Crypto elsewhere.
  const delivery = nodeCrypto() === undefined ? await verifyDeliveryAsync(rawBody, checked, secrets) : verifyDelivery(rawBody, checked, secrets);
  return deliverTo(receiver, delivery.body, { deliveryId: delivery.id });
}
