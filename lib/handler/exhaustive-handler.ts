import { CactusConfigError } from "../errors";
import { eventCatalog, knownEventTypes } from "../events/catalog";
import { CactusHandler, type CactusHandlerMethods } from "./cactus-handler";
import { ExhaustiveHandlerMethods } from "./generated/exhaustive-methods";

/**
 * The opt-in exhaustive variant of {@link CactusHandler}: every event method is abstract, so a
 * subclass must implement all of them (and `onOther`) to compile.
 *
 * Why it stays exhaustive when Cactus adds a type: its abstract methods are generated from the
 * catalog (`npm run generate`), and it `implements CactusHandlerMethods`, the catalog's method
 * map, so a stale generated file does not compile. A new catalog row (say `movie.paused`) adds
 * `abstract onMoviePaused`, and every subclass that does not implement it fails to compile
 * (`Non-abstract class ... does not implement inherited abstract member 'onMoviePaused'`). Plain
 * `CactusHandler` subclasses keep compiling and get the new type in `onOther`: choose per handler.
 *
 * `onOther` still receives the types this SDK does not know, so it stays.
 *
 * @example
 * ```ts
 * class Everything extends ExhaustiveCactusHandler {
 *   override async onOrderShipped(event: OrderShippedPushedEvent) { ... }
 *   override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent) { ... }
 *   override async onOrderLost(event: OrderLostPushedEvent) { ... }
 *   override async onMovieStarted(event: MovieStartedPushedEvent) { ... }
 *   override async onMovieCompleted(event: MovieCompletedPushedEvent) { ... }
 *   override async onOther(event: BaseThinEvent) { ... }
 * }
 * await new Everything(client).handle(body);
 * ```
 */
export abstract class ExhaustiveCactusHandler extends ExhaustiveHandlerMethods implements CactusHandlerMethods {
  /**
   * Same arguments as {@link CactusHandler}. Also checks, for JavaScript subclasses and for event
   * types added to the catalog at run time, that every catalog type has its own method: a missing
   * one throws {@link CactusConfigError} naming it, here rather than at the first event.
   */
  constructor(...args: ConstructorParameters<typeof CactusHandler>) {
    super(...args);
    const missing = knownEventTypes()
      .map((type) => eventCatalog[type].handlerMethod)
      .filter((name) => Reflect.get(this, name) === Reflect.get(CactusHandler.prototype, name) || typeof Reflect.get(this, name) !== "function");
    if (missing.length > 0) {
      throw new CactusConfigError(`${new.target.name} extends ExhaustiveCactusHandler but does not implement ${missing.join(", ")}`);
    }
  }
}
