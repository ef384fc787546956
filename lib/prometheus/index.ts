// cactus-sdk/prometheus: prom-client metrics of the event path and the client. prom-client is an
// optional peer dependency, loaded only by this entry.
export {
  cactusPrometheus,
  DEFAULT_DURATION_BUCKETS,
  type CactusPrometheusOptions,
  type CactusPrometheusInstrumentation,
} from "./cactus-prometheus";
export { metricsHandler } from "./metrics-handler";
export { QUEUE_STATES, type QueueMetricsSource } from "./queue-source";
