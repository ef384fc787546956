import { CactusSignatureError, CactusValidationError } from "../errors";
import { decodeJsonObject } from "../events/json";
import type { WebhookRawBody } from "./raw-body";
import type { WebhookSecrets } from "./secrets";
import { checkSignature, type CheckedWebhookHeaders, type SyncNames } from "./verify";
import { checkSignatureAsync } from "./verify-async";

/** A delivery whose signature checked out: its body decoded once, and what its headers said. */
export interface VerifiedDelivery {
  /** The body as a plain JSON object, decoded once; hydration reads it without parsing again. */
  readonly body: Record<string, unknown>;
  /** `webhook-id`: the event id, equal to `body.id`. */
  readonly id: string;
  /** `webhook-timestamp`, unix seconds. */
  readonly timestamp: number;
}

/**
 * The verify step after the headers were checked: the HMAC of the raw bytes, then the one strict
 * JSON read (UTF-8, an object, no repeated keys), then the `webhook-id` == body `id`
 * check. Throws {@link CactusSignatureError}, `CactusParseError` or {@link CactusValidationError};
 * nothing reaches a handler unless every check passed.
 */
export function verifyDelivery(rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets, names?: SyncNames): VerifiedDelivery {
  checkSignature(rawBody, checked, secrets, names);
  return decodeVerified(rawBody, checked);
}

/** The async twin of {@link verifyDelivery}: the HMAC on Web Crypto, then the same JSON and id checks. */
export async function verifyDeliveryAsync(rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets): Promise<VerifiedDelivery> {
  await checkSignatureAsync(rawBody, checked, secrets);
  return decodeVerified(rawBody, checked);
}

function decodeVerified(rawBody: WebhookRawBody, checked: CheckedWebhookHeaders): VerifiedDelivery {
  const body = decodeJsonObject(rawBody, { rejectDuplicateKeys: true });
  const id = body["id"];
  if (typeof id !== "string" || id === "") {
    throw new CactusValidationError("event", [{ path: "id", rule: "isString", message: "id must be a non-empty string" }]);
  }
  if (id !== checked.id) {
    // Both ids are public (they are in the request); saying which differ helps the sender debug.
    throw new CactusSignatureError("id_mismatch", `webhook-id header ${short(checked.id)} does not match the body's id ${short(id)}`);
  }
  return { body, id, timestamp: checked.timestamp };
}

// Ids come from the request: quote them, and cut them short so an answer never echoes a huge value.
function short(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length > 80 ? `${quoted.slice(0, 77)}..."` : quoted;
}
