import { ROOT_CONTEXT, trace, type Context, type SpanContext } from "@opentelemetry/api";

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The span context a W3C `traceparent` names (remote), or `undefined` when malformed or all zeros. */
export function spanContextOf(traceparent: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(traceparent);
  if (match === null || match[1] === "ff") return undefined;
  const spanContext: SpanContext = { traceId: match[2] ?? "", spanId: match[3] ?? "", traceFlags: parseInt(match[4] ?? "0", 16), isRemote: true };
  return trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** A context whose parent is the span a `traceparent` names; the root context when there is none. */
export function contextOf(traceparent: string | undefined): Context {
  const spanContext = traceparent === undefined ? undefined : spanContextOf(traceparent);
  return spanContext === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, spanContext);
}

/** The W3C `traceparent` of a span context, or `undefined` for an invalid one. */
export function traceparentOf(spanContext: SpanContext): string | undefined {
  if (!trace.isSpanContextValid(spanContext)) return undefined;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${(spanContext.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
}
