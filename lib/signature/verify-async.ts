import { constantTimeEqual } from "../platform/crypto";
import type { WebhookHeaders } from "./headers";
import { requireRawBody, type WebhookRawBody } from "./raw-body";
import { WebhookSecrets, type WebhookSecretInput } from "./secrets";
import { computeSignatureAsync } from "./sign-async";
import {
  checkWebhookHeaders,
  noMatchingSignature,
  signatureEntries,
  type CheckedWebhookHeaders,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
} from "./verify";

/**
 * The async twin of `checkSignature`, on Web Crypto: the HMAC of the raw body under every key,
 * compared with every `v1,` entry in constant time. Throws `no_matching_signature`.
 */
export async function checkSignatureAsync(rawBody: WebhookRawBody, checked: CheckedWebhookHeaders, secrets: WebhookSecrets): Promise<void> {
  const body = requireRawBody(rawBody);
  const candidates = signatureEntries(checked.signature);
  const keys = secrets.keys();
  for (const key of keys) {
    const expected = await computeSignatureAsync(key, checked.id, checked.rawTimestamp, body);
    let matched = false;
    // Every entry is compared (no early exit inside one key's loop), each in constant time.
    for (const candidate of candidates) matched = constantTimeEqual(candidate, expected) || matched;
    if (matched) return;
  }
  throw noMatchingSignature(candidates.length, keys.length);
}

/**
 * The async twin of {@link verifyWebhook}, on Web Crypto (`crypto.subtle` HMAC-SHA256): the same
 * checks and errors, on every runtime (Cloudflare Workers with or without `nodejs_compat`, Vercel
 * Edge, Deno Deploy, Bun, browsers, Node). Rejects with `CactusSignatureError` naming the failed check.
 *
 * @example
 * ```ts
 * export default {
 *   async fetch(request: Request, env: { CACTUS_WEBHOOK_SECRET: string }) {
 *     const body = new Uint8Array(await request.arrayBuffer());
 *     const { id } = await verifyWebhookAsync(body, request.headers, env.CACTUS_WEBHOOK_SECRET);
 *     return new Response(`verified ${id}`);
 *   },
 * };
 * ```
 */
export async function verifyWebhookAsync(
  rawBody: WebhookRawBody,
  headers: WebhookHeaders,
  secret: WebhookSecretInput | WebhookSecrets,
  options: VerifyWebhookOptions = {},
): Promise<VerifiedWebhook> {
  const secrets = WebhookSecrets.parse(secret);
  const body = requireRawBody(rawBody);
  const checked = checkWebhookHeaders(headers, options);
  await checkSignatureAsync(body, checked, secrets);
  return { id: checked.id, timestamp: checked.timestamp };
}
