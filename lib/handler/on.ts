import { ON_EVENT_METADATA } from "./constants";
import { assertEventPattern, type CactusEventPattern, type EventForPattern, type RouterHandlerFn } from "./event-pattern";
import { recordHandlerMethod } from "./handler-metadata";

/**
 * The method decorator returned by {@link On}. Typed so that the decorated method must accept
 * the pattern's event: a method whose parameter is another event type does not compile.
 *
 * @example
 * ```ts
 * const onLost: OnDecorator<"order.lost"> = On("order.lost");
 * ```
 */
export type OnDecorator<P extends CactusEventPattern> = <M extends RouterHandlerFn<EventForPattern<P>>>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

/**
 * Marks a method as the handler of `pattern` (a known type, `"order.*"` or `"*"`, see
 * {@link CactusEventPattern}). The decorator only records metadata on the class;
 * `router.register(instance)` reads it once and subscribes the instance's bound methods.
 * A method may carry several `@On`s; a class may mix `@On` and `@OnOther`.
 *
 * @example
 * ```ts
 * class MovieHandlers {
 *   constructor(private readonly log: (line: string) => void) {}
 *
 *   @On("movie.completed")
 *   async rated(event: MovieCompletedPushedEvent): Promise<void> {
 *     const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
 *     this.log(`${full.data.user} rated "${movie.title}" ${full.data.rating}/5`);
 *   }
 * }
 * new CactusRouter(client).register(new MovieHandlers(console.log));
 * ```
 */
export function On<P extends CactusEventPattern>(pattern: P): OnDecorator<P> {
  assertEventPattern(pattern, "@On");
  return (target, propertyKey) => {
    recordHandlerMethod(target, ON_EVENT_METADATA, { pattern, method: propertyKey }, `@On(${JSON.stringify(pattern)})`);
  };
}
