// Type tests of CactusSaga, compiled by tsc in npm test, never run.
import type { OrderShippedPushedEvent, MovieCompletedPushedEvent } from "../../lib";
import { CactusSaga, type SagaContext } from "../../lib/saga";

interface Shipping {
  readonly shipped: boolean;
  readonly count: number;
}

/** The right shape compiles. */
export class Good extends CactusSaga<Shipping> {
  override initialState(): Shipping {
    return { shipped: false, count: 0 };
  }
  override async onOrderShipped(_event: OrderShippedPushedEvent, state: Shipping, context: SagaContext<Shipping>): Promise<Shipping> {
    const id: string = await context.step("id", async () => "x");
    void id;
    context.expect("order.delivery_attempted", { within: "3d" });
    return { ...state, shipped: true };
  }
}

/** A method that returns the wrong shape does not compile. */
export class WrongState extends CactusSaga<Shipping> {
  override initialState(): Shipping {
    return { shipped: false, count: 0 };
  }
  // @ts-expect-error Type 'Promise<{ shipped: string; }>' is not assignable to type 'Promise<Shipping>'
  override async onOrderShipped(_event: OrderShippedPushedEvent, state: Shipping): Promise<{ shipped: string }> {
    return { shipped: String(state.shipped) };
  }
}

/** A method whose event is of another type does not compile. */
export class WrongEvent extends CactusSaga<Shipping> {
  override initialState(): Shipping {
    return { shipped: false, count: 0 };
  }
  // @ts-expect-error the parameter must be OrderShippedPushedEvent
  override async onOrderShipped(_event: MovieCompletedPushedEvent, state: Shipping): Promise<Shipping> {
    return state;
  }
}

/** initialState must give the saga's State. */
export class WrongInitial extends CactusSaga<Shipping> {
  override initialState(): Shipping {
    // @ts-expect-error count is missing
    return { shipped: false };
  }
}

/** A duration is checked: "3 days" is not one. */
export function badDuration(context: SagaContext<Shipping>): void {
  // @ts-expect-error not a duration
  context.expect("order.shipped", { within: "3 days" });
}
