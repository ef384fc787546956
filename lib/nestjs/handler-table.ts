import type { CactusClient } from "../client/cactus-client";
import { CactusConfigError } from "../errors";
import { catalogRow, cactusEventTypes, type CactusEventType, type PushedThinEvent } from "../events/catalog";
import type { CactusEventContext } from "../observability/event-context";
import { CactusHandler } from "../handler/cactus-handler";
import type { CactusEventPattern } from "../handler/event-pattern";
import { handlerMethodsOf } from "../handler/handler-metadata";
import { CactusRouter } from "../handler/router";
import { DISPATCH } from "../pipeline/receiver";
import { dispatchedResult } from "../delivery/started-dispatch";
import type { CactusReceiverOptions } from "../pipeline/receiver-options";

/** A provider instance the module found: a `CactusHandler` subclass or a `@CactusWebhookHandler()` class. */
export interface DiscoveredHandler {
  /** The provider's instance (a singleton). */
  readonly instance: object;
}

/** One event type (or `*`, or the catch-all) and the method that takes it. */
export interface CactusHandlerRoute {
  /** A known type such as `order.shipped`, `*` (every event), or `onOther` (what nothing else takes). */
  readonly key: CactusEventType | "*" | "onOther";
  /** `Class.method`, e.g. `OrdersHandler.onOrderShipped`. */
  readonly handler: string;
}

// The subscriptions of one provider, before they are checked and added to the router.
interface Planned {
  readonly routes: readonly CactusHandlerRoute[];
  readonly subscribe: (router: CactusRouter) => void;
}

/**
 * Builds the one router the module's endpoint (or worker) delivers to, from every handler
 * provider found. Each event type, `*` and the catch-all take one method across the whole app: a
 * second one is a {@link CactusConfigError} at start-up naming both, rather than an event that
 * runs twice or in the wrong place.
 */
export function buildHandlerRouter(
  found: readonly DiscoveredHandler[],
  client: CactusClient,
  options: CactusReceiverOptions,
): { readonly router: CactusRouter; readonly routes: readonly CactusHandlerRoute[] } {
  if (found.length === 0) {
    throw new CactusConfigError(
      "CactusModule found no webhook handler: add a provider that extends CactusHandler (with @Injectable()), " +
        "or a @CactusWebhookHandler() provider with @On(...) methods, to the providers of a module of the app",
    );
  }
  const planned = found.map(({ instance }) => (instance instanceof CactusHandler ? planSubclass(instance) : planDecorated(instance)));
  const taken = new Map<string, string>();
  const routes: CactusHandlerRoute[] = [];
  for (const route of planned.flatMap((plan) => plan.routes)) {
    const first = taken.get(route.key);
    if (first !== undefined) throw conflict(route.key, first, route.handler);
    taken.set(route.key, route.handler);
    routes.push(route);
  }
  const router = new CactusRouter(client, options);
  for (const plan of planned) plan.subscribe(router);
  return { router, routes };
}

function conflict(key: string, first: string, second: string): CactusConfigError {
  const what = key === "onOther" ? "The events no other handler takes (onOther / @OnOther)" : key === "*" ? 'Every event ("*")' : `${key} events`;
  return new CactusConfigError(
    `${what} have two handlers: ${first} and ${second}. Each event type is handled by one method in the app; ` +
      "remove one, or move both into one provider.",
  );
}

// A CactusHandler subclass: the types whose methods it overrides, and its onOther (abstract, so
// always there). Its own dispatch runs them, so it behaves exactly as `handler.handle(body)` does.
function planSubclass(handler: CactusHandler): Planned {
  const className = handler.constructor.name;
  const types = cactusEventTypes.filter((type) => {
    const method = catalogRow(type)?.handlerMethod;
    return method !== undefined && Reflect.get(handler, method) !== Reflect.get(CactusHandler.prototype, method);
  });
  const routes: CactusHandlerRoute[] = [
    ...types.map((type): CactusHandlerRoute => ({ key: type, handler: `${className}.${catalogRow(type)?.handlerMethod ?? type}` })),
    { key: "onOther", handler: `${className}.onOther` },
  ];
  return {
    routes,
    subscribe(router) {
      for (const route of routes) {
        const run = named(route.handler, (event: PushedThinEvent, context: CactusEventContext) => dispatchedResult(handler[DISPATCH](event, context)));
        if (route.key === "onOther") router.onOther(run);
        else router.on(route.key, run);
      }
    },
  };
}

// A @CactusWebhookHandler() provider: its @On / @OnOther methods, as router.register subscribes them.
function planDecorated(instance: object): Planned {
  const className = instance.constructor.name;
  const entries = handlerMethodsOf(instance);
  if (entries.length === 0) {
    throw new CactusConfigError(`${className} is marked @CactusWebhookHandler() but no method is decorated with @On(...) or @OnOther()`);
  }
  const routes = entries.flatMap((entry) => keysOf(entry.pattern).map((key): CactusHandlerRoute => ({ key, handler: `${className}.${String(entry.method)}` })));
  return { routes, subscribe: (router) => void router.register(instance) };
}

function keysOf(pattern: CactusEventPattern | null): CactusHandlerRoute["key"][] {
  if (pattern === null) return ["onOther"];
  if (pattern === "*") return ["*"];
  if (pattern.endsWith(".*")) return cactusEventTypes.filter((type) => type.startsWith(pattern.slice(0, -1)));
  return cactusEventTypes.filter((type) => type === pattern);
}

// The router labels a subscription with its function's name: `order.shipped (OrdersHandler.onOrderShipped)`.
function named<F extends (...args: never[]) => unknown>(name: string, run: F): F {
  Object.defineProperty(run, "name", { value: name });
  return run;
}
