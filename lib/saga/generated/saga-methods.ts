// Generated from lib/events/catalog.ts by `npm run generate`: do not edit by hand.
import type { PushedEventOf } from "../../events/catalog";
import { CactusEventReceiver } from "../../pipeline/receiver";
import type { SagaContext } from "../types";

/**
 * The default method of every catalog type, for a saga of `State`: the base of `CactusSaga`,
 * which adds dispatch. Override a method to take its events into the saga: it gets the event, the
 * instance's state and the saga context, and resolves with the next state. Use `CactusSaga`
 * itself; this class only holds the methods derived from the catalog.
 */
export abstract class CactusSagaDefaultMethods<State> extends CactusEventReceiver {
  /** `order.shipped`: An order left the warehouse. Not overridden: the event goes to `onOther` and no instance is touched. */
  async onOrderShipped(event: PushedEventOf<"order.shipped">, state: State, context: SagaContext<State>): Promise<State> {
    void event;
    void context;
    return state;
  }

  /** `order.delivery_attempted`: A carrier tried to deliver an order. Not overridden: the event goes to `onOther` and no instance is touched. */
  async onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">, state: State, context: SagaContext<State>): Promise<State> {
    void event;
    void context;
    return state;
  }

  /** `order.lost`: A parcel is lost. No related object. Reached only when `objectIdOf` gives an instance for it. Not overridden: the event goes to `onOther` and no instance is touched. */
  async onOrderLost(event: PushedEventOf<"order.lost">, state: State, context: SagaContext<State>): Promise<State> {
    void event;
    void context;
    return state;
  }

  /** `movie.started`: A user started a movie. Not overridden: the event goes to `onOther` and no instance is touched. */
  async onMovieStarted(event: PushedEventOf<"movie.started">, state: State, context: SagaContext<State>): Promise<State> {
    void event;
    void context;
    return state;
  }

  /** `movie.completed`: A user finished a movie. Not overridden: the event goes to `onOther` and no instance is touched. */
  async onMovieCompleted(event: PushedEventOf<"movie.completed">, state: State, context: SagaContext<State>): Promise<State> {
    void event;
    void context;
    return state;
  }
}
