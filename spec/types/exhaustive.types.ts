// Type tests for ExhaustiveCactusHandler: compiled by `tsc --noEmit` in `npm test`, never run.
// Each `@ts-expect-error` line must fail to compile. Missing any one catalog method (or onOther)
// is a compile error in the subclass, which is what a new catalog row turns into for every
// subclass (see lib/handler/exhaustive-handler.ts, and spec/handler/exhaustive.spec.ts which
// compiles the SDK with an extra catalog row).
import { CactusHandler, ExhaustiveCactusHandler, type BaseThinEvent, type HandleResult, type MovieCompletedEvent, type MovieCompletedPushedEvent, type MovieStartedPushedEvent, type OrderDeliveryAttemptedPushedEvent, type OrderLostPushedEvent, type OrderShippedPushedEvent } from "../../lib";
import { CactusEventReceiver, type CactusHandlerMethods } from "../../lib/handler";

declare function expectType<T>(value: T): void;

export class Complete extends ExhaustiveCactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    expectType<string>((await event.pull()).data.shippingService);
  }
  override async onOrderDeliveryAttempted(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
    void event;
  }
  override async onOrderLost(event: OrderLostPushedEvent): Promise<void> {
    void event;
  }
  override async onMovieStarted(event: MovieStartedPushedEvent): Promise<void> {
    void event;
  }
  override async onMovieCompleted(event: MovieCompletedPushedEvent): Promise<void> {
    void event;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

export async function isAReceiver(handler: Complete): Promise<void> {
  expectType<CactusEventReceiver>(handler);
  expectType<CactusHandlerMethods>(handler);
  expectType<HandleResult>(await handler.handle("{}"));
}

// A subclass missing one method: the error names it. One class per catalog method, so that each
// of them is proven abstract.

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onOrderShipped'
export class MissingOrderShipped extends ExhaustiveCactusHandler {
  override async onOrderDeliveryAttempted(): Promise<void> {}
  override async onOrderLost(): Promise<void> {}
  override async onMovieStarted(): Promise<void> {}
  override async onMovieCompleted(): Promise<void> {}
  override async onOther(): Promise<void> {}
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onOrderDeliveryAttempted'
export class MissingOrderDeliveryAttempted extends ExhaustiveCactusHandler {
  override async onOrderShipped(): Promise<void> {}
  override async onOrderLost(): Promise<void> {}
  override async onMovieStarted(): Promise<void> {}
  override async onMovieCompleted(): Promise<void> {}
  override async onOther(): Promise<void> {}
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onOrderLost'
export class MissingOrderLost extends ExhaustiveCactusHandler {
  override async onOrderShipped(): Promise<void> {}
  override async onOrderDeliveryAttempted(): Promise<void> {}
  override async onMovieStarted(): Promise<void> {}
  override async onMovieCompleted(): Promise<void> {}
  override async onOther(): Promise<void> {}
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onMovieStarted'
export class MissingMovieStarted extends ExhaustiveCactusHandler {
  override async onOrderShipped(): Promise<void> {}
  override async onOrderDeliveryAttempted(): Promise<void> {}
  override async onOrderLost(): Promise<void> {}
  override async onMovieCompleted(): Promise<void> {}
  override async onOther(): Promise<void> {}
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onMovieCompleted'
export class MissingMovieCompleted extends ExhaustiveCactusHandler {
  override async onOrderShipped(): Promise<void> {}
  override async onOrderDeliveryAttempted(): Promise<void> {}
  override async onOrderLost(): Promise<void> {}
  override async onMovieStarted(): Promise<void> {}
  override async onOther(): Promise<void> {}
}

// @ts-expect-error Non-abstract class does not implement inherited abstract member 'onOther'
export class MissingOther extends ExhaustiveCactusHandler {
  override async onOrderShipped(): Promise<void> {}
  override async onOrderDeliveryAttempted(): Promise<void> {}
  override async onOrderLost(): Promise<void> {}
  override async onMovieStarted(): Promise<void> {}
  override async onMovieCompleted(): Promise<void> {}
}

// The same subclass on plain CactusHandler compiles: the missing type goes to onOther.
export class PlainMissingMovieStarted extends CactusHandler {
  override async onOrderShipped(): Promise<void> {}
  override async onOther(): Promise<void> {}
}

export class WrongParameter extends Complete {
  // @ts-expect-error the parameter of onMovieCompleted must accept a MovieCompletedPushedEvent
  override async onMovieCompleted(event: OrderShippedPushedEvent): Promise<void> {
    void event;
  }
}

export class FullEventParameter extends Complete {
  // @ts-expect-error handlers receive the pushed event, not the full one
  override async onMovieCompleted(event: MovieCompletedEvent): Promise<void> {
    void event;
  }
}

export class Misspelled extends Complete {
  // @ts-expect-error `override` on a method the base does not have: a misspelled handler name
  override async onMovieComplete(event: MovieCompletedPushedEvent): Promise<void> {
    void event;
  }
}

// @ts-expect-error an abstract class cannot be instantiated
export const direct = new ExhaustiveCactusHandler({ apiKey: "sk_test_x" });
