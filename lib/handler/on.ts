import { assertEventPattern, type CactusEventPattern, type EventForPattern, type RouterHandlerFn } from "./event-pattern";
import { handlerDecorator } from "./handler-decorator";

/**
 * What a standard (TC39) decorator receives about a decorated method (TypeScript fills it in):
 * the part `@On` / `@OnOther` rely on. A static or private (`#name`) method, or a field, does
 * not match it, so decorating one does not compile.
 *
 * @example
 * ```ts
 * declare const context: HandlerMethodContext; // context.kind === "method"
 * ```
 */
export interface HandlerMethodContext {
  /** Always `"method"`. */
  readonly kind: "method";
  /** The method's name. */
  readonly name: string | symbol;
  /** `false`: `router.register(instance)` subscribes instance methods only. */
  readonly static: false;
  /** `false`: `router.register(instance)` cannot call a `#private` method. */
  readonly private: false;
  /** Runs `initializer` when an instance is constructed, with the instance as `this`. */
  addInitializer(initializer: (this: unknown) => void): void;
}

/**
 * The method decorator returned by {@link On}. Typed so that the decorated method must accept
 * the pattern's event: a method whose parameter is another event type does not compile. It works
 * with TypeScript's default (standard) decorators and with `experimentalDecorators` alike; no
 * compiler flag is needed.
 *
 * @example
 * ```ts
 * const onLost: OnDecorator<"order.lost"> = On("order.lost");
 * ```
 */
export interface OnDecorator<P extends CactusEventPattern> {
  /** Standard decorators (TypeScript's default, esbuild, tsx). */
  <M extends RouterHandlerFn<EventForPattern<P>>>(method: M, context: HandlerMethodContext): void;
  /** Legacy decorators (`experimentalDecorators: true`). */
  <M extends RouterHandlerFn<EventForPattern<P>>>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<M>): void;
}

/**
 * Marks a method as the handler of `pattern` (a known type, `"order.*"` or `"*"`, see
 * {@link CactusEventPattern}). The decorator only records which method handles what;
 * `router.register(instance)` reads it once and subscribes the instance's bound methods.
 * A method may carry several `@On`s; a class may mix `@On` and `@OnOther`.
 *
 * Works with TypeScript's default decorators (what `tsc --init`, esbuild and tsx use) and with
 * `experimentalDecorators`; neither `experimentalDecorators` nor `emitDecoratorMetadata` is needed.
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
  return handlerDecorator(pattern, `@On(${JSON.stringify(pattern)})`);
}
