// Generated from lib/events/catalog.ts by `npm run generate`: do not edit by hand.
import type { BaseThinEvent } from "../../events/base";
import type { HandlerMethodName, PushedEventOf } from "../../events/catalog";
import type { CactusEventContext } from "../../observability/event-context";
import { CactusHandler } from "../cactus-handler";

// CactusHandler as seen without its default event methods. The runtime class is CactusHandler
// itself (same handle(), same dispatch); only the type forgets the defaults, so that the abstract
// declarations below are the only ones a subclass sees.
const HandlerWithoutDefaults: abstract new (
  ...args: ConstructorParameters<typeof CactusHandler>
) => Omit<CactusHandler, HandlerMethodName | "onOther"> = CactusHandler;

/**
 * Every catalog type's method, abstract: the base of `ExhaustiveCactusHandler`. Use
 * `ExhaustiveCactusHandler` itself; this class only holds the methods derived from the catalog.
 */
export abstract class ExhaustiveHandlerMethods extends HandlerWithoutDefaults {
  /** `order.shipped`: An order left the warehouse. */
  abstract onOrderShipped(event: PushedEventOf<"order.shipped">, context?: CactusEventContext): Promise<void>;
  /** `order.delivery_attempted`: A carrier tried to deliver an order. */
  abstract onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">, context?: CactusEventContext): Promise<void>;
  /** `order.lost`: A parcel is lost. No related object. */
  abstract onOrderLost(event: PushedEventOf<"order.lost">, context?: CactusEventContext): Promise<void>;
  /** `movie.started`: A user started a movie. */
  abstract onMovieStarted(event: PushedEventOf<"movie.started">, context?: CactusEventContext): Promise<void>;
  /** `movie.completed`: A user finished a movie. */
  abstract onMovieCompleted(event: PushedEventOf<"movie.completed">, context?: CactusEventContext): Promise<void>;
  /** Types this SDK does not know (Cactus added them after this release). */
  abstract onOther(event: BaseThinEvent, context?: CactusEventContext): Promise<void>;
}
