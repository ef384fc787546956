import { Counter, Gauge, Histogram, register as globalRegistry, type Registry } from "prom-client";
import type { ApiCallStart, ApiCallTracker, CactusInstrumentation, DeliveryStart, DeliveryTracker } from "../observability/instrumentation";
import { QUEUE_STATES, type QueueMetricsSource } from "./queue-source";

/** Options of {@link cactusPrometheus}. */
export interface CactusPrometheusOptions {
  /** Where the metrics are registered. Default: prom-client's global `register`. */
  readonly registry?: Registry;
  /** Buckets of the two duration histograms, in seconds. Default: 5 ms to 15 s (Cactus waits 15 s). */
  readonly buckets?: readonly number[];
  /** A queue whose job counts and dead letters become the `cactus_queue_jobs` and `cactus_dead_letters` gauges. */
  readonly queue?: QueueMetricsSource;
}

/** The default histogram buckets, in seconds. */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/** The instrumentation {@link cactusPrometheus} returns, and where its metrics live. */
export interface CactusPrometheusInstrumentation extends CactusInstrumentation {
  /** The registry the metrics are in: serve `await registry.metrics()` on `/metrics`. */
  readonly registry: Registry;
}

/**
 * Prometheus metrics for receivers, the middleware and the client, with bounded labels:
 * - `cactus_events_received_total{type,outcome}`, `cactus_event_handling_duration_seconds{type}`,
 *   `cactus_handler_errors_total{type}` (`type` is a known event type or `unknown`);
 * - `cactus_api_requests_total{endpoint,status}` and `cactus_api_request_duration_seconds{endpoint}`,
 *   one per attempt, retries included (`endpoint` is a route template such as `/v2/events/{id}`);
 * - `cactus_idempotency_commit_failures_total{reason}`: successes the idempotency store could not
 *   record (`store_failed`, or `lease_expired_*` when the handler outlived its lease);
 * - `cactus_saga_transitions_total{saga,transition}`: what the sagas' instances did (`started`,
 *   `applied`, `completed`, `failed`, `compensated`, `timeout`), counted once committed;
 * - with `queue`: `cactus_queue_jobs{state}` and `cactus_dead_letters`, read at each scrape.
 *
 * Calling it again with the same registry reuses the metrics already there.
 *
 * @example
 * ```ts
 * import { cactusPrometheus } from "cactus-sdk/prometheus";
 * const metrics = cactusPrometheus();
 * const handler = new MyHandler(client, { instrumentation: metrics });
 * ```
 */
export function cactusPrometheus(options: CactusPrometheusOptions = {}): CactusPrometheusInstrumentation {
  const registry = options.registry ?? globalRegistry;
  const buckets = [...(options.buckets ?? DEFAULT_DURATION_BUCKETS)];
  const received = metric(registry, "cactus_events_received_total", Counter, () =>
    new Counter({ name: "cactus_events_received_total", help: "Cactus event deliveries by event type and outcome.", labelNames: ["type", "outcome"], registers: [registry] }),
  );
  const duration = metric(registry, "cactus_event_handling_duration_seconds", Histogram, () =>
    new Histogram({ name: "cactus_event_handling_duration_seconds", help: "Time from a delivery's arrival to its answer, by event type.", labelNames: ["type"], buckets, registers: [registry] }),
  );
  const handlerErrors = metric(registry, "cactus_handler_errors_total", Counter, () =>
    new Counter({ name: "cactus_handler_errors_total", help: "Handlers that threw, by event type.", labelNames: ["type"], registers: [registry] }),
  );
  const apiRequests = metric(registry, "cactus_api_requests_total", Counter, () =>
    new Counter({ name: "cactus_api_requests_total", help: "Cactus API request attempts (retries included) by endpoint template and status.", labelNames: ["endpoint", "status"], registers: [registry] }),
  );
  const apiDuration = metric(registry, "cactus_api_request_duration_seconds", Histogram, () =>
    new Histogram({ name: "cactus_api_request_duration_seconds", help: "Duration of each Cactus API request attempt, by endpoint template.", labelNames: ["endpoint"], buckets, registers: [registry] }),
  );
  const commitFailures = metric(registry, "cactus_idempotency_commit_failures_total", Counter, () =>
    new Counter({
      name: "cactus_idempotency_commit_failures_total",
      help: "Handler successes the idempotency store could not record (store down, or the lease expired first), by reason.",
      labelNames: ["reason"],
      registers: [registry],
    }),
  );
  const sagaTransitions = metric(registry, "cactus_saga_transitions_total", Counter, () =>
    new Counter({
      name: "cactus_saga_transitions_total",
      help: "Saga instances started, events applied, instances completed and failed, compensations run, deadlines fired; by saga and transition.",
      labelNames: ["saga", "transition"],
      registers: [registry],
    }),
  );
  if (options.queue !== undefined) registerQueueGauges(registry, options.queue);

  const deliveryTracker: DeliveryTracker = {
    end({ outcome, typeLabel, durationSeconds }) {
      received.inc({ type: typeLabel, outcome });
      duration.observe({ type: typeLabel }, durationSeconds);
      if (outcome === "handler_failed") handlerErrors.inc({ type: typeLabel });
    },
  };
  return {
    registry,
    // One shared tracker: it keeps no per-delivery state, so a delivery costs no allocation here.
    startDelivery: (_start: DeliveryStart) => deliveryTracker,
    commitFailed: ({ reason }) => commitFailures.inc({ reason }),
    sagaTransition: ({ saga, transition }) => sagaTransitions.inc({ saga, transition }),
    startApiCall(call: ApiCallStart): ApiCallTracker {
      return {
        end({ status, durationSeconds }) {
          apiRequests.inc({ endpoint: call.endpoint, status });
          apiDuration.observe({ endpoint: call.endpoint }, durationSeconds);
        },
      };
    },
  };
}

function registerQueueGauges(registry: Registry, queue: QueueMetricsSource): void {
  // The latest source wins: a second call with another queue replaces the gauges.
  for (const name of ["cactus_queue_jobs", "cactus_dead_letters"]) if (registry.getSingleMetric(name) !== undefined) registry.removeSingleMetric(name);
  new Gauge({
    name: "cactus_queue_jobs",
    help: "Jobs in the Cactus event queue, by state.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      // An unreachable queue must not break the whole scrape: the gauge then keeps its last values.
      const counts = await queue.getJobCounts().catch(() => undefined);
      if (counts === undefined) return;
      this.reset();
      const totals = new Map<string, number>();
      for (const [state, count] of Object.entries(counts)) {
        const label = QUEUE_STATES.has(state) ? state : "other";
        if (Number.isFinite(count)) totals.set(label, (totals.get(label) ?? 0) + count);
      }
      for (const [state, count] of totals) this.set({ state }, count);
    },
  });
  new Gauge({
    name: "cactus_dead_letters",
    help: "Events whose every attempt failed, waiting in the dead-letter list.",
    registers: [registry],
    async collect() {
      const count = await queue.deadLetterCount().catch(() => undefined);
      if (count !== undefined && Number.isFinite(count)) this.set(count);
    },
  });
}

// prom-client refuses a second metric of the same name: reuse the one a previous call registered.
function metric<T extends object>(registry: Registry, name: string, kind: abstract new (...args: never[]) => T, create: () => T): T {
  const existing = registry.getSingleMetric(name);
  return existing instanceof kind ? existing : create();
}
