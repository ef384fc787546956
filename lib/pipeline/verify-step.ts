import type { WebhookRawBody } from "../signature/raw-body";
import type { WebhookSecrets } from "../signature/secrets";
import type { CheckedWebhookHeaders } from "../signature/verify";
import { verifyDelivery, type VerifiedDelivery } from "../signature/verify-delivery";
import type { DeliveryObservation } from "../observability/observation";

/**
 * The verify step of every signed entry (`handleWebhook` and the HTTP core): the HMAC of the raw
 * bytes, the one JSON read and the `webhook-id` check, traced as the `verify` phase when spans are
 * on, and the delivery named by its event id from then on. The headers were checked before (the
 * HTTP core checks them before it reads any body).
 */
export function verifyStep(observation: DeliveryObservation, rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets): VerifiedDelivery {
  const delivery = observation.traced ? observation.phase("verify", () => verifyDelivery(rawBody, checked, secrets)) : verifyDelivery(rawBody, checked, secrets);
  observation.eventId = delivery.id;
  return delivery;
}
