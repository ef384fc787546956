// Generated from lib/events/catalog.ts by `npm run generate`: do not edit by hand.
import type { BaseThinEvent } from "../../events/base";
import type { PushedEventOf } from "../../events/catalog";
import type { CactusEventContext } from "../../observability/event-context";
import { CactusEventReceiver } from "../../pipeline/receiver";

/**
 * The default method of every catalog type, each forwarding to `onOther`: the base of
 * `CactusHandler`, which adds dispatch. Use `CactusHandler` itself; this class only holds
 * the methods derived from the catalog.
 */
export abstract class CactusHandlerDefaultMethods extends CactusEventReceiver {
  /** `order.shipped`: An order left the warehouse. Default: `onOther`. */
  async onOrderShipped(event: PushedEventOf<"order.shipped">, context?: CactusEventContext): Promise<void> {
    return this.onOther(event, context);
  }

  /** `order.delivery_attempted`: A carrier tried to deliver an order. Default: `onOther`. */
  async onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">, context?: CactusEventContext): Promise<void> {
    return this.onOther(event, context);
  }

  /** `order.lost`: A parcel is lost. No related object. Default: `onOther`. */
  async onOrderLost(event: PushedEventOf<"order.lost">, context?: CactusEventContext): Promise<void> {
    return this.onOther(event, context);
  }

  /** `movie.started`: A user started a movie. Default: `onOther`. */
  async onMovieStarted(event: PushedEventOf<"movie.started">, context?: CactusEventContext): Promise<void> {
    return this.onOther(event, context);
  }

  /** `movie.completed`: A user finished a movie. Default: `onOther`. */
  async onMovieCompleted(event: PushedEventOf<"movie.completed">, context?: CactusEventContext): Promise<void> {
    return this.onOther(event, context);
  }

  /**
   * Every event no other method took: types this SDK does not know (`UnknownPushedEvent`) and known
   * types whose method you did not override. Abstract on purpose: decide what an unexpected
   * event means for you (log it, store it, ignore it) rather than lose it silently.
   */
  abstract onOther(event: BaseThinEvent, context?: CactusEventContext): Promise<void>;
}
