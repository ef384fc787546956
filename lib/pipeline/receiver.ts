import { CactusClient, type CactusClientOptions } from "../client/cactus-client";
import { CactusConfigError } from "../errors";
import type { PushedThinEvent } from "../events/catalog";
import type { EventBody } from "../events/json";
import type { WebhookHeaders } from "../webhooks/headers";
import type { WebhookRawBody } from "../webhooks/raw-body";
import { checkWebhookHeaders } from "../webhooks/verify";
import { verifyDelivery } from "../webhooks/verify-delivery";
import { claimDispatchCommit } from "./process-event";
import {
  receiverSettings,
  rememberReceiverSettings,
  resolveReceiverOptions,
  type CactusReceiverOptions,
  type ReceiverSettings,
} from "./receiver-options";
import type { DeliveryContext, DispatchResult, HandleResult, WebhookReceiver } from "./types";

/** The key of a receiver's dispatch step (see {@link CactusEventReceiver}). */
export const DISPATCH: unique symbol = Symbol("cactus.dispatch");

/**
 * What every event receiver shares (the {@link CactusHandler} subclass style and the router
 * style): a bound {@link CactusClient} and the one path an event takes,
 * verify -> parse -> claim -> dispatch -> commit, entered by `handle(body)` (no signature),
 * `handleWebhook(rawBody, headers)` or the webhook middleware (`receive`).
 */
export abstract class CactusEventReceiver implements WebhookReceiver {
  /** The client events are parsed with, so `pull()` and `fetchRelatedObject()` work in handlers. */
  readonly client: CactusClient;

  /**
   * @param client a {@link CactusClient}, or the options to build one
   * @param options `webhookSecret`, `toleranceSeconds`, `idempotency`, `handlerTimeoutMs`, `onError`;
   *   a malformed secret throws `CactusSignatureError` (`malformed_secret`) here, a bad option
   *   `CactusConfigError`
   */
  constructor(client: CactusClient | CactusClientOptions, options: CactusReceiverOptions = {}) {
    this.client = client instanceof CactusClient ? client : new CactusClient(client);
    // Checked here so that a malformed secret fails at configuration time, not at the first delivery.
    rememberReceiverSettings(this, resolveReceiverOptions(options, new.target.name));
  }

  /**
   * Parses `body` (string, bytes or parsed object) with `parseEventV2` and dispatches it, through
   * the `idempotency` store when one is configured. Resolves with the outcome (`handled` or
   * `duplicate`). Rejects with `CactusParseError` / `CactusValidationError` (nothing dispatched),
   * `CactusHandlerError` (a handler threw; answer non-2xx so Cactus redelivers) or
   * `CactusEventInProgressError` (another delivery of it is running).
   *
   * @example
   * ```ts
   * const { outcome, handledBy } = await handler.handle(req.body);
   * ```
   */
  handle(body: EventBody): Promise<HandleResult> {
    return this.receive(body);
  }

  /**
   * Verifies a delivery's Standard Webhooks signature over the **raw** body with the configured
   * `webhookSecret`, checks that the `webhook-id` header equals the body's `id`, then takes it
   * through the same path as {@link CactusEventReceiver.handle}, with `handlerTimeoutMs`.
   * Rejects with `CactusSignatureError` (nothing dispatched), `CactusHandlerTimeoutError`, or as
   * `handle` does.
   *
   * @example
   * ```ts
   * const handler = new MyHandler(client, { webhookSecret: process.env.CACTUS_WEBHOOK_SECRET! });
   * const { handledBy } = await handler.handleWebhook(rawBody, req.headers);
   * ```
   */
  async handleWebhook(rawBody: WebhookRawBody, headers: WebhookHeaders): Promise<HandleResult> {
    const settings = settingsFor(this);
    if (settings.secrets === undefined) {
      throw new CactusConfigError(
        `${this.constructor.name}.handleWebhook needs a webhookSecret: pass { webhookSecret: "whsec_..." } as the second constructor argument ` +
          `(make one with generateWebhookSecret() or \`cactus secret\`)`,
      );
    }
    const checked = checkWebhookHeaders(headers, { toleranceSeconds: settings.toleranceSeconds });
    const delivery = verifyDelivery(rawBody, checked, settings.secrets);
    return this.receive(delivery.body, { deliveryId: delivery.id, handlerTimeoutMs: settings.handlerTimeoutMs });
  }

  /**
   * The entry the webhook middleware (and queue workers) use: `body` was verified and decoded
   * already; parse it, then claim, dispatch and commit. Use `handle` or `handleWebhook` yourself.
   *
   * @example
   * ```ts
   * await handler.receive(verifiedBody, { deliveryId: "evt_1", handlerTimeoutMs: 10_000 });
   * ```
   */
  async receive(body: EventBody, context: DeliveryContext = {}): Promise<HandleResult> {
    const event = this.client.parseEventV2(body);
    return claimDispatchCommit(event, (parsed) => this[DISPATCH](parsed), settingsFor(this), context);
  }

  /**
   * The dispatch step: runs this receiver's handler(s) for one parsed event and says which ran.
   * `CactusHandler` calls exactly one method; `CactusRouter` every matching subscription. Keyed by
   * a symbol so it never clashes with a subclass's own method names.
   */
  abstract [DISPATCH](event: PushedThinEvent): Promise<DispatchResult>;
}

function settingsFor(receiver: CactusEventReceiver): ReceiverSettings {
  const settings = receiverSettings(receiver);
  // Only reachable if a subclass constructor did not call super(): a programming error.
  if (settings === undefined) throw new CactusConfigError(`${receiver.constructor.name} was not constructed through CactusEventReceiver`);
  return settings;
}
