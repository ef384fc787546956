// Type tests for ExhaustiveCactusHandler: compiled by `tsc --noEmit` in `npm test`, never run.
// Each `@ts-expect-error` line must fail to compile. Missing any one catalog method (or onOther)
// is a compile error in the subclass (one generated class per method, in
// spec/types/generated/catalog.types.ts), which is what a new catalog row turns into for every
// subclass (spec/handler/exhaustive.spec.ts runs the generator with an extra catalog row).
import { CactusHandler, ExhaustiveCactusHandler, type BaseThinEvent, type HandleResult, type MovieCompletedEvent, type MovieCompletedPushedEvent, type MovieStartedPushedEvent, type OrderLostPushedEvent, type OrderShippedPushedEvent } from "../../lib";
import { CactusEventReceiver, type CactusHandlerMethods } from "../../lib/handler";
import { Complete } from "./generated/catalog.types";

declare function expectType<T>(value: T): void;

// The subclass implementing every method, and one subclass missing each, are generated from the
// catalog: spec/types/generated/catalog.types.ts. Here: the parameter types of those methods.
export class Typed extends Complete {
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    expectType<string>((await event.pull()).data.shippingService);
  }
  override async onOrderLost(event: OrderLostPushedEvent): Promise<void> {
    // @ts-expect-error order.lost has no related object
    await event.fetchRelatedObject();
  }
  override async onMovieStarted(event: MovieStartedPushedEvent): Promise<void> {
    expectType<Date>((await event.pull()).data.date);
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
