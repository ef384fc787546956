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
export { CactusHandlersError, type HandlerFailure } from "./handler/handlers-error";
export { ExhaustiveCactusHandler } from "./handler/exhaustive-handler";

// ---- webhooks: signatures and middleware (helper-2 adds exports below) ----
