// cactus-sdk/events: the event model in full — every class, the catalog and its derived types,
// and the base classes an event type is built from. The root entry exports what handlers use.
import "reflect-metadata";

export { Order, Movie, type RelatedObjectKind, type RelatedObjectKinds } from "./related-objects";
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
} from "./base";
export * from "./order";
export * from "./movie";
export * from "./older-data";
export { UnknownPushedEvent, UnknownFullEvent, GenericThinEvent } from "./unknown";
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
} from "./catalog";
export type { EventBody } from "./json";
export {
  CACTUS_API_VERSIONS,
  CURRENT_API_VERSION,
  isKnownApiVersion,
  setApiVersionWarningLogger,
  type CactusApiVersion,
  type ApiVersionWarningLogger,
} from "./api-versions";
export { dataVersions, DataVersions, type DataShape, type DataVersionChain, type OlderDataVersion } from "./versioned-data";
