import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleInit } from "@nestjs/common";
import { DiscoveryService } from "@nestjs/core";
import { CactusClient } from "../client/cactus-client";
import { closeAll } from "../delivery/shutdown";
import { CactusConfigError } from "../errors";
import type { CactusRouter } from "../handler/router";
import type { CactusErrorReporter, WebhookReceiver } from "../delivery/types";
import { createWebhookCore, type WebhookCore, type WebhookRequest } from "../webhooks/core";
import { resolveWebhookOptions } from "../webhooks/options";
import type { WebhookAnswer } from "../webhooks/status-table";
import { discoverHandlers } from "./discover-handlers";
import { buildHandlerRouter, type CactusHandlerRoute } from "./handler-table";
import { CACTUS_MODULE_OPTIONS, type CactusModuleOptions } from "./options";
import { closablesOf, receiverOptionsFrom } from "./receiver-settings";

/** Default time the deliveries in flight get to finish at shutdown: 10 s. */
export const DEFAULT_NEST_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * The webhook endpoint of `CactusModule.forRoot`: finds the app's handler providers at start-up,
 * builds the receiver they form, answers each delivery (verify the raw body, then parse, claim,
 * dispatch, commit, per the SDK's status table), and closes everything at shutdown. Inject it to
 * see which method handles which type, or to hand an event to the handlers without a signature.
 *
 * @example
 * ```ts
 * const webhooks = app.get(CactusWebhooks);
 * console.log(webhooks.routes); // [{ key: "order.shipped", handler: "OrdersHandler.onOrderShipped" }, ...]
 * await webhooks.receiver.receive(JSON.stringify(createPushedEvent("order.shipped")));
 * ```
 */
@Injectable()
export class CactusWebhooks implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  #receiver: WebhookReceiver | undefined;
  #router: CactusRouter | undefined;
  #core: WebhookCore | undefined;
  #routes: readonly CactusHandlerRoute[] = [];
  #closing = false;
  #reportError: CactusErrorReporter = () => undefined;

  /** Nest calls it; the options come from `CactusModule.forRoot` / `forRootAsync`. */
  constructor(
    @Inject(CACTUS_MODULE_OPTIONS) private readonly options: CactusModuleOptions,
    @Inject(CactusClient) readonly client: CactusClient,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
  ) {}

  /**
   * Finds the handlers and builds the receiver (Nest calls it at `app.init()` / `listen()`).
   * Throws {@link CactusConfigError} when no handler exists, when two take the same event type, or
   * for a bad option, so a misconfigured app does not start.
   */
  onModuleInit(): void {
    const { queue } = this.options;
    let receiver: WebhookReceiver;
    if (queue === undefined) {
      const built = buildHandlerRouter(discoverHandlers(this.discovery), this.client, receiverOptionsFrom(this.options));
      this.#router = built.router;
      this.#routes = built.routes;
      receiver = built.router;
    } else {
      receiver = queue;
    }
    const resolved = resolveWebhookOptions(receiver, this.options, undefined, "CactusModule");
    this.#reportError = resolved.onError;
    this.#core = createWebhookCore(receiver, resolved);
    this.#receiver = receiver;
  }

  /** What verified deliveries go to: the router of the app's handlers, or the `queue` option. */
  get receiver(): WebhookReceiver {
    return started(this.#receiver);
  }

  /** Which method takes which event type (empty with a `queue`: the workers run the handlers). */
  get routes(): readonly CactusHandlerRoute[] {
    return this.#routes;
  }

  /** Whether shutdown has begun: new deliveries are answered 503 `shutting_down`. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Answers one delivery; never rejects (every outcome is a row of the status table). */
  answer(request: WebhookRequest): Promise<WebhookAnswer> {
    return started(this.#core).answer(request);
  }

  /**
   * First step of shutdown, while the HTTP server still answers: new deliveries get 503
   * `shutting_down` (Cactus redelivers them), the ones in flight get `shutdownTimeoutMs` to finish.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.#closing = true;
    const timeoutMs = this.options.shutdownTimeoutMs ?? DEFAULT_NEST_SHUTDOWN_TIMEOUT_MS;
    const receiver = this.#router ?? this.options.queue;
    if (receiver !== undefined) await receiver.close({ timeoutMs });
  }

  /** Last step of shutdown: closes `closeOnShutdown` and the idempotency store (when it can close). */
  async onApplicationShutdown(): Promise<void> {
    const errors = await closeAll(closablesOf(this.options), this.options.shutdownTimeoutMs ?? DEFAULT_NEST_SHUTDOWN_TIMEOUT_MS);
    // Shutdown goes on: a part that failed to close is reported (onError, else the logger), not thrown.
    for (const error of errors) this.#reportError(error, 503);
  }
}

function started<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new CactusConfigError("CactusModule is not started yet: call app.init() (or app.listen()), or moduleRef.init() on a testing module");
  }
  return value;
}
