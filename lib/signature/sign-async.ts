import { encodeBase64 } from "../platform/base64";
import { hmacSha256Async, type Bytes } from "../platform/crypto";
import type { WebhookRawBody } from "./raw-body";
import { checkSignInput, signedContent, signedHeaders, SIGNATURE_VERSION, type SignedWebhookHeaders, type SignWebhookInput } from "./sign";

/** HMAC-SHA256 of `{id}.{timestamp}.{body}` on Web Crypto: the async twin of `computeSignature`. */
export function computeSignatureAsync(key: Bytes, id: string, timestamp: string, body: WebhookRawBody): Promise<Bytes> {
  return hmacSha256Async(key, signedContent(id, timestamp, body));
}

/**
 * The async twin of {@link signWebhook}, on Web Crypto (`crypto.subtle`): the same headers, on
 * every runtime (Cloudflare Workers with or without `nodejs_compat`, Vercel Edge, Deno, Bun,
 * browsers, Node).
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: "evt_1", type: "order.lost" });
 * const headers = await signWebhookAsync({ id: "evt_1", body, webhookSecret: env.CACTUS_WEBHOOK_SECRET });
 * const response = await worker.fetch(new Request("https://example.test/webhooks", { method: "POST", headers, body }));
 * ```
 */
export async function signWebhookAsync(input: SignWebhookInput): Promise<SignedWebhookHeaders> {
  const { secrets, body, timestamp } = checkSignInput(input);
  const signatures = await Promise.all(
    secrets.keys().map(async (key) => `${SIGNATURE_VERSION},${encodeBase64(await computeSignatureAsync(key, input.id, timestamp, body))}`),
  );
  return signedHeaders(input.id, timestamp, signatures);
}
