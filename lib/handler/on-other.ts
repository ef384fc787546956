import type { PushedThinEvent } from "../events/catalog";
import type { RouterHandlerFn } from "./event-pattern";
import { handlerDecorator } from "./handler-decorator";
import type { HandlerMethodContext } from "./on";

/**
 * The method decorator returned by {@link OnOther}: the method must accept any {@link PushedThinEvent}.
 * Works with standard and legacy (`experimentalDecorators`) decorators alike.
 *
 * @example
 * ```ts
 * const catchAll: OnOtherDecorator = OnOther();
 * ```
 */
export interface OnOtherDecorator {
  /** Standard decorators (TypeScript's default, esbuild, tsx). */
  <M extends RouterHandlerFn<PushedThinEvent>>(method: M, context: HandlerMethodContext): void;
  /** Legacy decorators (`experimentalDecorators: true`). */
  <M extends RouterHandlerFn<PushedThinEvent>>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<M>): void;
}

/**
 * Marks a method as a catch-all, like `router.onOther(fn)`: it receives every event that no
 * type or prefix subscription matched, including types this SDK does not know. Only records
 * metadata; `router.register(instance)` reads it.
 *
 * @example
 * ```ts
 * class Fallback {
 *   @OnOther()
 *   async keep(event: PushedThinEvent): Promise<void> { await store.save(event.id, event.type); }
 * }
 * router.register(new Fallback());
 * ```
 */
export function OnOther(): OnOtherDecorator {
  return handlerDecorator(null, "@OnOther()");
}
