import type { BaseThinEvent } from "../events/base";
import type { WebhookRawBody } from "../signature/raw-body";
import type { WebhookSecrets, WebhookSecretInput } from "../signature/secrets";
import type { SignOptions } from "./signed-headers";
import { webhookRequest } from "./webhook-request";

/**
 * A test client with supertest's shape: `post(path).set(headers).send(body)`. `request(server)`
 * and `request(app.getHttpServer())` from supertest are ones.
 */
export interface PostableTestClient<T> {
  /** Starts a POST to `path`. */
  post(path: string): { set(headers: Record<string, string>): { send(body: string): T } };
}

/**
 * Options of {@link postWebhook}: the signing options and the path.
 *
 * @example
 * ```ts
 * const options: PostWebhookOptions = { path: "/hooks/cactus", timestamp: new Date(Date.now() - 600_000) };
 * ```
 */
export interface PostWebhookOptions extends SignOptions {
  /** Where it is POSTed. Default `/webhooks`. */
  readonly path?: string;
}

/**
 * Sends the delivery Cactus would send for `event` (or a raw `body`), signed with `secret`,
 * through a supertest-style client, and returns its request (await it, or chain `.expect(...)`).
 *
 * @example
 * ```ts
 * import request from "supertest";
 * const response = await postWebhook(request(app.getHttpServer()), createPushedEvent("order.shipped"), secret);
 * expect(response.status).toBe(200);
 * ```
 */
export function postWebhook<T>(
  client: PostableTestClient<T>,
  eventOrBody: BaseThinEvent | WebhookRawBody,
  secret: WebhookSecretInput | WebhookSecrets,
  options: PostWebhookOptions = {},
): T {
  const { path = "/webhooks", ...sign } = options;
  const signed = webhookRequest(eventOrBody, secret, sign);
  return client.post(path).set({ ...signed.headers }).send(signed.body);
}
