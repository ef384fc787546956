// cactus-sdk: what a receiver author needs — the events and their classes, the client, the three
// handler styles, the HTTP shells, idempotency, shutdown and the errors a receiver catches.
// Everything else lives behind a named entry point: cactus-sdk/webhooks (signing, verifying, the
// sender, the status table), cactus-sdk/events (the catalog and base classes), cactus-sdk/client
// (constants and call types), cactus-sdk/handler (custom receivers and stores), cactus-sdk/errors
// (the whole error family), cactus-sdk/observability (logging, metrics and tracing hooks).
import "reflect-metadata";

// ---- errors a receiver catches (the whole family: cactus-sdk/errors) ----
export {
  CactusError,
  CactusParseError,
  CactusValidationError,
  CactusNotBoundError,
  CactusConfigError,
  CactusApiError,
  CactusAuthenticationError,
  CactusNotFoundError,
  CactusRateLimitError,
  CactusServerError,
  CactusConnectionError,
  CactusTimeoutError,
  CactusHandlerError,
  CactusHandlersError,
  CactusUnhandledEventError,
  CactusHandlerTimeoutError,
  CactusEventInProgressError,
  CactusSignatureError,
  CactusWebhookRequestError,
  CactusIdempotencyError,
  CactusShuttingDownError,
  type CactusErrorCode,
  type CactusValidationIssue,
} from "./errors";

// ---- events: every class of every catalog type, and the unions handlers narrow ----
export { Order, Movie } from "./events/related-objects";
export { BaseThinEvent, BaseFullEvent } from "./events/base";
export * from "./events/order";
export * from "./events/movie";
export { UnknownPushedEvent, UnknownFullEvent, GenericThinEvent } from "./events/unknown";
export {
  cactusEventTypes,
  isKnownEvent,
  isKnownEventType,
  type CactusEventType,
  type PushedEventOf,
  type FullEventOf,
  type KnownPushedEvent,
  type KnownFullEvent,
  type PushedThinEvent,
  type FullThinEvent,
} from "./events/catalog";
export type { EventBody } from "./events/json";

// ---- the client ----
export { CactusClient, type CactusClientOptions } from "./client/cactus-client";

// ---- handler styles: inheritance, router, decorators ----
export { CactusHandler } from "./handler/cactus-handler";
export { ExhaustiveCactusHandler } from "./handler/exhaustive-handler";
export { CactusRouter } from "./handler/router";
export { On } from "./handler/on";
export { OnOther } from "./handler/on-other";
export type { CactusEventPattern, RouterHandlerFn } from "./handler/event-pattern";
export type { CactusReceiverOptions } from "./pipeline/receiver-options";
export type { HandleResult, WebhookReceiver } from "./delivery/types";
export { getEventContext, type CactusEventContext } from "./observability/event-context";
export type { CactusLogger } from "./observability/logger";

