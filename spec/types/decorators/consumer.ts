// A consumer compiled twice, with TypeScript's default (standard) decorators and with legacy ones
// (`experimentalDecorators: true`): `@On` and `@OnOther`
// must compile on well-typed methods and fail on misuse. Compiled by `npm test`, never run.
import {
  On,
  OnOther,
  type BaseThinEvent,
  type MovieCompletedEvent,
  type MovieCompletedPushedEvent,
  type OrderDeliveryAttemptedPushedEvent,
  type OrderLostPushedEvent,
  type OrderShippedPushedEvent,
  type PushedThinEvent,
} from "cactus-sdk";

export class Handlers {
  constructor(private readonly seen: string[]) {}

  @On("movie.completed")
  async rated(event: MovieCompletedPushedEvent): Promise<void> {
    const [full, movie] = await Promise.all([event.pull(), event.fetchRelatedObject()]);
    this.seen.push(`${full.data.user} ${movie.title}`);
  }

  @On("order.*")
  orders(event: OrderShippedPushedEvent | OrderDeliveryAttemptedPushedEvent | OrderLostPushedEvent): void {
    this.seen.push(event.type);
  }

  @On("order.lost")
  @On("order.shipped")
  both(event: OrderLostPushedEvent | OrderShippedPushedEvent): void {
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

export class Misuse {
  // @ts-expect-error the method takes a movie.completed event, the pattern delivers order.shipped
  @On("order.shipped")
  shipped(event: MovieCompletedPushedEvent): void {
    void event;
  }

  // @ts-expect-error "order.*" also delivers order.lost: the method must accept every order event
  @On("order.*")
  orders(event: OrderShippedPushedEvent): void {
    void event;
  }

  // @ts-expect-error decorated methods receive the pushed event, not the full one
  @On("movie.completed")
  completed(event: MovieCompletedEvent): void {
    void event;
  }

  // @ts-expect-error a misspelled type is not a pattern
  @On("movie.complete")
  misspelled(event: MovieCompletedPushedEvent): void {
    void event;
  }

  // @ts-expect-error @OnOther also receives types this SDK does not know
  @OnOther()
  other(event: MovieCompletedPushedEvent): void {
    void event;
  }

  // @ts-expect-error @On decorates methods, not fields
  @On("order.shipped")
  field = "not a method";
}
