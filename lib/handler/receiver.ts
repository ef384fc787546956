import { CactusClient, type CactusClientOptions } from "../client/cactus-client";
import { CactusConfigError } from "../errors";
import type { PushedThinEvent } from "../events/catalog";
import type { EventBody } from "../events/parse";
import type { WebhookHeaders } from "../webhooks/headers";
import type { WebhookRawBody } from "../webhooks/raw-body";
import { WebhookSecrets } from "../webhooks/secrets";
import { checkTolerance } from "../webhooks/verify";
import { verifyAndHandle } from "../webhooks/verify-and-handle";

/** What `handle(body)` tells its caller: which event it parsed and which method(s) received it. */
export interface HandleResult {
  /** The parsed event. */
  readonly event: PushedThinEvent;
  /** Name of the method (or router subscriptions) that handled it, e.g. `onMovieCompleted` or `onOther`. */
  readonly handledBy: string;
}

/** Options of every receiver ({@link CactusHandler}, `CactusRouter`): what `handleWebhook` verifies with. */
export interface CactusReceiverOptions {
  /** The endpoint secret `whsec_...`, or several during a rotation. Checked at construction. */
  webhookSecret?: string | readonly string[];
  /** Signature timestamp tolerance in seconds, both directions. Default 300 (SPEC §4). */
  toleranceSeconds?: number;
}

interface WebhookConfig {
  readonly secrets: WebhookSecrets | undefined;
  readonly toleranceSeconds: number;
}

// A WeakMap, not fields: the keys stay out of logs and JSON, and the class stays structurally
// typed (private fields would break `Omit<CactusHandler, ...>` in ExhaustiveCactusHandler).
const webhookConfigs = new WeakMap<CactusEventReceiver, WebhookConfig>();

/**
 * What every event receiver shares (the {@link CactusHandler} subclass style and the router
 * style): a bound {@link CactusClient}, `handle(body)` and `handleWebhook(rawBody, headers)`.
 */
export abstract class CactusEventReceiver {
  /** The client events are parsed with, so `pull()` and `fetchRelatedObject()` work in handlers. */
  readonly client: CactusClient;

  /**
   * @param client a {@link CactusClient}, or the options to build one
   * @param options `webhookSecret` (and `toleranceSeconds`) for {@link CactusEventReceiver.handleWebhook};
   *   a malformed secret throws `CactusSignatureError` (`malformed_secret`) here
   */
  constructor(client: CactusClient | CactusClientOptions, options: CactusReceiverOptions = {}) {
    this.client = client instanceof CactusClient ? client : new CactusClient(client);
    // Parsed here so that a malformed secret fails at configuration time (issue 5), not at the first delivery.
    webhookConfigs.set(this, {
      secrets: options.webhookSecret === undefined ? undefined : WebhookSecrets.parse(options.webhookSecret),
      toleranceSeconds: checkTolerance(options.toleranceSeconds),
    });
  }

  /**
   * Parses `body` (string, bytes or parsed object) with `parseEventV2` and dispatches it.
   * Rejects with `CactusParseError` / `CactusValidationError` (nothing dispatched) or
   * `CactusHandlerError` (a handler threw; answer non-2xx so Cactus redelivers).
   */
  abstract handle(body: EventBody): Promise<HandleResult>;

  /**
   * Verifies a delivery's Standard Webhooks signature over the **raw** body with the configured
   * `webhookSecret`, checks that the `webhook-id` header equals the body's `id`, then `handle`s it.
   * Rejects with `CactusSignatureError` (nothing dispatched), or as {@link CactusEventReceiver.handle} does.
   *
   * @example
   * ```ts
   * const handler = new MyHandler(client, { webhookSecret: process.env.CACTUS_WEBHOOK_SECRET! });
   * const { handledBy } = await handler.handleWebhook(rawBody, req.headers);
   * ```
   */
  async handleWebhook(rawBody: WebhookRawBody, headers: WebhookHeaders): Promise<HandleResult> {
    const config = webhookConfigs.get(this);
    if (config?.secrets === undefined) {
      throw new CactusConfigError(`${this.constructor.name}.handleWebhook needs a webhookSecret: pass { webhookSecret: "whsec_..." } as the second constructor argument`);
    }
    return verifyAndHandle(this, rawBody, headers, config.secrets, { toleranceSeconds: config.toleranceSeconds });
  }
}
