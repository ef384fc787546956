import { cactusEventTypes, eventCatalog, type CactusEventType, type HandlerMethodOf, type KnownPushedEvent, type PushedEventOf } from "../events/catalog";
import type { RouterHandlerFn } from "./event-pattern";

/**
 * One registration method per event type (`router.onMovieCompleted(fn)`, the `handler.on_some_event(fn)` shape), generated from the catalog: one registration
 * method per known type, named by its `handlerMethod`, whose callback is typed by the type.
 * `router.onMovieCompleted(fn)` is `router.on("movie.completed", fn)`. A new catalog row adds its
 * method here and on every router with no other edit.
 *
 * TypeScript has no decorators on free functions, so a `@handler.on_some_event` decorator above a
 * `def` cannot be written as such; this is the call form of it, and `@On` is the decorator form
 * for methods.
 *
 * @example
 * ```ts
 * router.onMovieCompleted(async (event) => {
 *   const { data } = await event.pull(); // MovieCompletedEvent
 *   console.log(data.rating);
 * });
 * ```
 */
export type CactusRouterShortcuts<R> = {
  [T in CactusEventType as HandlerMethodOf<T>]: (handler: RouterHandlerFn<PushedEventOf<T>>) => R;
};

// What installShortcuts needs of a router: its typed `on`.
interface ShortcutHost {
  /** Subscribes `handler` to a known type. */
  on(type: CactusEventType, handler: RouterHandlerFn<KnownPushedEvent>): unknown;
}

/**
 * Defines `onOrderShipped`, ..., one per catalog row, on `prototype`, each calling `on(type, fn)`.
 * Non-enumerable, like methods written in a class body.
 *
 * @example
 * ```ts
 * installShortcuts(CactusRouter.prototype); // done once, in router.ts
 * ```
 */
export function installShortcuts(prototype: ShortcutHost): void {
  for (const type of cactusEventTypes) {
    Object.defineProperty(prototype, eventCatalog[type].handlerMethod, {
      configurable: true,
      enumerable: false,
      writable: true,
      value: function (this: ShortcutHost, handler: RouterHandlerFn<KnownPushedEvent>): unknown {
        return this.on(type, handler);
      },
    });
  }
}
