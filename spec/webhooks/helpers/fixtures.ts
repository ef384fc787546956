import { signWebhook, type SignedWebhookHeaders } from "../../../lib/webhooks";

/** Fixed test secrets (24 and 32 random-looking bytes), never used outside tests. */
export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const OTHER_SECRET = "whsec_c2VjcmV0LWtleS1mb3ItdGhlLW90aGVyLWVuZHBvaW50";

/** A valid thin `order.shipped` body for event `id`. */
export function shippedBody(id = "evt_1"): string {
  return JSON.stringify({ id, type: "order.shipped", related_object: { id: "ord_456", type: "order" } });
}

/** Body and signed headers of one delivery, signed now (or at `timestamp`) with `secret`. */
export function signedDelivery(
  body: string = shippedBody(),
  options: { id?: string; secret?: string | readonly string[]; timestamp?: number | Date } = {},
): { body: string; headers: SignedWebhookHeaders } {
  const id = options.id ?? idOf(body);
  const headers = signWebhook({ id, body, webhookSecret: options.secret ?? SECRET, ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }) });
  return { body, headers };
}

function idOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && "id" in parsed && typeof parsed.id === "string") return parsed.id;
  } catch {
    // not JSON: any id will do
  }
  return "evt_1";
}

/** Unix seconds now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
