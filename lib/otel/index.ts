// cactus-sdk/otel: OpenTelemetry spans of the event path and the client. @opentelemetry/api is an
// optional peer dependency, loaded only by this entry.
export { cactusTracing, type CactusTracingOptions } from "./cactus-tracing";
export { traceparentOf, spanContextOf } from "./traceparent";
