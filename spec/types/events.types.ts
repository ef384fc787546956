// Type tests: compiled by `tsc --noEmit` in `npm test`, never run. Each `@ts-expect-error` line
// must fail to compile; if a rule breaks (the line compiles), tsc reports an unused directive.
import {
  BaseThinEvent,
  CactusClient,
  CactusHandler,
  isKnownEvent,
  Movie,
  MovieCompletedEvent,
  MovieCompletedPushedEvent,
  Order,
  OrderDeliveryAttemptedPushedEvent,
  OrderLostEvent,
  OrderLostPushedEvent,
  OrderShippedEvent,
  OrderShippedPushedEvent,
  UnknownPushedEvent,
  type KnownPushedEvent,
  type PushedThinEvent,
} from "../../lib";

declare const client: CactusClient;
declare function expectType<T>(value: T): void;

export async function narrowsAfterUnknownIsSeparated(): Promise<void> {
  const event = client.parseEventV2("{}");
  if (event instanceof UnknownPushedEvent) {
    expectType<string>(event.type);
    return;
  }
  switch (event.type) {
    case "order.shipped": {
      expectType<OrderShippedPushedEvent>(event);
      const full = await event.pull();
      expectType<OrderShippedEvent>(full);
      expectType<string>(full.data.shippingService);
      expectType<Order>(await event.fetchRelatedObject());
      break;
    }
    case "order.delivery_attempted":
      expectType<number>((await event.pull()).data.attemptNum);
      break;
    case "order.lost": {
      const full = await event.pull();
      expectType<OrderLostEvent>(full);
      expectType<string>(full.data.lastSeenCity);
      // @ts-expect-error order.lost has no related object: no fetchRelatedObject()
      await event.fetchRelatedObject();
      break;
    }
    case "movie.started":
      expectType<Date>((await event.pull()).data.date);
      expectType<Movie>(await event.fetchRelatedObject());
      break;
    case "movie.completed": {
      const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
      expectType<MovieCompletedEvent>(full);
      expectType<number>(full.data.rating);
      expectType<string>(movie.title);
      break;
    }
    default:
      // Types added after these cases were written: still their known classes, never unknown. That
      // a case per type leaves \`never\` here is checked over every catalog type, in
      // spec/types/generated/catalog.types.ts (generated from the catalog).
      expectType<KnownPushedEvent>(event);
  }
}

export function otherSeparators(event: PushedThinEvent): void {
  if (!event.known) {
    expectType<UnknownPushedEvent>(event);
    return;
  }
  if (event.type === "movie.completed") expectType<MovieCompletedPushedEvent>(event);

  if (isKnownEvent(event) && event.type === "order.shipped") expectType<OrderShippedPushedEvent>(event);
}

export function misuse(event: PushedThinEvent, shipped: OrderShippedPushedEvent, lost: OrderLostPushedEvent): void {
  // @ts-expect-error a pushed event is thin: no .data (pull() it)
  void shipped.data;
  // @ts-expect-error no .data on an unknown pushed event either
  void (event instanceof UnknownPushedEvent && event.data);
  // @ts-expect-error no fetchRelatedObject() on order.lost
  void lost.fetchRelatedObject;
  // @ts-expect-error without separating the unknown case first, the union does not narrow
  if (event.type === "order.shipped") void event.fetchRelatedObject();
  // @ts-expect-error a misspelled type is not a case of a known event
  if (event.known && event.type === "order.shiped") void event;
}

export async function pullReturnsItsOwnFullClass(event: OrderDeliveryAttemptedPushedEvent): Promise<void> {
  const full = await event.pull();
  // @ts-expect-error pull() of order.delivery_attempted is not an order.shipped event
  const wrong: OrderShippedEvent = full;
  void wrong;
}

// ---- CactusHandler overrides -------------------------------------------------------------------

export class GoodHandler extends CactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    expectType<string>((await event.pull()).data.shippingService);
  }
  // A wider parameter is fine: it accepts everything the base passes.
  override async onOrderLost(event: BaseThinEvent): Promise<void> {
    void event;
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    void event;
  }
}

export class WrongEventHandler extends CactusHandler {
  // @ts-expect-error the parameter of onOrderShipped must accept an OrderShippedPushedEvent
  override async onOrderShipped(event: MovieCompletedPushedEvent): Promise<void> {
    void event;
  }
  override async onOther(): Promise<void> {}
}

export class FullEventParamHandler extends CactusHandler {
  // @ts-expect-error handlers receive the pushed (thin) event, not the full one: pull() it
  override async onMovieCompleted(event: MovieCompletedEvent): Promise<void> {
    void event.data;
  }
  override async onOther(): Promise<void> {}
}

export class MisspelledHandler extends CactusHandler {
  // @ts-expect-error `override` on a method the base does not have: a misspelled handler name
  override async onOrderShiped(event: OrderShippedPushedEvent): Promise<void> {
    void event;
  }
  override async onOther(): Promise<void> {}
}

// @ts-expect-error onOther is abstract: a handler must say what to do with unexpected events
export class NoOtherHandler extends CactusHandler {}
