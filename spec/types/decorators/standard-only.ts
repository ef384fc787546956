// Misuse that only standard decorators can see at compile time (legacy decorators report it when
// the class is defined, at run time): compiled by tsconfig.standard.json, never run.
import { On, type OrderLostPushedEvent } from "cactus-sdk";

export class StandardOnlyMisuse {
  // @ts-expect-error router.register(instance) cannot subscribe a static method
  @On("order.lost")
  static lost(event: OrderLostPushedEvent): void {
    void event;
  }

  // @ts-expect-error router.register(instance) cannot call a private (#) method
  @On("order.lost")
  #hidden(event: OrderLostPushedEvent): void {
    void event;
  }

  /** Uses the private method, so that only the decorator misuse is reported. */
  use(event: OrderLostPushedEvent): void {
    this.#hidden(event);
  }
}
