// The three handling styles of docs/choosing-a-style.md, measured on the same body: each case
// parses one thin `order.shipped` event and dispatches it to a handler that does no I/O, so the
// figures are the SDK's own per-event cost (parse + dispatch), not the Cactus API's. bench/index.ts
// runs them in one suite, as ratios to one baseline measured in the same run.
import {
  CactusHandler,
  CactusRouter,
  On,
  OnOther,
  UnknownPushedEvent,
  type BaseThinEvent,
  type OrderShippedPushedEvent,
  type PushedThinEvent,
} from "../lib";

import type { BenchCase } from "./harness";
import { benchClient as client, THIN_BODY as STYLE_BODY, touch } from "./parse.bench";

// Every style handles all five types and the catch-all, as a real handler would: the router's
// lookup and the switch then have their full size.

function switchStyle(): void {
  const event = client.parseEventV2(STYLE_BODY);
  if (event instanceof UnknownPushedEvent) return touch(event);
  switch (event.type) {
    case "order.shipped":
    case "order.delivery_attempted":
    case "order.lost":
    case "movie.started":
    case "movie.completed":
      return touch(event);
    default:
      // A type added to the catalog since: the same work (no `never` check, so a new type does not
      // stop the benchmarks from compiling).
      return touch(event);
  }
}

class SubclassStyle extends CactusHandler {
  override async onOrderShipped(event: OrderShippedPushedEvent): Promise<void> {
    touch(event);
  }
  override async onOrderDeliveryAttempted(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
  override async onOrderLost(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
  override async onMovieStarted(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
  override async onMovieCompleted(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
  override async onOther(event: BaseThinEvent): Promise<void> {
    touch(event);
  }
}

const routerStyle = new CactusRouter(client)
  .on("order.shipped", touch)
  .on("order.delivery_attempted", touch)
  .on("order.lost", touch)
  .on("movie.started", touch)
  .on("movie.completed", touch)
  .onOther(touch);

class DecoratedStyle {
  @On("order.shipped")
  @On("order.delivery_attempted")
  @On("order.lost")
  @On("movie.started")
  @On("movie.completed")
  each(event: BaseThinEvent): void {
    touch(event);
  }

  @OnOther()
  other(event: PushedThinEvent): void {
    touch(event);
  }
}

// Three handlers for the one type plus a "*" tap: what several-handlers-per-type costs.
const fanOut = new CactusRouter(client)
  .on("order.shipped", touch)
  .on("order.shipped", touch)
  .on("order.*", touch)
  .on("*", touch)
  .onOther(touch);

/**
 * The style cases, for bench/index.ts: `parseEventV2` alone first (the floor every style pays),
 * then each style's parse + dispatch of the same body.
 *
 * @example
 * ```ts
 * await runSuite("Handling styles", jsonParseAndSwitch, styleBenchmarks());
 * ```
 */
export function styleBenchmarks(): BenchCase[] {
  const subclass = new SubclassStyle(client);
  const decorated = new CactusRouter(client).register(new DecoratedStyle());
  return [
    { name: "parseEventV2 only (no dispatch)", fn: () => touch(client.parseEventV2(STYLE_BODY)) },
    { name: "style: switch on parseEventV2", fn: switchStyle },
    { name: "style: CactusHandler subclass .handle()", fn: () => subclass.handle(STYLE_BODY) },
    { name: "style: CactusRouter.on .handle()", fn: () => routerStyle.handle(STYLE_BODY) },
    { name: "style: @On + router.register .handle()", fn: () => decorated.handle(STYLE_BODY) },
    { name: "router: 4 handlers for the event", fn: () => fanOut.handle(STYLE_BODY) },
  ];
}

