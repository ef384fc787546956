// Type tests of the observability options: compiled by `tsc --noEmit` in `npm test`, never run.
// Each `@ts-expect-error` line must fail to compile; if a rule breaks, tsc reports an unused directive.
import { CactusClient, CactusHandler, CactusRouter, createNodeMiddleware, getEventContext, type BaseThinEvent, type CactusEventContext, type OrderShippedPushedEvent, type CactusLogger } from "../../lib";
import { type CactusInstrumentation, type DeliveryOutcome } from "../../lib/observability";
import { cactusTracing } from "../../lib/otel";
import { cactusPrometheus } from "../../lib/prometheus";

declare const client: CactusClient;

class Handler extends CactusHandler {
  override async onOther(_event: BaseThinEvent): Promise<void> {}
}

// pino's and bunyan's method shapes (overloaded, extra arguments, child with options) fit as they are.
interface PinoLikeLogFn {
  <T extends object>(obj: T, msg?: string, ...args: unknown[]): void;
  (obj: unknown, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}
interface PinoLike {
  debug: PinoLikeLogFn;
  info: PinoLikeLogFn;
  warn: PinoLikeLogFn;
  error: PinoLikeLogFn;
  child(bindings: Record<string, unknown>, options?: object): PinoLike;
}
declare const pino: PinoLike;
new Handler(client, { logger: pino });
createNodeMiddleware(new Handler(client), { webhookSecret: "whsec_x", logger: pino });

// A logger missing a level does not.
// @ts-expect-error warn is missing
new Handler(client, { logger: { debug: () => undefined, info: () => undefined, error: () => undefined } });

// winston's methods take the message first: wrap them.
declare const winstonLike: { debug(message: string, meta?: object): void; info(message: string, meta?: object): void; warn(message: string, meta?: object): void; error(message: string, meta?: object): void };
// @ts-expect-error the fields object is not a string
new Handler(client, { logger: winstonLike });
const wrapped: CactusLogger = {
  debug: (fields, message) => winstonLike.debug(message, fields),
  info: (fields, message) => winstonLike.info(message, fields),
  warn: (fields, message) => winstonLike.warn(message, fields),
  error: (fields, message) => winstonLike.error(message, fields),
};
new Handler(client, { logger: wrapped });

// One instrumentation or a list; both optional entries fit the hook interface.
new Handler(client, { instrumentation: cactusPrometheus() });
new Handler(client, { instrumentation: [cactusPrometheus(), cactusTracing()] });
// @ts-expect-error startDelivery must return a tracker with end()
const broken: CactusInstrumentation = { startDelivery: () => ({ identify: () => undefined }) };
void broken;

// The event context is absent outside a handler: it must be checked.
// @ts-expect-error possibly undefined
getEventContext().logger.info({}, "x");
getEventContext()?.logger.info({ orderId: "ord_1" }, "reserved");

// Outcomes are a closed union: a switch over them is checked for exhaustiveness.
export function severity(outcome: DeliveryOutcome): number {
  switch (outcome) {
    case "handled":
    case "duplicate":
    case "stale":
    case "in_progress":
    case "queued":
      return 0;
    case "rejected_signature":
    case "invalid":
    case "rejected_request":
      return 1;
    case "handler_failed":
    case "timeout":
    case "error":
      return 2;
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}
// @ts-expect-error not an outcome
severity("ok");

// Every handler gets the event's context as its second argument, typed, with no option needed.
class ContextualHandler extends CactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent, context?: CactusEventContext): Promise<void> {
    // @ts-expect-error the CactusHandler methods declare it optional (you may call them yourself)
    context.logger.info({ orderId: event.relatedObject.id }, "shipped");
    context?.logger.info({ attempt: context.attempt }, "shipped");
  }
  override async onOther(_event: BaseThinEvent, context?: CactusEventContext): Promise<void> {
    // @ts-expect-error its fields are read-only
    if (context) context.eventId = "evt_other";
  }
}
void ContextualHandler;
new CactusRouter(client).on("movie.completed", (event, context) => {
  const ids: readonly [string, string] = [event.id, context.eventId];
  // @ts-expect-error the router's handlers get it always: no undefined to check, and a number is wrong
  const wrong: number = context.correlationId;
  return [ids, wrong];
});
