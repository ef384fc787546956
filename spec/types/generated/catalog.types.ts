// Generated from lib/events/catalog.ts by `npm run generate`: do not edit by hand.
// Type tests compiled by `tsc --noEmit` in `npm test`, never run: the checks that list every
// catalog type, kept complete by the generator. Each `@ts-expect-error` line must fail to compile.
import { ExhaustiveCactusHandler, UnknownPushedEvent, type BaseThinEvent, type PushedEventOf, type PushedThinEvent } from "../../../lib";

declare function expectType<T>(value: T): void;

/** A switch on `event.type` narrows every case to its class, and `default` is `never`. */
export function everyCase(event: PushedThinEvent): void {
  if (event instanceof UnknownPushedEvent) return;
  switch (event.type) {
    case "order.shipped":
      expectType<PushedEventOf<"order.shipped">>(event);
      return;
    case "order.delivery_attempted":
      expectType<PushedEventOf<"order.delivery_attempted">>(event);
      return;
    case "order.lost":
      expectType<PushedEventOf<"order.lost">>(event);
      return;
    case "movie.started":
      expectType<PushedEventOf<"movie.started">>(event);
      return;
    case "movie.completed":
      expectType<PushedEventOf<"movie.completed">>(event);
      return;
    default: {
      const none: never = event;
      return none;
    }
  }
}

/** Implementing every method (and `onOther`) compiles. */
export class Complete extends ExhaustiveCactusHandler {
  override async onOrderShipped(event: PushedEventOf<"order.shipped">): Promise<void> {
    void event;
  }
  override async onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">): Promise<void> {
    void event;
  }
  override async onOrderLost(event: PushedEventOf<"order.lost">): Promise<void> {
    void event;
  }
  override async onMovieStarted(event: PushedEventOf<"movie.started">): Promise<void> {
    void event;
  }
  override async onMovieCompleted(event: PushedEventOf<"movie.completed">): Promise<void> {
    void event;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

// A subclass missing one method: the error names it. One class per catalog method (and onOther),
// so that each of them is proven abstract.

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onOrderShipped'
export class MissingOrderShipped extends ExhaustiveCactusHandler {
  override async onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">): Promise<void> {
    void event;
  }
  override async onOrderLost(event: PushedEventOf<"order.lost">): Promise<void> {
    void event;
  }
  override async onMovieStarted(event: PushedEventOf<"movie.started">): Promise<void> {
    void event;
  }
  override async onMovieCompleted(event: PushedEventOf<"movie.completed">): Promise<void> {
    void event;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onOrderDeliveryAttempted'
export class MissingOrderDeliveryAttempted extends ExhaustiveCactusHandler {
  override async onOrderShipped(event: PushedEventOf<"order.shipped">): Promise<void> {
    void event;
  }
  override async onOrderLost(event: PushedEventOf<"order.lost">): Promise<void> {
    void event;
  }
  override async onMovieStarted(event: PushedEventOf<"movie.started">): Promise<void> {
    void event;
  }
  override async onMovieCompleted(event: PushedEventOf<"movie.completed">): Promise<void> {
    void event;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onOrderLost'
export class MissingOrderLost extends ExhaustiveCactusHandler {
  override async onOrderShipped(event: PushedEventOf<"order.shipped">): Promise<void> {
    void event;
  }
  override async onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">): Promise<void> {
    void event;
  }
  override async onMovieStarted(event: PushedEventOf<"movie.started">): Promise<void> {
    void event;
  }
  override async onMovieCompleted(event: PushedEventOf<"movie.completed">): Promise<void> {
    void event;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onMovieStarted'
export class MissingMovieStarted extends ExhaustiveCactusHandler {
  override async onOrderShipped(event: PushedEventOf<"order.shipped">): Promise<void> {
    void event;
  }
  override async onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">): Promise<void> {
    void event;
  }
  override async onOrderLost(event: PushedEventOf<"order.lost">): Promise<void> {
    void event;
  }
  override async onMovieCompleted(event: PushedEventOf<"movie.completed">): Promise<void> {
    void event;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onMovieCompleted'
export class MissingMovieCompleted extends ExhaustiveCactusHandler {
  override async onOrderShipped(event: PushedEventOf<"order.shipped">): Promise<void> {
    void event;
  }
  override async onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">): Promise<void> {
    void event;
  }
  override async onOrderLost(event: PushedEventOf<"order.lost">): Promise<void> {
    void event;
  }
  override async onMovieStarted(event: PushedEventOf<"movie.started">): Promise<void> {
    void event;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onOther'
export class MissingOther extends ExhaustiveCactusHandler {
  override async onOrderShipped(event: PushedEventOf<"order.shipped">): Promise<void> {
    void event;
  }
  override async onOrderDeliveryAttempted(event: PushedEventOf<"order.delivery_attempted">): Promise<void> {
    void event;
  }
  override async onOrderLost(event: PushedEventOf<"order.lost">): Promise<void> {
    void event;
  }
  override async onMovieStarted(event: PushedEventOf<"movie.started">): Promise<void> {
    void event;
  }
  override async onMovieCompleted(event: PushedEventOf<"movie.completed">): Promise<void> {
    void event;
  }
}
