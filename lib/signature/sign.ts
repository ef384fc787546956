import { CactusConfigError } from "../errors";
import { requireNodeCrypto, type Bytes } from "../platform/crypto";
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

/**
 * HMAC-SHA256 of the Standard Webhooks signed content `{id}.{timestamp}.{body}`, on `node:crypto`
 * (synchronous). `caller` and `asyncTwin` name the public function in the error thrown where the
 * runtime has no `node:crypto`.
 */
export function computeSignature(key: Bytes, id: string, timestamp: string, body: WebhookRawBody, caller = "signWebhook()", asyncTwin = "signWebhookAsync()"): Uint8Array {
  return signedHmac(key, id, timestamp, body, caller, asyncTwin).digest();
}

/**
 * {@link computeSignature} as canonical base64 (padded), the form a `v1,` entry carries. The digest
 * comes back as a string: no Buffer is made for it (on Node that costs more than the comparison).
 */
export function computeSignatureBase64(key: Bytes, id: string, timestamp: string, body: WebhookRawBody, caller = "signWebhook()", asyncTwin = "signWebhookAsync()"): string {
  return signedHmac(key, id, timestamp, body, caller, asyncTwin).digest("base64");
}

function signedHmac(key: Bytes, id: string, timestamp: string, body: WebhookRawBody, caller: string, asyncTwin: string): import("node:crypto").Hmac {
  return requireNodeCrypto(caller, asyncTwin).createHmac("sha256", key).update(`${id}.${timestamp}.`, "utf8").update(body);
}

/** The signed content `{id}.{timestamp}.{body}` as bytes, for Web Crypto. */
export function signedContent(id: string, timestamp: string, body: WebhookRawBody): Bytes {
  const encoder = new TextEncoder();
  if (typeof body === "string") return encoder.encode(`${id}.${timestamp}.${body}`);
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.byteLength);
  content.set(prefix, 0);
  content.set(body, prefix.length);
  return content;
}

/**
 * Signs a delivery as Cactus does and returns its headers: for your endpoint's tests (like
 * stripe-node's `generateTestHeaderString`), the emulator and `cactus trigger`. Synchronous, on
 * `node:crypto` (Node, Bun, Deno); where the runtime has no `node:crypto` it throws
 * `CactusRuntimeError`: use {@link signWebhookAsync} there.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: "evt_1", type: "order.lost" });
 * const headers = signWebhook({ id: "evt_1", body, webhookSecret: process.env.CACTUS_WEBHOOK_SECRET! });
 * await fetch("http://127.0.0.1:3000/webhooks", { method: "POST", headers, body });
 * ```
 */
export function signWebhook(input: SignWebhookInput): SignedWebhookHeaders {
  const { secrets, body, timestamp } = checkSignInput(input);
  const signatures = secrets.keys().map((key) => `${SIGNATURE_VERSION},${computeSignatureBase64(key, input.id, timestamp, body)}`);
  return signedHeaders(input.id, timestamp, signatures);
}

/** What {@link signWebhook} and its async twin check before signing: the secret, the body, the id and the time. */
export function checkSignInput(input: SignWebhookInput): { readonly secrets: WebhookSecrets; readonly body: WebhookRawBody; readonly timestamp: string } {
  const secret = secretOfOption(input);
  if (secret === undefined) throw new CactusConfigError("signWebhook needs a webhookSecret (the endpoint's whsec_... secret, or several: one v1, entry each)");
  const secrets = WebhookSecrets.parse(secret);
  const body = requireRawBody(input.body);
  if (typeof input.id !== "string" || input.id === "") throw new CactusConfigError("signWebhook needs an id (a non-empty string)");
  return { secrets, body, timestamp: String(unixSeconds(input.timestamp ?? new Date())) };
}

/** The headers of a signed delivery, from its `v1,` entries. */
export function signedHeaders(id: string, timestamp: string, signatures: readonly string[]): SignedWebhookHeaders {
  return {
    [WEBHOOK_HEADERS.id]: id,
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
