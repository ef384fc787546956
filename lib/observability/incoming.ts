import { isCharRun, readHeader, trimmedHeader, type WebhookHeaders } from "../signature/headers";
import type { ObservedDelivery } from "./observation";

// Only well-formed, bounded values go further: they end up in logs, spans and job data.
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * What a delivery's headers say before anything is verified: `webhook-id`, `traceparent` and
 * `x-correlation-id`, each kept only when well-formed and bounded (they are the sender's values).
 */
export function incomingDelivery(headers: WebhookHeaders): ObservedDelivery {
  return incomingDeliveryOf(readHeader(headers, "webhook-id"), readHeader(headers, "traceparent"), readHeader(headers, "x-correlation-id"));
}

/** {@link incomingDelivery} on the header values, read already (`readDeliveryHeaders`). */
export function incomingDeliveryOf(rawId: string | undefined, rawTraceparent: string | undefined, rawCorrelationId: string | undefined): ObservedDelivery {
  const deliveryId = trimmedHeader(rawId);
  const traceparent = trimmedHeader(rawTraceparent);
  const correlationId = trimmedHeader(rawCorrelationId);
  const delivery: { deliveryId?: string; traceparent?: string; correlationId?: string } = {};
  if (deliveryId !== undefined && isHeaderId(deliveryId)) delivery.deliveryId = deliveryId;
  if (traceparent !== undefined && TRACEPARENT.test(traceparent)) delivery.traceparent = traceparent;
  if (correlationId !== undefined && isHeaderId(correlationId)) delivery.correlationId = correlationId;
  return delivery;
}

// An id worth carrying on: 1 to 128 printable ASCII characters, no space.
function isHeaderId(text: string): boolean {
  return isCharRun(text, 128, 0x21, 0x7e);
}
