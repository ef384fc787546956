import { CactusHandlerError } from "../errors";
import type { BaseThinEvent } from "../events/base";
import { eventCatalog, type CactusEventType, type HandlerMethodOf, type PushedEventOf, type PushedThinEvent } from "../events/catalog";
import type {
  MovieCompletedPushedEvent,
  MovieStartedPushedEvent,
} from "../events/movie";
import type {
  OrderDeliveryAttemptedPushedEvent,
  OrderLostPushedEvent,
  OrderShippedPushedEvent,
} from "../events/order";
import type { EventBody } from "../events/parse";
import { CactusEventReceiver, type HandleResult } from "./receiver";

/**
 * One method per catalog type, named and typed by the catalog. `CactusHandler implements` it, so a
 * new catalog row is a compile error in CactusHandler until its method exists.
 */
export type CactusHandlerMethods = {
  [T in CactusEventType as HandlerMethodOf<T>]: (event: PushedEventOf<T>) => Promise<void>;
};

/**
 * The inheritance style: subclass, override the methods for the events you handle, and call
 * `handle(body)`. Exactly one method runs per event; a known type you did not override, and every
 * type this SDK does not know, goes to `onOther`.
 *
 * @example
 * ```ts
 * class MyHandler extends CactusHandler {
 *   override async onMovieCompleted(event: MovieCompletedPushedEvent) {
 *     const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
 *     console.log(`${full.data.user} rated ${movie.title} ${full.data.rating}/5`);
 *   }
 *   override async onOther(event: BaseThinEvent) {
 *     console.log(`ignored ${event.type}`);
 *   }
 * }
 * await new MyHandler(client).handle(body);
 * ```
 */
export abstract class CactusHandler extends CactusEventReceiver implements CactusHandlerMethods {
  /** `order.shipped`: an order left the warehouse. Default: `onOther`. */
  async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    return this.onOther(event);
  }

  /** `order.delivery_attempted`: a carrier tried to deliver an order. Default: `onOther`. */
  async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    return this.onOther(event);
  }

  /** `order.lost`: a parcel is lost (no related object). Default: `onOther`. */
  async onOrderLost(event: OrderLostPushedEvent): Promise<void> {
    return this.onOther(event);
  }

  /** `movie.started`: a user started a movie. Default: `onOther`. */
  async onMovieStarted(event: MovieStartedPushedEvent): Promise<void> {
    return this.onOther(event);
  }

  /** `movie.completed`: a user finished a movie. Default: `onOther`. */
  async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    return this.onOther(event);
  }

  /**
   * Every event no other method took: types this SDK does not know (`UnknownPushedEvent`) and known
   * types whose method you did not override. Abstract on purpose: decide what an unexpected
   * event means for you (log it, store it, ignore it) rather than lose it silently.
   */
  abstract onOther(event: BaseThinEvent): Promise<void>;

  /** @inheritdoc */
  async handle(body: EventBody): Promise<HandleResult> {
    const event = this.client.parseEventV2(body);
    const handledBy = this.methodFor(event);
    try {
      await this.dispatch(event);
    } catch (cause) {
      throw new CactusHandlerError(event.id, event.type, cause);
    }
    return { event, handledBy };
  }

  private dispatch(event: PushedThinEvent): Promise<void> {
    if (!event.known) return this.onOther(event);
    switch (event.type) {
      case "order.shipped":
        return this.onOrderShipped(event);
      case "order.delivery_attempted":
        return this.onOrderDeliveryAttempted(event);
      case "order.lost":
        return this.onOrderLost(event);
      case "movie.started":
        return this.onMovieStarted(event);
      case "movie.completed":
        return this.onMovieCompleted(event);
      default:
        return assertNever(event);
    }
  }

  // Which method ran, for logs and metrics: the catalog's method if this subclass overrides it.
  private methodFor(event: PushedThinEvent): string {
    if (!event.known) return "onOther";
    const name = eventCatalog[event.type].handlerMethod;
    return this[name] === CactusHandler.prototype[name] ? "onOther" : name;
  }
}

/** Compile-time exhaustiveness: a catalog type missing from a `switch` makes this call a type error. */
export function assertNever(value: never): never {
  throw new TypeError(`Unhandled event: ${JSON.stringify(value)}`);
}
