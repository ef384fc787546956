// Delivering the emulator's events to a local endpoint, and the bounded log of what happened.
export { DEFAULT_DELIVERY_LOG_MAX_BYTES, DeliveryLog, type DeliveryLogOptions, type DeliveryLogQuery, type EventPage } from "./delivery-log";
export {
  DELIVERY_OUTCOMES,
  type AttemptTrigger,
  type DeliveryAttemptRecord,
  type DeliveryOutcome,
  type EventDetail,
  type EventSummary,
  type RecordedRequest,
  type RecordedResponse,
} from "./delivery-types";
export { forwardEmulatorEvents, thinOf } from "./forward-emulator-events";
export { MAX_RETRY_DELAY_MS, retryDelayMs } from "./retry-delay";
export { DEFAULT_FORWARDER_CONCURRENCY, WebhookForwarder, type ReplayOptions, type WebhookForwarderOptions, type WebhookForwarderStats } from "./webhook-forwarder";
export { curlCommand, shellQuote } from "./curl-command";
