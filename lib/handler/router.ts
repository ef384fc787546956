import type { CactusEventContext } from "../observability/event-context";
import { CactusConfigError, CactusHandlersError, CactusUnhandledEventError, type HandlerFailure } from "../errors";
import type { PushedThinEvent } from "../events/catalog";
import {
  assertEventPattern,
  patternMatches,
  type CactusEventPattern,
  type EventForPattern,
  type RouterHandlerFn,
} from "./event-pattern";
import { handlerMethodsOf } from "./handler-metadata";
import { CactusEventReceiver, DISPATCH } from "../pipeline/receiver";
import type { DispatchResult, HandleResult } from "../delivery/types";
import { installShortcuts, type CactusRouterShortcuts } from "./router-shortcuts";

/**
 * What `router.handle(body)` resolves to: the parsed event and every handler that ran (`handlers`,
 * e.g. `["movie.completed (rate)", "*"]`; `handledBy` is the same list joined with `", "`).
 * The same shape as every receiver's {@link HandleResult}.
 */
export type RouterHandleResult = HandleResult;

interface Subscription {
  /** `null` for `onOther`. */
  readonly pattern: CactusEventPattern | null;
  readonly label: string;
  readonly handler: RouterHandlerFn<PushedThinEvent>;
}

// The shortcuts (`router.onMovieCompleted(fn)`) are generated from the catalog: this merged
// interface declares them and installShortcuts (below the class) defines them; a class body
// cannot declare members from a mapped type.
export interface CactusRouter extends CactusRouterShortcuts<CactusRouter> {}

/**
 * The registration style: no subclass, any number of handlers per event type.
 *
 * - `on("movie.completed", fn)`: `fn`'s event type follows from the string (a misspelled type or
 *   a wrong parameter type does not compile). `on("order.*", fn)`: every known `order.` type;
 *   `on("*", fn)`: every event, known or not. `onMovieCompleted(fn)` etc. are the same as `on`.
 * - `onOther(fn)`: events that no type or prefix subscription matched, including types this SDK
 *   does not know. A `"*"` subscription does not count as a match: it is a tap (audit, metrics)
 *   that always runs, so `onOther` still runs next to it.
 * - `register(instance)`: subscribes the instance's `@On` / `@OnOther` methods, bound to it.
 * - `new CactusRouter(client, options?)`: the same constructor as `CactusHandler`: a client (or its
 *   options) and, for `handleWebhook(rawBody, headers)`, `{ webhookSecret }`.
 * - `handle(body)`: parses with `parseEventV2` (a parse or validation error rejects and nothing
 *   runs), then starts every matching handler in registration order and waits for all of them.
 *   If any failed, it rejects with one {@link CactusHandlersError} holding every failure, after
 *   all of them finished, so that Cactus redelivers the event. With no match, no `onOther` and no
 *   `"*"`, it rejects with {@link CactusUnhandledEventError} (redelivered, not lost): register
 *   `onOther`, as `CactusHandler` makes you implement it.
 *
 * @example
 * ```ts
 * const router = new CactusRouter(client)
 *   .on("movie.completed", async (event) => {
 *     const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
 *     console.log(`${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
 *   })
 *   .on("order.*", (event) => console.log(`order event ${event.type}`))
 *   .onOther((event) => console.log(`ignored ${event.type}`));
 * await router.handle(body);
 * ```
 */
export class CactusRouter extends CactusEventReceiver {
  readonly #subscriptions: Subscription[] = [];
  // Which subscriptions run for a known type (or "" for every unknown type): built on the first
  // event of that type, dropped when a subscription is added. Dispatch is then one Map lookup.
  readonly #plans = new Map<string, readonly Subscription[]>();

  /**
   * Subscribes `handler` to `pattern`: a known type, a domain prefix (`"order.*"`) or `"*"`.
   * Returns the router, for chaining.
   *
   * @example
   * ```ts
   * router.on("order.lost", async (event) => console.log((await event.pull()).data.lastSeenCity));
   * ```
   */
  on<P extends CactusEventPattern>(pattern: P, handler: RouterHandlerFn<EventForPattern<P>>): this;
  on(pattern: CactusEventPattern, handler: RouterHandlerFn<PushedThinEvent>): this {
    assertEventPattern(pattern, "router.on");
    return this.#subscribe(pattern, handler, labelOf(pattern, handler));
  }

