import { CactusClient, type CactusClientOptions } from "../client/cactus-client";
import type { PushedThinEvent } from "../events/catalog";
import type { EventBody } from "../events/parse";

/** What `handle(body)` tells its caller: which event it parsed and which method(s) received it. */
export interface HandleResult {
  /** The parsed event. */
  readonly event: PushedThinEvent;
  /** Name of the method (or router subscriptions) that handled it, e.g. `onMovieCompleted` or `onOther`. */
  readonly handledBy: string;
}

/**
 * What every event receiver shares (the {@link CactusHandler} subclass style and the router
 * style): a bound {@link CactusClient} and `handle(body)`.
 */
export abstract class CactusEventReceiver {
  /** The client events are parsed with, so `pull()` and `fetchRelatedObject()` work in handlers. */
  readonly client: CactusClient;

  /** @param client a {@link CactusClient}, or the options to build one */
  constructor(client: CactusClient | CactusClientOptions) {
    this.client = client instanceof CactusClient ? client : new CactusClient(client);
  }

  /**
   * Parses `body` (string, bytes or parsed object) with `parseEventV2` and dispatches it.
   * Rejects with `CactusParseError` / `CactusValidationError` (nothing dispatched) or
   * `CactusHandlerError` (a handler threw; answer non-2xx so Cactus redelivers).
   */
  abstract handle(body: EventBody): Promise<HandleResult>;
}
