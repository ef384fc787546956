import type { BaseThinEvent } from "../events/base";
import { CactusConfigError } from "../errors";
import { eventCatalog, knownEventTypes, type HandlerMethodName } from "../events/catalog";
import type { MovieCompletedPushedEvent, MovieStartedPushedEvent } from "../events/movie";
import type { OrderDeliveryAttemptedPushedEvent, OrderLostPushedEvent, OrderShippedPushedEvent } from "../events/order";
import { CactusHandler, type CactusHandlerMethods } from "./cactus-handler";
import type { CactusEventContext } from "../observability/event-context";

// CactusHandler as seen without its default event methods. The runtime class is CactusHandler
// itself (same handle(), same dispatch); only the type forgets the defaults, so that the abstract
// declarations below are the only ones a subclass sees.
const HandlerWithoutDefaults: abstract new (
  ...args: ConstructorParameters<typeof CactusHandler>
) => Omit<CactusHandler, HandlerMethodName | "onOther"> = CactusHandler;

/**
 * The opt-in exhaustive variant of {@link CactusHandler}: every event method is abstract, so a
 * subclass must implement all of them (and `onOther`) to compile.
 *
 * Why it stays exhaustive when Cactus adds a type: this class `implements CactusHandlerMethods`,
 * which is generated from the catalog. A new catalog row (`movie.paused`) makes this file fail to
 * compile until `abstract onMoviePaused` is declared here, and from then on every subclass that
 * does not implement `onMoviePaused` fails to compile (`Non-abstract class ... does not implement
 * inherited abstract member 'onMoviePaused'`). Plain `CactusHandler` subclasses keep compiling and
 * get the new type in `onOther`: choose per handler.
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
export abstract class ExhaustiveCactusHandler extends HandlerWithoutDefaults implements CactusHandlerMethods {
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


  /** `order.shipped`: an order left the warehouse. */
  abstract onOrderShipped(event: OrderShippedPushedEvent, context?: CactusEventContext): Promise<void>;
  /** `order.delivery_attempted`: a carrier tried to deliver an order. */
  abstract onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent, context?: CactusEventContext): Promise<void>;
  /** `order.lost`: a parcel is lost (no related object). */
  abstract onOrderLost(event: OrderLostPushedEvent, context?: CactusEventContext): Promise<void>;
  /** `movie.started`: a user started a movie. */
  abstract onMovieStarted(event: MovieStartedPushedEvent, context?: CactusEventContext): Promise<void>;
  /** `movie.completed`: a user finished a movie. */
  abstract onMovieCompleted(event: MovieCompletedPushedEvent, context?: CactusEventContext): Promise<void>;
  /** Types this SDK does not know (Cactus added them after this release). */
  abstract onOther(event: BaseThinEvent, context?: CactusEventContext): Promise<void>;
}
