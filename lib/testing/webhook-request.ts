import { BaseThinEvent } from "../events/base";
import type { WebhookRawBody } from "../signature/raw-body";
import type { WebhookSecrets, WebhookSecretInput } from "../signature/secrets";
import type { SignedWebhookHeaders } from "../signature/sign";
import { signedHeaders, type SignOptions } from "./signed-headers";

/**
 * Options of {@link webhookRequest}.
 *
 * @example
 * ```ts
 * const options: WebhookRequestOptions = { url: "http://127.0.0.1:3000/webhooks" };
 * ```
 */
export interface WebhookRequestOptions extends SignOptions {
  /** Where it is sent. Default `http://127.0.0.1/webhooks` (the middleware's default path). */
  readonly url?: string;
}

/**
 * A signed delivery, ready for either kind of endpoint: the plain parts for node:http, Express
 * test clients or `http.request`, and {@link TestWebhookRequest.toRequest} for a Fetch handler.
 *
 * @example
 * ```ts
 * const { method, headers, body } = webhookRequest(event, secret);
 * ```
 */
export interface TestWebhookRequest {
  /** Always `POST`. */
  readonly method: "POST";
  /** The URL (see {@link WebhookRequestOptions.url}). */
  readonly url: string;
  /** Its path and query, e.g. `/webhooks`, for node's `http.request({ path })`. */
  readonly path: string;
  /** The signed `webhook-*` headers and `content-type`. */
  readonly headers: SignedWebhookHeaders;
  /** The exact body that was signed. */
  readonly body: string;
  /** A new Fetch API `Request` (a body can be read once, so each call makes a fresh one). */
  toRequest(): Request;
}

/**
 * Builds the request Cactus would send for `event` (its thin wire JSON, as pushed) or for a raw
 * `body`, signed with `secret`.
 *
 * @example
 * ```ts
 * const handler = createFetchHandler(router, { secret });
 * const response = await handler(webhookRequest(createPushedEvent("order.lost"), secret).toRequest());
 * expect(response.status).toBe(200);
 * ```
 */
export function webhookRequest(
  eventOrBody: BaseThinEvent | WebhookRawBody,
  secret: WebhookSecretInput | WebhookSecrets,
  options: WebhookRequestOptions = {},
): TestWebhookRequest {
  const body = bodyOf(eventOrBody);
  const headers = signedHeaders(body, secret, options);
  const url = options.url ?? "http://127.0.0.1/webhooks";
  const parsed = new URL(url);
  return {
    method: "POST",
    url,
    path: `${parsed.pathname}${parsed.search}`,
    headers,
    body,
    toRequest: () => new Request(url, { method: "POST", headers, body }),
  };
}

// Cactus pushes thin events: a full event passed here is sent without its data.
function bodyOf(eventOrBody: BaseThinEvent | WebhookRawBody): string {
  if (typeof eventOrBody === "string") return eventOrBody;
  if (eventOrBody instanceof Uint8Array) return new TextDecoder().decode(eventOrBody);
  const { data: _data, ...thin } = eventOrBody.toJSON();
  return JSON.stringify(thin);
}
