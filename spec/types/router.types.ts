// Type tests for CactusRouter, @On and the per-type router shortcuts: compiled by `tsc --noEmit` in
// `npm test`, never run. Each `@ts-expect-error` line must fail to compile; if a rule breaks
// (the line compiles), tsc reports an unused directive.
import { CactusRouter, On, OnOther, type BaseThinEvent, type CactusEventType, type CactusEventPattern, type MovieCompletedEvent, type MovieCompletedPushedEvent, type MovieStartedPushedEvent, type OrderDeliveryAttemptedPushedEvent, type OrderLostPushedEvent, type OrderShippedPushedEvent, type PushedEventOf, type PushedThinEvent, UnknownPushedEvent } from "../../lib";
import { type CactusEventDomain, type EventForPattern, type RouterHandleResult } from "../../lib/handler";

declare const router: CactusRouter;
declare function expectType<T>(value: T): void;
// Exact type equality (not just assignability), for the derived types.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
declare function assertTrue<T extends true>(): void;

// ---- derived types ---------------------------------------------------------------------------

assertTrue<Equal<CactusEventDomain, "order" | "movie">>();
assertTrue<Equal<EventForPattern<"movie.completed">, MovieCompletedPushedEvent>>();
// A prefix is every catalog type of its domain, and only those (a new movie type joins "movie.*").
assertTrue<Equal<EventForPattern<"order.*">, PushedEventOf<Extract<CactusEventType, `order.${string}`>>>>();
assertTrue<Equal<EventForPattern<"movie.*">, PushedEventOf<Extract<CactusEventType, `movie.${string}`>>>>();
assertTrue<Equal<Extract<EventForPattern<"order.*">, OrderShippedPushedEvent | OrderDeliveryAttemptedPushedEvent | OrderLostPushedEvent>, OrderShippedPushedEvent | OrderDeliveryAttemptedPushedEvent | OrderLostPushedEvent>>();
assertTrue<Equal<Extract<EventForPattern<"movie.*">, MovieStartedPushedEvent | MovieCompletedPushedEvent>, MovieStartedPushedEvent | MovieCompletedPushedEvent>>();
assertTrue<Equal<Extract<EventForPattern<"movie.*">, OrderShippedPushedEvent>, never>>();
assertTrue<Equal<EventForPattern<"*">, PushedThinEvent>>();

export const patterns: CactusEventPattern[] = ["order.shipped", "order.*", "movie.*", "*"];
// @ts-expect-error not a domain of the catalog
export const badPrefix: CactusEventPattern = "invoice.*";
// @ts-expect-error a prefix must end in ".*": "order" alone is no pattern
export const bareDomain: CactusEventPattern = "order";

// ---- router.on: the callback's type follows from the string --------------------------------------

export function typedFromTheString(): void {
  router.on("movie.completed", async (event) => {
    expectType<MovieCompletedPushedEvent>(event);
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    expectType<MovieCompletedEvent>(full);
    expectType<number>(full.data.rating);
    expectType<string>(movie.title);
  });

  router.on("order.lost", async (event) => {
    expectType<string>((await event.pull()).data.lastSeenCity);
    // @ts-expect-error order.lost has no related object
    await event.fetchRelatedObject();
  });

  router.on("order.*", async (event) => {
    expectType<OrderShippedPushedEvent | OrderDeliveryAttemptedPushedEvent | OrderLostPushedEvent>(event);
    // @ts-expect-error not every order event has a related object (order.lost does not)
    await event.fetchRelatedObject();
    switch (event.type) {
      case "order.shipped":
        expectType<string>((await event.pull()).data.shippingService);
        break;
      case "order.delivery_attempted":
        expectType<number>((await event.pull()).data.attemptNum);
        break;
      case "order.lost":
        expectType<OrderLostPushedEvent>(event);
        break;
      default: {
        const none: never = event;
        void none;
      }
    }
  });

  router.on("*", (event) => {
    expectType<PushedThinEvent>(event);
    if (event instanceof UnknownPushedEvent) expectType<string>(event.type);
  });

  router.onOther((event) => expectType<PushedThinEvent>(event));

  // Chaining: every registration returns the router.
  expectType<CactusRouter>(router.on("order.shipped", () => undefined).onOther(() => undefined));
}