  /**
   * Subscribes `handler` to every event that no type or prefix subscription matched, including
   * types this SDK does not know (as `UnknownPushedEvent`).
   *
   * @example
   * ```ts
   * router.onOther((event) => console.log(`not handled: ${event.type} ${event.id}`));
   * ```
   */
  onOther(handler: RouterHandlerFn<PushedThinEvent>): this {
    return this.#subscribe(null, handler, labelOf("onOther", handler));
  }

  /**
   * Subscribes every `@On` / `@OnOther` method of `instance` (and of its base classes), bound to
   * `instance`, so they can use its injected dependencies. Reads the decorators' metadata once,
   * here. Throws {@link CactusConfigError}, subscribing nothing, if `instance` is a class rather
   * than an instance or has no decorated method.
   *
   * @example
   * ```ts
   * router.register(new MovieHandlers(db, logger));
   * ```
   */
  register(instance: object): this {
    if (typeof instance === "function") {
      throw new CactusConfigError(`router.register(${instance.name}): pass an instance (new ${instance.name}(...)), not the class`);
    }
    if (typeof instance !== "object" || instance === null) {
      throw new CactusConfigError(`router.register() needs an object with @On methods, got ${String(instance)}`);
    }
    const ctor: unknown = Reflect.get(instance, "constructor"); // absent on Object.create(null)
    const className = typeof ctor === "function" && ctor.name !== "" ? ctor.name : "object";
    const entries = handlerMethodsOf(instance);
    if (entries.length === 0) {
      throw new CactusConfigError(`router.register(${className}): no method is decorated with @On(...) or @OnOther()`);
    }
    // Resolve every method before subscribing any, so a bad class leaves the router unchanged.
    const resolved = entries.map((entry) => {
      const method: unknown = Reflect.get(instance, entry.method);
      if (typeof method !== "function") {
        throw new CactusConfigError(`router.register(${className}): ${String(entry.method)} is decorated but is not a method`);
      }
      return { entry, method };
    });
    for (const { entry, method } of resolved) {
      const label = `${entry.pattern ?? "onOther"} (${className}.${String(entry.method)})`;
      this.#subscribe(entry.pattern, (event: PushedThinEvent, context: CactusEventContext): unknown => Reflect.apply(method, instance, [event, context]), label);
    }
    return this;
  }

  /** Runs every subscription that matches `event` (see the class comment). */
  override async [DISPATCH](event: PushedThinEvent, context: CactusEventContext): Promise<DispatchResult> {
    const plan = this.#planFor(event);
    // Nobody decided about this event: reject (Cactus redelivers) rather than answer 2xx and lose it.
    if (plan.length === 0) throw new CactusUnhandledEventError(event.id, event.type);
    const outcomes = await Promise.all(plan.map((subscription) => run(subscription, event, context)));
    const failures = outcomes.filter((outcome): outcome is HandlerFailure => outcome !== undefined);
    if (failures.length > 0) throw new CactusHandlersError(event.id, event.type, failures, plan.length);
    return { handlers: plan.map((subscription) => subscription.label) };
  }

  #subscribe(pattern: CactusEventPattern | null, handler: RouterHandlerFn<PushedThinEvent>, label: string): this {
    // The compiler checks TypeScript callers; this is for JavaScript ones, at registration time.
    if (typeof handler !== "function") {
      throw new CactusConfigError(`${label}: the handler must be a function, got ${typeof handler}`);
    }
    this.#subscriptions.push({ pattern, label, handler });
    this.#plans.clear();
    return this;
  }

  #planFor(event: PushedThinEvent): readonly Subscription[] {
    const key = event.known ? event.type : "";
    let plan = this.#plans.get(key);
    if (plan === undefined) {
      const specific = this.#subscriptions.some((s) => s.pattern !== null && s.pattern !== "*" && patternMatches(s.pattern, event));
      plan = this.#subscriptions.filter((s) => (s.pattern === null ? !specific : patternMatches(s.pattern, event)));
      this.#plans.set(key, plan);
    }
    return plan;
  }
}

installShortcuts(CactusRouter.prototype);

function labelOf(pattern: string, handler: RouterHandlerFn<never>): string {
  const name = typeof handler === "function" ? handler.name : "";
  return name ? `${pattern} (${name})` : pattern;
}

// Catches synchronous throws too: a handler that throws before its first await must not stop the
// handlers after it from starting.
async function run(subscription: Subscription, event: PushedThinEvent, context: CactusEventContext): Promise<HandlerFailure | undefined> {
  try {
    await subscription.handler(event, context);
    return undefined;
  } catch (error) {
    return { handler: subscription.label, error };
  }
}
