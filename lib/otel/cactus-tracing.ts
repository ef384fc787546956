import { context, SpanKind, SpanStatusCode, trace, type Context, type Link, type Span, type Tracer, type TracerProvider } from "@opentelemetry/api";
import type {
  ApiCallStart,
  ApiCallTracker,
  CactusInstrumentation,
  DeliveryEnd,
  DeliveryEvent,
  DeliveryPhase,
  DeliveryStart,
  DeliveryTracker,
} from "../observability/instrumentation";
import { contextOf, spanContextOf, traceparentOf } from "./traceparent";

/** Options of {@link cactusTracing}. */
export interface CactusTracingOptions {
  /** The tracer spans are made with. Default: `tracerProvider`'s, else the global provider's `cactus-sdk` tracer. */
  readonly tracer?: Tracer;
  /** Where to get the tracer from when `tracer` is not given. Default: the global provider (`trace`). */
  readonly tracerProvider?: TracerProvider;
}

const FAILED_OUTCOMES: ReadonlySet<string> = new Set(["handler_failed", "timeout", "error"]);

/**
 * OpenTelemetry spans for every delivery and API call; a no-op until an OpenTelemetry SDK is
 * registered (or a `tracer` is given):
 * - `cactus.receive <type>` per delivery: kind SERVER (webhook), CONSUMER (queue worker, linked to
 *   the receiving span) or INTERNAL (`handle(body)`), with `messaging.*` attributes; an incoming
 *   `traceparent` continues the sender's trace;
 * - children `cactus.verify`, `cactus.parse`, `cactus.handler`;
 * - `GET /v2/events/{id}` (kind CLIENT, `http.*` attributes) per API attempt made by the handler;
 * - a span event `cactus.saga.<transition>` (`cactus.saga.name`, `cactus.saga.object_id`) on the
 *   active span for each saga transition (inside the delivery's `cactus.handler` span).
 *
 * @example
 * ```ts
 * import { cactusTracing } from "cactus-sdk/otel";
 * const handler = new MyHandler(client, { instrumentation: cactusTracing() });
 * ```
 */
export function cactusTracing(options: CactusTracingOptions = {}): CactusInstrumentation {
  const tracer = options.tracer ?? (options.tracerProvider ?? trace).getTracer("cactus-sdk");
  return {
    startDelivery: (start) => new DeliverySpan(tracer, start),
    startApiCall: (call, delivery) => startApiSpan(tracer, call, delivery instanceof DeliverySpan ? delivery.activeContext() : context.active()),
    sagaTransition: ({ saga, transition, objectId, detail }) => {
      trace.getActiveSpan()?.addEvent(`cactus.saga.${transition}`, {
        "cactus.saga.name": saga.slice(0, 100),
        "cactus.saga.object_id": objectId.slice(0, 200),
        ...(detail === undefined ? {} : { "cactus.saga.detail": detail.slice(0, 200) }),
      });
    },
  };
}

class DeliverySpan implements DeliveryTracker {
  private readonly span: Span;
  private readonly context: Context;
  private active: Context;

  constructor(
    private readonly tracer: Tracer,
    start: DeliveryStart,
  ) {
    const parent = start.traceparent === undefined ? context.active() : contextOf(start.traceparent);
    const queued = start.transport === "queue";
    const links: Link[] = [];
    const linked = queued && start.traceparent !== undefined ? spanContextOf(start.traceparent) : undefined;
    if (linked !== undefined) links.push({ context: linked, attributes: { "cactus.link": "received" } });
    this.span = tracer.startSpan(
      "cactus.receive",
      {
        kind: start.transport === "http" ? SpanKind.SERVER : queued ? SpanKind.CONSUMER : SpanKind.INTERNAL,
        attributes: {
          "messaging.system": "cactus",
          "messaging.operation.type": queued ? "process" : "receive",
          "messaging.operation.name": queued ? "process" : "receive",
          ...(start.deliveryId === undefined ? {} : { "messaging.message.id": start.deliveryId }),
          ...(start.attempt === undefined ? {} : { "cactus.delivery.attempt": start.attempt }),
        },
        links,
      },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
    this.active = this.context;
  }

  /** The context API calls are children of: the running phase's span, else the delivery's. */
  activeContext(): Context {
    return this.active;
  }

  identify(event: DeliveryEvent): void {
    this.span.updateName(`cactus.receive ${event.typeLabel}`);
    this.span.setAttributes({
      "messaging.message.id": event.eventId,
      "messaging.destination.name": event.typeLabel,
      "cactus.event.id": event.eventId,
      "cactus.event.type": event.eventType.slice(0, 100),
    });
  }

  phase<T>(phase: DeliveryPhase, run: () => T): T {
    const span = this.tracer.startSpan(`cactus.${phase}`, { kind: SpanKind.INTERNAL }, this.context);
    const inner = trace.setSpan(this.context, span);
    const previous = this.active;
    this.active = inner;
    const done = (error?: unknown): void => {
      if (error !== undefined) fail(span, error);
      span.end();
      if (this.active === inner) this.active = previous;
    };
    let result: T;
    try {
      result = context.with(inner, run);
    } catch (error) {
      done(error);
      throw error;
    }
    if (!isPromise(result)) {
      done();
      return result;
    }
    // The caller gets its own promise back; the span ends beside it (this side chain handles the
    // rejection it observes, the caller still sees it on `result`).
    result.then(
      () => done(),
      (error: unknown) => done(error ?? new Error("rejected")),
    );
    return result;
  }

  traceparent(): string | undefined {
    return traceparentOf(this.span.spanContext());
  }

  end(end: DeliveryEnd): void {
    this.span.setAttribute("cactus.outcome", end.outcome);
    if (end.outcome !== "handled" && end.outcome !== "duplicate" && end.outcome !== "stale" && end.outcome !== "queued") this.span.setAttribute("error.type", end.outcome);
    if (FAILED_OUTCOMES.has(end.outcome)) fail(this.span, end.error);
    this.span.end();
  }
}

function startApiSpan(tracer: Tracer, call: ApiCallStart, parent: Context): ApiCallTracker {
  const span = tracer.startSpan(
    `${call.method} ${call.endpoint}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "http.request.method": call.method,
        "url.template": call.endpoint,
        ...(call.attempt > 1 ? { "http.request.resend_count": call.attempt - 1 } : {}),
      },
    },
    parent,
  );
  return {
    end({ status, error }) {
      const code = Number(status);
      if (Number.isInteger(code)) span.setAttribute("http.response.status_code", code);
      if (!Number.isInteger(code) || code >= 400) {
        span.setAttribute("error.type", status);
        fail(span, error);
      }
      span.end();
    },
  };
}

function fail(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, ...(error instanceof Error ? { message: error.message } : {}) });
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "then") === "function";
}
