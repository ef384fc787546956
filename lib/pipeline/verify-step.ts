import type { WebhookRawBody } from "../signature/raw-body";
import type { WebhookSecrets } from "../signature/secrets";
import type { CheckedWebhookHeaders, SyncNames } from "../signature/verify";
import { verifyDelivery, verifyDeliveryAsync, type VerifiedDelivery } from "../signature/verify-delivery";
import type { DeliveryObservation } from "../observability/observation";
import { nodeCrypto } from "../platform/crypto";

/**
 * The verify step of every signed entry (`handleWebhook` and the HTTP core): the HMAC of the raw
 * bytes, the one JSON read and the `webhook-id` check, traced as the `verify` phase when spans are
 * on, and the delivery named by its event id from then on. The headers were checked before (the
 * HTTP core checks them before it reads any body). Synchronous, on `node:crypto`.
 */
export function verifyStep(observation: DeliveryObservation, rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets, names?: SyncNames): VerifiedDelivery {
  const delivery = observation.traced ? observation.phase("verify", () => verifyDelivery(rawBody, checked, secrets, names)) : verifyDelivery(rawBody, checked, secrets, names);
  observation.eventId = delivery.id;
  return delivery;
}

/** {@link verifyStep} on Web Crypto: what the Fetch handler runs, on every runtime. */
export async function verifyStepAsync(observation: DeliveryObservation, rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets): Promise<VerifiedDelivery> {
  const delivery = await (observation.traced ? observation.phase("verify", () => verifyDeliveryAsync(rawBody, checked, secrets)) : verifyDeliveryAsync(rawBody, checked, secrets));
  observation.eventId = delivery.id;
  return delivery;
}

/** The verify step for an entry that is async anyway: `node:crypto` where there is one (the fastest), else Web Crypto. */
export function verifyStepAnywhere(observation: DeliveryObservation, rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets): VerifiedDelivery | Promise<VerifiedDelivery> {
  return nodeCrypto() === undefined ? verifyStepAsync(observation, rawBody, checked, secrets) : verifyStep(observation, rawBody, checked, secrets);
}

/** How a shell verifies: synchronously (Node's middleware) or on Web Crypto (the Fetch handler). */
export type VerifyStep = (observation: DeliveryObservation, rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets) => VerifiedDelivery | Promise<VerifiedDelivery>;
