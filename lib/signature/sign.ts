import { createHmac } from "node:crypto";
import { CactusConfigError } from "../errors";
import { WEBHOOK_HEADERS } from "./headers";
import { requireRawBody, type WebhookRawBody } from "./raw-body";
import { secretOfOption, WebhookSecrets, type WebhookSecretOption } from "./secrets";

/** The signature scheme version this SDK signs and accepts (Standard Webhooks `v1`: HMAC-SHA256). */
export const SIGNATURE_VERSION = "v1";

/**
 * The headers of one signed delivery, ready to send (or to pass to your endpoint in a test).
 * A type alias, not an interface, so that it is assignable to `Record<string, string>` (fetch's `HeadersInit`).
 */
export type SignedWebhookHeaders = {
  /** The event id. */
  readonly "webhook-id": string;
  /** Unix seconds, as a string. */
  readonly "webhook-timestamp": string;
  /** `v1,<base64>` entries, one per secret, space-separated. */
  readonly "webhook-signature": string;
  /** Always `application/json`. */
  readonly "content-type": "application/json";
};

/** What {@link signWebhook} signs: these fields and the secret (`webhookSecret`). */
export type SignWebhookInput = SignWebhookFields & WebhookSecretOption;

/** The fields of {@link SignWebhookInput} besides the secret. */
export interface SignWebhookFields {
  /** The event id (`webhook-id`); must equal the body's `id` for the receiver to accept it. */
  readonly id: string;
  /** The exact body to send. */
  readonly body: WebhookRawBody;
  /** When it was sent: unix seconds or a Date. Default: now. */
  readonly timestamp?: number | Date;
}

/** HMAC-SHA256 of the Standard Webhooks signed content `{id}.{timestamp}.{body}`. */
export function computeSignature(key: Buffer, id: string, timestamp: string, body: WebhookRawBody): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`, "utf8").update(body).digest();
}

/**
 * Signs a delivery as Cactus does and returns its headers: for your endpoint's tests (like
 * stripe-node's `generateTestHeaderString`), the emulator and `cactus trigger`.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: "evt_1", type: "order.lost" });
 * const headers = signWebhook({ id: "evt_1", body, webhookSecret: process.env.CACTUS_WEBHOOK_SECRET! });
 * await fetch("http://127.0.0.1:3000/webhooks", { method: "POST", headers, body });
 * ```
 */
export function signWebhook(input: SignWebhookInput): SignedWebhookHeaders {
  const secret = secretOfOption(input);
  if (secret === undefined) throw new CactusConfigError("signWebhook needs a webhookSecret (the endpoint's whsec_... secret, or several: one v1, entry each)");
  const secrets = WebhookSecrets.parse(secret);
  const body = requireRawBody(input.body);
  if (typeof input.id !== "string" || input.id === "") throw new CactusConfigError("signWebhook needs an id (a non-empty string)");
  const timestamp = String(unixSeconds(input.timestamp ?? new Date()));
  const signatures = secrets
    .keys()
    .map((key) => `${SIGNATURE_VERSION},${computeSignature(key, input.id, timestamp, body).toString("base64")}`);
  return {
    [WEBHOOK_HEADERS.id]: input.id,
    [WEBHOOK_HEADERS.timestamp]: timestamp,
    [WEBHOOK_HEADERS.signature]: signatures.join(" "),
    "content-type": "application/json",
  };
}

function unixSeconds(time: number | Date): number {
  const seconds = time instanceof Date ? Math.floor(time.getTime() / 1000) : time;
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new CactusConfigError(`signWebhook timestamp must be unix seconds (an integer >= 0) or a valid Date, got ${String(time)}`);
  }
  return seconds;
}