export function compileErrors(): void {
  // @ts-expect-error a misspelled type is not a pattern
  router.on("movie.complete", () => undefined);

  // @ts-expect-error the callback's parameter must accept the type's event
  router.on("movie.completed", (event: OrderShippedPushedEvent) => void event);

  // @ts-expect-error handlers receive the pushed (thin) event, not the full one: pull() it
  router.on("movie.completed", (event: MovieCompletedEvent) => void event.data);

  // @ts-expect-error "order.*" also delivers order.lost and order.delivery_attempted
  router.on("order.*", (event: OrderShippedPushedEvent) => void event);

  // @ts-expect-error "*" also delivers unknown types, which are not OrderShippedPushedEvent
  router.on("*", (event: OrderShippedPushedEvent) => void event);

  // @ts-expect-error a pushed event is thin: no .data (pull() it)
  router.on("order.shipped", (event) => void event.data);

  // @ts-expect-error onOther also receives unknown types
  router.onOther((event: MovieCompletedPushedEvent) => void event);
}

export function widerParametersAreFine(): void {
  // A handler that accepts more than it is given is fine.
  router.on("movie.completed", (event: BaseThinEvent) => void event.id);
  router.on("order.*", (event: PushedThinEvent) => void event.id);
  router.onOther((event: BaseThinEvent) => void event.id);
}

export async function handleResult(): Promise<void> {
  const result = await router.handle("{}");
  expectType<RouterHandleResult>(result);
  expectType<readonly string[]>(result.handlers);
  expectType<PushedThinEvent>(result.event);
}

// ---- the seed's shape: one registration method per catalog type --------------------------------

export function seedShape(): void {
  router.onMovieCompleted(async (event) => {
    expectType<MovieCompletedPushedEvent>(event);
    expectType<string>((await event.pull()).data.user);
  });
  router.onOrderLost((event) => expectType<OrderLostPushedEvent>(event));
  expectType<CactusRouter>(router.onOrderShipped(() => undefined).onMovieStarted(() => undefined));

  // @ts-expect-error the shortcut's callback must accept its type's event
  router.onMovieCompleted((event: OrderShippedPushedEvent) => void event);
  // @ts-expect-error a misspelled shortcut does not exist
  router.onMovieComplete(() => undefined);
}

// ---- @On: decorated methods must accept the pattern's event --------------------------------------

export class GoodHandlers {
  constructor(private readonly seen: string[]) {}

  @On("movie.completed")
  async rated(event: MovieCompletedPushedEvent): Promise<void> {
    this.seen.push((await event.pull()).data.user);
  }

  @On("order.*")
  orders(event: OrderShippedPushedEvent | OrderDeliveryAttemptedPushedEvent | OrderLostPushedEvent): void {
    this.seen.push(event.type);
  }

  // One method, two types: its parameter accepts both.
  @On("order.shipped")
  @On("movie.started")
  both(event: OrderShippedPushedEvent | MovieStartedPushedEvent): void {
    this.seen.push(event.type);
  }

  // A wider parameter is fine.
  @On("order.lost")
  lost(event: BaseThinEvent): void {
    this.seen.push(event.id);
  }

  @On("*")
  everything(event: PushedThinEvent): void {
    this.seen.push(event.id);
  }

  @OnOther()
  other(event: BaseThinEvent): void {
    this.seen.push(event.type);
  }
}

export class WrongParameter {
  // @ts-expect-error @On("order.shipped") on a method that takes a movie.completed event
  @On("order.shipped")
  shipped(event: MovieCompletedPushedEvent): void {
    void event;
  }
}

export class NarrowPrefixParameter {
  // @ts-expect-error "order.*" also delivers order.lost: the method must accept every order event
  @On("order.*")
  orders(event: OrderShippedPushedEvent): void {
    void event;
  }
}

export class FullEventParameter {
  // @ts-expect-error decorated methods receive the pushed event, not the full one
  @On("movie.completed")
  completed(event: MovieCompletedEvent): void {
    void event;
  }
}

export class MisspelledPattern {
  // @ts-expect-error a misspelled type is not a pattern
  @On("movie.complete")
  completed(event: MovieCompletedPushedEvent): void {
    void event;
  }
}

export class NarrowOther {
  // @ts-expect-error @OnOther also receives unknown types
  @OnOther()
  other(event: MovieCompletedPushedEvent): void {
    void event;
  }
}

export class NotAMethod {
  // @ts-expect-error @On decorates methods, not properties
  @On("order.shipped")
  shipped = "not a method";
}
