import type { PushedThinEvent } from "../events/catalog";
import { ON_OTHER_METADATA } from "./constants";
import type { RouterHandlerFn } from "./event-pattern";
import { recordHandlerMethod } from "./handler-metadata";

/**
 * The method decorator returned by {@link OnOther}: the method must accept any {@link PushedThinEvent}.
 *
 * @example
 * ```ts
 * const catchAll: OnOtherDecorator = OnOther();
 * ```
 */
export type OnOtherDecorator = <M extends RouterHandlerFn<PushedThinEvent>>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

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
  return (target, propertyKey) => {
    recordHandlerMethod(target, ON_OTHER_METADATA, { pattern: null, method: propertyKey }, "@OnOther()");
  };
}
