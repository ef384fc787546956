// The public surface of cactus-sdk, exported by name, and nothing else.
import "reflect-metadata";

// ---- errors: one family rooted at CactusError ----
export {
  CactusError,
  CactusParseError,
  CactusValidationError,
  CactusNotBoundError,
  CactusConfigError,
  CliUsageError,
  CactusApiError,
  CactusAuthenticationError,
  CactusNotFoundError,
  CactusRateLimitError,
  CactusServerError,
  CactusConnectionError,
  CactusTimeoutError,
  CactusResponseTooLargeError,
  CactusResponseMismatchError,
  CactusArgumentError,
  CactusInvalidIdError,
  CactusAbortError,
  CactusHandlerError,
  CactusHandlersError,
  CactusUnhandledEventError,
  CactusHandlerTimeoutError,
  CactusEventInProgressError,
  CactusSignatureError,
  CactusWebhookRequestError,
  CactusIdempotencyError,
  CactusShuttingDownError,
  CactusQueueUnavailableError,
  CactusRuntimeError,
  type CactusErrorCode,
  type CactusApiErrorCode,
  type CactusHandlerErrorCode,
  type CactusEmulatorErrorCode,
  type CactusValidationIssue,
  type CactusApiErrorOptions,
  type HandlerFailure,
  type WebhookRequestFailure,
  type WebhookSignatureFailure,
} from "./errors";

// ---- events: the catalog, the classes, parsing ----
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
export {
  OrderShippedData,
  OrderShippedEvent,
  OrderShippedPushedEvent,
  OrderDeliveryAttemptedData,
  OrderDeliveryAttemptedEvent,
  OrderDeliveryAttemptedPushedEvent,
  OrderLostData,
  OrderLostEvent,
  OrderLostPushedEvent,
} from "./events/order";
export {
  MovieStartedData,
  MovieStartedEvent,
  MovieStartedPushedEvent,
  MovieCompletedData,
  MovieCompletedEvent,
  MovieCompletedPushedEvent,
} from "./events/movie";
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
export type { EventBody } from "./events/json";

// ---- the client ----
export { CactusClient, DEFAULT_BASE_URL, type CactusClientOptions } from "./client/cactus-client";
export { SDK_VERSION } from "./client/transport";

// ---- the event path: receivers, idempotency ----
export { CactusEventReceiver } from "./pipeline/receiver";
export { DEFAULT_HANDLER_TIMEOUT_MS, type CactusReceiverOptions } from "./pipeline/receiver-options";
export type {
  HandleResult,
  HandleOutcome,
  DispatchResult,
  DeliveryContext,
  WebhookReceiver,
  WebhookTarget,
  HandleOnlyReceiver,
  CactusErrorReporter,
} from "./delivery/types";
export {
  DEFAULT_DONE_TTL_MS,
  DEFAULT_LEASE_MS,
  type IdempotencyStore,
  type IdempotencyClaim,
} from "./delivery/idempotency-store";
export { MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from "./delivery/memory-idempotency-store";

// ---- handler styles: inheritance, router, decorators ----
export { CactusHandler, type CactusHandlerMethods } from "./handler/cactus-handler";
export { ExhaustiveCactusHandler } from "./handler/exhaustive-handler";
export { CactusRouter, type RouterHandleResult } from "./handler/router";
export { On, type OnDecorator } from "./handler/on";
export { OnOther, type OnOtherDecorator } from "./handler/on-other";
export type { CactusEventDomain, CactusEventPattern, EventForPattern, RouterHandlerFn } from "./handler/event-pattern";
export type { CactusRouterShortcuts } from "./handler/router-shortcuts";

// ---- webhooks: signatures and middleware ----
export { WebhookSecrets, generateWebhookSecret, WEBHOOK_SECRET_PREFIX, type WebhookSecretInput } from "./signature/secrets";
export { readHeader, WEBHOOK_HEADERS, type WebhookHeaders } from "./signature/headers";
export type { WebhookRawBody } from "./signature/raw-body";
export { signWebhook, SIGNATURE_VERSION, type SignWebhookInput, type SignedWebhookHeaders } from "./signature/sign";
export { verifyWebhook, DEFAULT_TOLERANCE_SECONDS, type VerifyWebhookOptions, type VerifiedWebhook } from "./signature/verify";
// Web Crypto twins of signWebhook and verifyWebhook: every runtime, nothing from node:.
export { signWebhookAsync } from "./signature/sign-async";
export { verifyWebhookAsync } from "./signature/verify-async";
export { verifyAndHandle } from "./webhooks/verify-and-handle";
export {
  webhookStatusTable,
  DEFAULT_RETRY_AFTER_SECONDS,
  type WebhookOutcome,
  type WebhookAnswer,
  type WebhookErrorBody,
  type WebhookOkBody,
} from "./webhooks/status-table";
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_BODY_TIMEOUT_MS, type WebhookMiddlewareOptions } from "./webhooks/options";
export { createNodeMiddleware, type NodeMiddlewareOptions, type NodeWebhookMiddleware } from "./webhooks/node/create-node-middleware";
export { createFetchHandler, type FetchHandlerOptions, type FetchWebhookHandler } from "./webhooks/web/create-fetch-handler";

// ---- sending signed deliveries (the CLI, tests) ----
export { deliverWebhook, type DeliverWebhookOptions, type DeliveryAttempt, type DeliveryResult } from "./webhooks/deliver-webhook";
export { shutdownOnSignals, closeAll, type Closable, type ShutdownOptions } from "./delivery/shutdown";
export type { HandlerMethodContext } from "./handler/on";

// ---- client: options, per-call options, event lists ----
export { DEFAULT_MAX_RESPONSE_BYTES } from "./client/read-body";
export type { CactusFetch } from "./client/transport";
export type { CactusAppInfo } from "./client/user-agent";
export type { CactusRequestOptions } from "./client/request-options";
export { MAX_LIST_LIMIT, type ListEventsParams, type CactusEventPage, type ListedEvent } from "./client/list-events";

// ---- observability: structured logs, the event context, metrics and tracing hooks ----
export {
  getEventContext,
  defaultLogger,
  serializeError,
  childLogger,
  combineInstrumentation,
  deliveryOutcomes,
  endpointTemplate,
  eventTypeLabel,
  type CactusEventContext,
  type CactusLogger,
  type CactusLogFields,
  type SerializedError,
  type CactusInstrumentation,
  type CactusInstrumentationOption,
  type DeliveryTransport,
  type DeliveryPhase,
  type DeliveryOutcome,
  type DeliveryStart,
  type DeliveryEvent,
  type DeliveryEnd,
  type DeliveryTracker,
  type ApiCallStart,
  type ApiCallEnd,
  type ApiCallTracker,
  type ObservabilityOptions,
} from "./observability";
