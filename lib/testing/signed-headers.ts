import { CactusConfigError } from "../errors";
import { decodeJsonObject } from "../events/json";
import type { WebhookRawBody } from "../signature/raw-body";
import type { WebhookSecrets, WebhookSecretInput } from "../signature/secrets";
import { signWebhook, type SignedWebhookHeaders } from "../signature/sign";

/**
 * Options of {@link signedHeaders} and {@link webhookRequest}.
 *
 * @example
 * ```ts
 * const options: SignOptions = { timestamp: new Date(Date.now() - 10 * 60_000) }; // too old: 401
 * ```
 */
export interface SignOptions {
  /** The `webhook-id`. Default: the body's `id`, as Cactus sends it. */
  readonly id?: string;
  /** When it was "sent": unix seconds or a Date. Default: now. */
  readonly timestamp?: number | Date;
}

/**
 * The headers Cactus sends with `body`, signed with `secret`: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature` and `content-type`. For a test that calls your endpoint, or a framework's
 * test client, directly.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(createPushedEvent("order.lost"));
 * const headers = signedHeaders(body, "whsec_...");
 * await fetch(`${url}/webhooks`, { method: "POST", headers, body });
 * ```
 */
export function signedHeaders(body: WebhookRawBody, secret: WebhookSecretInput | WebhookSecrets, options: SignOptions = {}): SignedWebhookHeaders {
  return signWebhook({ id: options.id ?? idOf(body), body, webhookSecret: secret, ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }) });
}

function idOf(body: WebhookRawBody): string {
  let id: unknown;
  try {
    id = decodeJsonObject(body)["id"];
  } catch {
    id = undefined;
  }
  if (typeof id === "string" && id !== "") return id;
  throw new CactusConfigError("signedHeaders: the body has no string \"id\" to use as webhook-id; pass { id } in the options");
}
