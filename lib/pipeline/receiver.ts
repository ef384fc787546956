import { CactusClient, type CactusClientOptions } from "../client/cactus-client";
import { unrefTimer } from "../platform/timers";
import { CactusConfigError, CactusShuttingDownError } from "../errors";
import type { PushedThinEvent } from "../events/catalog";
import type { EventBody } from "../events/json";
import type { WebhookHeaders } from "../signature/headers";
import type { WebhookRawBody } from "../signature/raw-body";
import { HOW_TO_GET_A_WEBHOOK_SECRET } from "../signature/secrets";
import { checkWebhookHeaderValues } from "../signature/verify";
import { readDeliveryHeaders } from "../signature/headers";
import { parseThinEvent } from "../events/parse";
import { verifyStepAnywhere } from "./verify-step";
import type { VerifiedDelivery } from "../signature/verify-delivery";
import { claimDispatchCommit, failed, type DeliveryEnd } from "./process-event";
import {
  receiverSettings,
  rememberReceiverSettings,
  resolveReceiverOptions,
  type CactusReceiverOptions,
  type ReceiverLifecycle,
  type ReceiverSettings,
} from "./receiver-options";
import type { DeliveryContext, HandleResult, WebhookReceiver } from "../delivery/types";
import { attachedObservation, DeliveryObservation } from "../observability/observation";
import { incomingDeliveryOf } from "../observability/incoming";
import type { CactusEventContext } from "../observability/event-context";
import type { CactusTransaction } from "../delivery/transaction";
import type { RunnerOrder } from "../delivery/delivery-runner";
import { dispatchedResult, type Dispatched } from "../delivery/started-dispatch";

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
   * @param options `webhookSecret`, `toleranceSeconds`, `idempotency`, `handlerTimeoutMs`, `onError`,
   *   `logger`, `instrumentation`, `eventContext`;
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
  handleWebhook(rawBody: WebhookRawBody, headers: WebhookHeaders): Promise<HandleResult> {
    let observation: DeliveryObservation | undefined;
    try {
      const settings = settingsFor(this);
      if (settings.secrets === undefined) {
        throw new CactusConfigError(
          `${this.constructor.name}.handleWebhook needs a webhookSecret: pass { webhookSecret: "whsec_..." } as the second constructor argument. ` +
            HOW_TO_GET_A_WEBHOOK_SECRET,
        );
      }
      const secrets = settings.secrets;
      // Every header this entry reads, in one pass over the headers object.
      const read = readDeliveryHeaders(headers);
      const started = new DeliveryObservation(settings.observability, "http", incomingDeliveryOf(read.id, read.traceparent, read.correlationId), "caller");
      observation = started;
      const checked = checkWebhookHeaderValues(read.id, read.timestamp, read.signature, settings.toleranceSeconds);
      // node:crypto where the runtime has it; Web Crypto elsewhere (a Worker without nodejs_compat).
      const verified = verifyStepAnywhere(started, rawBody, checked, secrets);
      if (!(verified instanceof Promise)) return processDelivery(this, verified.body, webhookContext(verified, settings, started), settings, started, true);
      return verified.then((delivery) => processDelivery(this, delivery.body, webhookContext(delivery, settings, started), settings, started, true), (error: unknown) => {
        started.fail(error);
        throw error;
      });
    } catch (error) {
      observation?.fail(error);
      return Promise.reject(error);
    }
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
  receive(body: EventBody, context: DeliveryContext = {}): Promise<HandleResult> {
    try {
      const settings = settingsFor(this);
      if (settings.lifecycle.closing) throw new CactusShuttingDownError(this.constructor.name);
      // The middleware observes the delivery from its start; anything else starts here.
      const attached = attachedObservation(context);
      const queued = context.attempt !== undefined;
      const observation = attached ?? new DeliveryObservation(settings.observability, queued ? "queue" : "direct", context, queued ? "log" : "caller");
      return processDelivery(this, body, context, settings, observation, attached === undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Graceful shutdown: from now on every new delivery is refused (503 `shutting_down`, so Cactus
   * redelivers it elsewhere or later), and the events already running get up to `timeoutMs` to
   * finish. Resolves with how many were still running at the deadline (0: all finished).
   * `shutdownOnSignals` wires it to SIGTERM and SIGINT.
   *
   * @example
   * ```ts
   * process.once("SIGTERM", async () => { await handler.close({ timeoutMs: 10_000 }); server.close(); });
   * ```
   */
  async close(options: { timeoutMs?: number } = {}): Promise<{ readonly unfinished: number }> {
    const state = settingsFor(this).lifecycle;
    state.closing = true;
    if (state.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
        unrefTimer(timer);
        state.idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return { unfinished: state.inFlight };
  }

  /** How many events this receiver is handling right now. */
  get inFlight(): number {
    return settingsFor(this).lifecycle.inFlight;
  }

  /**
   * The dispatch step: runs this receiver's handler(s) for one parsed event, each given the
   * event's context (the second argument of every handler), and says which ran.
   * `CactusHandler` calls exactly one method; `CactusRouter` every matching subscription. Keyed by
   * a symbol so it never clashes with a subclass's own method names.
   */
  abstract [DISPATCH](event: PushedThinEvent, context: CactusEventContext): Dispatched;
}

/** Default deadline of `close()`: 10 s for the events in flight to finish. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

// parse -> claim -> dispatch -> commit, observed by `observation` (ended here when `owned`).
// Synchronous up to the handler: the only promises are the handler's and the few that wait for it.
function processDelivery(receiver: CactusEventReceiver, body: EventBody, context: DeliveryContext, settings: ReceiverSettings, observation: DeliveryObservation, owned: boolean): Promise<HandleResult> {
  const state = settings.lifecycle;
  if (state.closing) {
    const error = new CactusShuttingDownError(receiver.constructor.name);
    if (owned) observation.fail(error);
    return Promise.reject(error);
  }
  state.inFlight += 1;
  const end = new ReceiverEnd(state, observation, owned);
  try {
    const traced = observation.traced;
    // Parsed by events/ with the client as the source of pull() and fetchRelatedObject().
    const event = traced ? observation.phase("parse", () => parseThinEvent(body, receiver.client)) : parseThinEvent(body, receiver.client);
    observation.identify(event.id, event.type);
    const dispatch = traced
      ? (parsed: PushedThinEvent, transaction?: CactusTransaction, order?: RunnerOrder): Dispatched =>
          observation.phase("handler", () => dispatchedResult(receiver[DISPATCH](parsed, observation.contextOf(parsed, transaction, order))))
      : (parsed: PushedThinEvent, transaction?: CactusTransaction, order?: RunnerOrder): Dispatched => receiver[DISPATCH](parsed, observation.contextOf(parsed, transaction, order));
    return observation.settings.eventContext
      ? observation.run(() => claimDispatchCommit(event, dispatch, settings, context, end))
      : claimDispatchCommit(event, dispatch, settings, context, end);
  } catch (error) {
    return failed(end, error);
  }
}

// Ends a delivery right before its answer settles: out of the in-flight count, and its
// observation ended when this entry owns it (no promise layer of its own).
class ReceiverEnd implements DeliveryEnd {
  // An observation this entry owns was started by the caller's own call (handle, handleWebhook,
  // receive); one attached by the webhook endpoint comes after its body was read.
  readonly inCallersCall: boolean;

  constructor(
    private readonly state: ReceiverLifecycle,
    private readonly observation: DeliveryObservation,
    private readonly owned: boolean,
  ) {
    this.inCallersCall = owned;
  }

  ok(result: HandleResult): HandleResult {
    leave(this.state);
    if (this.owned) this.observation.succeed(result);
    return result;
  }

  fail(error: unknown): never {
    leave(this.state);
    if (this.owned) this.observation.fail(error);
    throw error;
  }
}

// What handleWebhook tells the pipeline about a verified delivery.
function webhookContext(delivery: VerifiedDelivery, settings: ReceiverSettings, observation: DeliveryObservation): DeliveryContext {
  return { deliveryId: delivery.id, handlerTimeoutMs: settings.handlerTimeoutMs, correlationId: observation.correlationId };
}

// One delivery less in flight; the last one wakes close().
function leave(state: ReceiverLifecycle): void {
  state.inFlight -= 1;
  if (state.inFlight === 0 && state.idle.length > 0) for (const wake of state.idle.splice(0)) wake();
}

function settingsFor(receiver: CactusEventReceiver): ReceiverSettings {
  const settings = receiverSettings(receiver);
  // Only reachable if a subclass constructor did not call super(): a programming error.
  if (settings === undefined) throw new CactusConfigError(`${receiver.constructor.name} was not constructed through CactusEventReceiver`);
  return settings;
}
