// Logging, metrics and tracing hooks of the event path: no dependency; prom-client and
// OpenTelemetry implementations live behind cactus-sdk/prometheus and cactus-sdk/otel.
export { defaultLogger, serializeError, childLogger, type CactusLogger, type CactusLogFields, type SerializedError } from "./logger";
export {
  deliveryOutcomes,
  combineInstrumentation,
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
  type CommitFailure,
  type CommitFailureReason,
  type SagaTransition,
  type SagaTransitionKind,
} from "./instrumentation";
export { getEventContext, type CactusEventContext } from "./event-context";
export { endpointTemplate } from "./api-call";
export { eventTypeLabel } from "./outcome";
export type { ObservabilityOptions } from "./settings";
