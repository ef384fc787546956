// The public surface of cactus-sdk, and nothing else.
import "reflect-metadata";

export * from "./errors";
export { Order, Movie, type RelatedObjectKind, type RelatedObjectKinds } from "./events/related-objects";
export {
  BaseThinEvent,
  BaseFullEvent,
  PushedEvent,
  KnownPushedEventBase,
  OrderPushedEvent,
  MoviePushedEvent,
  UnrelatedPushedEvent,
  RelatedObjectRef,
  type RelatedObjectRefOf,
  type CactusEventSource,
} from "./events/base";
export * from "./events/order";
export * from "./events/movie";
export { UnknownPushedEvent, UnknownFullEvent, GenericThinEvent } from "./events/unknown";
export {
  eventCatalog,
  cactusEventTypes,
  isKnownEvent,
  isKnownEventType,
  type EventCatalogRow,
  type CactusEventType,
  type PushedEventOf,
  type FullEventOf,
  type HandlerMethodOf,
  type HandlerMethodName,
  type KnownPushedEvent,
  type KnownFullEvent,
  type PushedThinEvent,
  type FullThinEvent,
} from "./events/catalog";
export type { EventBody } from "./events/parse";
export { CactusClient, DEFAULT_BASE_URL, type CactusClientOptions } from "./client/cactus-client";
export { CactusEventReceiver, type HandleResult } from "./handler/receiver";
export { CactusHandler, type CactusHandlerMethods } from "./handler/cactus-handler";

// ---- client transport and emulator (helper-1 adds exports below) ----
export { SDK_VERSION } from "./client/transport";

// ---- router and decorators (helper-3 adds exports below) ----
export { CactusRouter, type RouterHandleResult } from "./handler/router";
export { On, type OnDecorator } from "./handler/on";
export { OnOther, type OnOtherDecorator } from "./handler/on-other";
export type { CactusEventDomain, CactusEventPattern, EventForPattern, RouterHandlerFn } from "./handler/event-pattern";
export type { CactusRouterShortcuts } from "./handler/seed-style";
export { CactusHandlersError, CactusUnhandledEventError, type HandlerFailure } from "./handler/handlers-error";
export { ExhaustiveCactusHandler } from "./handler/exhaustive-handler";

// ---- webhooks: signatures and middleware (helper-2 adds exports below) ----
export { CactusSignatureError, type WebhookSignatureFailure } from "./webhooks/signature-error";
export { CactusWebhookRequestError, type WebhookRequestFailure } from "./webhooks/request-error";
export { WebhookSecrets, generateWebhookSecret, WEBHOOK_SECRET_PREFIX, type WebhookSecretInput } from "./webhooks/secrets";
export { readHeader, WEBHOOK_HEADERS, type WebhookHeaders } from "./webhooks/headers";
export type { WebhookRawBody } from "./webhooks/raw-body";
export { signWebhook, SIGNATURE_VERSION, type SignWebhookInput, type SignedWebhookHeaders } from "./webhooks/sign";
export { verifyWebhook, DEFAULT_TOLERANCE_SECONDS, type VerifyWebhookOptions, type VerifiedWebhook } from "./webhooks/verify";
export { verifyAndHandle, type WebhookReceiver } from "./webhooks/verify-and-handle";
export {
  webhookStatusTable,
  type WebhookOutcome,
  type WebhookAnswer,
  type WebhookErrorBody,
  type WebhookOkBody,
} from "./webhooks/status-table";
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_BODY_TIMEOUT_MS, type WebhookMiddlewareOptions } from "./webhooks/options";
export { createNodeMiddleware, type NodeMiddlewareOptions, type NodeWebhookMiddleware } from "./webhooks/node/create-node-middleware";
export { createFetchHandler, type FetchHandlerOptions, type FetchWebhookHandler } from "./webhooks/web/create-fetch-handler";
export type { CactusReceiverOptions } from "./handler/receiver";
export { deliverWebhook, type DeliverWebhookOptions, type DeliveryAttempt, type DeliveryResult } from "./emulator/deliver-webhook";
