// cactus-sdk/webhooks: Standard Webhooks signing and verification, secrets, the status table, the
// HTTP shells with their limits, and the webhook sender (for tests, tools and forwarders).
import "reflect-metadata";

export { createNodeMiddleware, type NodeMiddlewareOptions, type NodeWebhookMiddleware } from "./node/create-node-middleware";
export { createFetchHandler, type FetchHandlerOptions, type FetchWebhookHandler } from "./web/create-fetch-handler";
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_BODY_TIMEOUT_MS, type WebhookMiddlewareOptions } from "./options";
export {
  webhookStatusTable,
  DEFAULT_RETRY_AFTER_SECONDS,
  type WebhookOutcome,
  type WebhookAnswer,
  type WebhookErrorBody,
  type WebhookOkBody,
} from "./status-table";
export { verifyAndHandle } from "./verify-and-handle";
export { deliverWebhook, type DeliverWebhookOptions, type DeliveryAttempt, type DeliveryResult } from "./deliver-webhook";
export { WebhookSecrets, generateWebhookSecret, WEBHOOK_SECRET_PREFIX, type WebhookSecretInput } from "../signature/secrets";
export { readHeader, WEBHOOK_HEADERS, type WebhookHeaders } from "../signature/headers";
export type { WebhookRawBody } from "../signature/raw-body";
export { signWebhook, SIGNATURE_VERSION, type SignWebhookInput, type SignedWebhookHeaders } from "../signature/sign";
export { verifyWebhook, DEFAULT_TOLERANCE_SECONDS, type VerifyWebhookOptions, type VerifiedWebhook } from "../signature/verify";
// Web Crypto twins of signWebhook and verifyWebhook: every runtime, nothing from node:.
export { signWebhookAsync } from "../signature/sign-async";
export { verifyWebhookAsync } from "../signature/verify-async";
