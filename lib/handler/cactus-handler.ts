import type { BaseThinEvent } from "../events/base";
import { catalogRow, type CactusEventType, type HandlerMethodOf, type PushedEventOf, type PushedThinEvent } from "../events/catalog";
import { DISPATCH } from "../pipeline/receiver";
import type { DispatchResult } from "../delivery/types";
import { StartedDispatch } from "../delivery/started-dispatch";
import { receiverSettings } from "../pipeline/receiver-options";
import { warnUnmatchedHandlerMethodsOnce } from "../observability/handler-method-check";
import type { CactusEventContext } from "../observability/event-context";
import { CactusHandlerDefaultMethods } from "./generated/handler-methods";
import { isRecord } from "../platform/record";

/**
 * One method per catalog type, named and typed by the catalog. `CactusHandler` and
 * `ExhaustiveCactusHandler` implement it: their methods are generated from the catalog
 * (`npm run generate`), and a stale generated file is a compile error here.
 */
export type CactusHandlerMethods = {
  [T in CactusEventType as HandlerMethodOf<T>]: (event: PushedEventOf<T>, context: CactusEventContext) => Promise<void>;
};

/**
 * The inheritance style: subclass, override the methods for the events you handle, and call
 * `handle(body)`. Exactly one method runs per event; a known type you did not override, and every
 * type this SDK does not know, goes to `onOther`.
 *
 * Dispatch reads the catalog: the event type's row names the method, and the default methods are
 * generated from the catalog, so a new event type needs no edit here. A method named like a handler that matches no event type
 * (a misspelled `onOrderShiped` without `override`) is reported once per class, at the first
 * event, through the `logger` option's `warn` (default `console.warn`).
 *
 * @example
 * ```ts
 * class MyHandler extends CactusHandler {
 *   override async onMovieCompleted(event: MovieCompletedPushedEvent) {
 *     const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
 *     console.log(`${full.data.user} rated ${movie.title} ${full.data.rating}/5`);
 *   }
 *   override async onOther(event: BaseThinEvent) {
 *     console.log(`ignored ${event.type}`);
 *   }
 * }
 * await new MyHandler(client).handle(body);
 * ```
 */
export abstract class CactusHandler extends CactusHandlerDefaultMethods implements CactusHandlerMethods {
  /**
   * Calls the one method the catalog names for `event.type` (or `onOther`), with the event's
   * context; the pipeline awaits what it returns (no promise of this step's own).
   */
  override [DISPATCH](event: PushedThinEvent, context: CactusEventContext): StartedDispatch {
    const route = routeFor(this, event);
    const name = route.method;
    const self: unknown = this;
    const method = name === undefined || !isRecord(self) ? undefined : self[name];
    if (name === undefined || typeof method !== "function") return new StartedDispatch(ONLY_ON_OTHER, this.onOther(event, context));
    // A method this subclass did not override forwards to onOther: name that, for logs and metrics.
    const defaults: unknown = CactusHandler.prototype;
    return new StartedDispatch(isRecord(defaults) && method === defaults[name] ? ONLY_ON_OTHER : route.ran, method.call(this, event, context));
  }
}

/** Where one event type goes in one handler: the method the catalog names for it, and its result. */
interface Route {
  readonly receiver: object;
  readonly type: string;
  readonly known: boolean;
  readonly method: string | undefined;
  readonly ran: DispatchResult;
}

// The route of the last event dispatched (most streams are runs of one type to one handler), so
// the next one of the same type to the same handler skips the catalog lookup and the check for
// misspelled methods. The method itself is still read from the handler per event, so a method
// replaced at run time is the one called.
let lastRoute: Route | undefined;

function routeFor(receiver: CactusHandler, event: PushedThinEvent): Route {
  const last = lastRoute;
  if (last !== undefined && last.receiver === receiver && last.type === event.type && last.known === event.known) return last;
  // The first event of a class reports its misspelled handler methods, once.
  const observability = receiverSettings(receiver)?.observability;
  warnUnmatchedHandlerMethodsOnce(receiver, CactusHandler.prototype, observability?.customLogger === true ? observability.logger : undefined);
  const method = event.known ? catalogRow(event.type)?.handlerMethod : undefined;
  const route: Route = { receiver, type: event.type, known: event.known, method, ran: method === undefined ? ONLY_ON_OTHER : ranOnly(method) };
  lastRoute = route;
  return route;
}

// One frozen result per method name, shared by every event it handles (results are read-only).
const RESULTS = new Map<string, DispatchResult>();

function ranOnly(method: string): DispatchResult {
  let result = RESULTS.get(method);
  if (result === undefined) {
    result = Object.freeze({ handlers: Object.freeze([method]) });
    RESULTS.set(method, result);
  }
  return result;
}

const ONLY_ON_OTHER = ranOnly("onOther");
