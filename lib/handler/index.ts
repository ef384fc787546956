// cactus-sdk/handler: the building blocks under the handler styles, for custom receivers, custom
// idempotency stores and typed helpers: the receiver base class and the path's types, the stores'
// contract and defaults, shutdown, and the handler styles' own types.
import "reflect-metadata";

export { CactusHandler, type CactusHandlerMethods } from "./cactus-handler";
export { ExhaustiveCactusHandler } from "./exhaustive-handler";
export { CactusRouter, type RouterHandleResult } from "./router";
export { On, type OnDecorator, type HandlerMethodContext } from "./on";
export { OnOther, type OnOtherDecorator } from "./on-other";
export type { CactusEventDomain, CactusEventPattern, EventForPattern, RouterHandlerFn } from "./event-pattern";
export type { CactusRouterShortcuts } from "./router-shortcuts";
export { CactusEventReceiver } from "../pipeline/receiver";
export { DEFAULT_HANDLER_TIMEOUT_MS, type CactusReceiverOptions } from "../pipeline/receiver-options";
export type {
  HandleResult,
  HandleOutcome,
  DispatchResult,
  DeliveryContext,
  WebhookReceiver,
  WebhookTarget,
  HandleOnlyReceiver,
  CactusErrorReporter,
} from "../delivery/types";
export { DEFAULT_DONE_TTL_MS, DEFAULT_LEASE_MS, type IdempotencyStore, type IdempotencyClaim } from "../delivery/idempotency-store";
export { MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from "../delivery/memory-idempotency-store";
export { shutdownOnSignals, closeAll, type Closable, type ShutdownOptions } from "../delivery/shutdown";