// ---- receiving over HTTP, idempotency, shutdown ----
export { createNodeMiddleware, type NodeMiddlewareOptions } from "./webhooks/node/create-node-middleware";
export { createFetchHandler, type FetchHandlerOptions } from "./webhooks/web/create-fetch-handler";
export type { WebhookHeaders } from "./signature/headers";
export type { WebhookRawBody } from "./signature/raw-body";
export type { IdempotencyStore } from "./delivery/idempotency-store";
export { MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from "./delivery/memory-idempotency-store";
export { shutdownOnSignals, type ShutdownOptions } from "./delivery/shutdown";

// ---- moved to named entry points: deprecated root re-exports, kept for one minor version ----
export {
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  CliUsageError,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  CactusResponseTooLargeError,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  CactusResponseMismatchError,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  CactusArgumentError,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  CactusInvalidIdError,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  CactusAbortError,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  CactusQueueUnavailableError,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  type CactusApiErrorCode,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  type CactusHandlerErrorCode,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  type CactusEmulatorErrorCode,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  type CactusApiErrorOptions,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  type HandlerFailure,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  type WebhookRequestFailure,
  /** @deprecated Import it from "cactus-sdk/errors"; the root re-export goes away in 0.3.0. */
  type WebhookSignatureFailure,
} from "./errors";
export {
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  type RelatedObjectKind,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  type RelatedObjectKinds,
} from "./events/related-objects";
export {
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  PushedEvent,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  KnownPushedEventBase,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  OrderPushedEvent,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  MoviePushedEvent,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  UnrelatedPushedEvent,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  RelatedObjectRef,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  type RelatedObjectRefOf,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  type CactusEventSource,
} from "./events/base";
export {
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  eventCatalog,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  type EventCatalogRow,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  type HandlerMethodOf,
  /** @deprecated Import it from "cactus-sdk/events"; the root re-export goes away in 0.3.0. */
  type HandlerMethodName,
} from "./events/catalog";
export {
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  DEFAULT_BASE_URL,
} from "./client/cactus-client";
export {
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  SDK_VERSION,
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  type CactusFetch,
} from "./client/transport";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  CactusEventReceiver,
} from "./pipeline/receiver";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  DEFAULT_HANDLER_TIMEOUT_MS,
} from "./pipeline/receiver-options";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type HandleOutcome,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type DispatchResult,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type DeliveryContext,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type WebhookTarget,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type HandleOnlyReceiver,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type CactusErrorReporter,
} from "./delivery/types";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  DEFAULT_DONE_TTL_MS,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  DEFAULT_LEASE_MS,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type IdempotencyClaim,
} from "./delivery/idempotency-store";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type CactusHandlerMethods,
} from "./handler/cactus-handler";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type RouterHandleResult,
} from "./handler/router";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type OnDecorator,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type HandlerMethodContext,
} from "./handler/on";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type OnOtherDecorator,
} from "./handler/on-other";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type CactusEventDomain,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type EventForPattern,
} from "./handler/event-pattern";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type CactusRouterShortcuts,
} from "./handler/router-shortcuts";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  WebhookSecrets,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  generateWebhookSecret,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  WEBHOOK_SECRET_PREFIX,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type WebhookSecretInput,
} from "./signature/secrets";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  readHeader,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  WEBHOOK_HEADERS,
} from "./signature/headers";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  signWebhook,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  SIGNATURE_VERSION,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type SignWebhookInput,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type SignedWebhookHeaders,
} from "./signature/sign";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  verifyWebhook,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  DEFAULT_TOLERANCE_SECONDS,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type VerifyWebhookOptions,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type VerifiedWebhook,
} from "./signature/verify";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  verifyAndHandle,
} from "./webhooks/verify-and-handle";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  webhookStatusTable,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  DEFAULT_RETRY_AFTER_SECONDS,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type WebhookOutcome,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type WebhookAnswer,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type WebhookErrorBody,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type WebhookOkBody,
} from "./webhooks/status-table";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  DEFAULT_MAX_BODY_BYTES,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  DEFAULT_BODY_TIMEOUT_MS,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type WebhookMiddlewareOptions,
} from "./webhooks/options";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type NodeWebhookMiddleware,
} from "./webhooks/node/create-node-middleware";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type FetchWebhookHandler,
} from "./webhooks/web/create-fetch-handler";
export {
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  deliverWebhook,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type DeliverWebhookOptions,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type DeliveryAttempt,
  /** @deprecated Import it from "cactus-sdk/webhooks"; the root re-export goes away in 0.3.0. */
  type DeliveryResult,
} from "./webhooks/deliver-webhook";
export {
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  closeAll,
  /** @deprecated Import it from "cactus-sdk/handler"; the root re-export goes away in 0.3.0. */
  type Closable,
} from "./delivery/shutdown";
export {
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  DEFAULT_MAX_RESPONSE_BYTES,
} from "./client/read-body";
export {
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  type CactusAppInfo,
} from "./client/user-agent";
export {
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  type CactusRequestOptions,
} from "./client/request-options";
export {
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  MAX_LIST_LIMIT,
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  type ListEventsParams,
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  type CactusEventPage,
  /** @deprecated Import it from "cactus-sdk/client"; the root re-export goes away in 0.3.0. */
  type ListedEvent,
} from "./client/list-events";
export {
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  defaultLogger,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  serializeError,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  childLogger,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  combineInstrumentation,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  deliveryOutcomes,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  endpointTemplate,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  eventTypeLabel,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type CactusLogFields,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type SerializedError,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type CactusInstrumentation,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type CactusInstrumentationOption,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type DeliveryTransport,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type DeliveryPhase,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type DeliveryOutcome,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type DeliveryStart,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type DeliveryEvent,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type DeliveryEnd,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type DeliveryTracker,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type ApiCallStart,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type ApiCallEnd,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type ApiCallTracker,
  /** @deprecated Import it from "cactus-sdk/observability"; the root re-export goes away in 0.3.0. */
  type ObservabilityOptions,
} from "./observability";
