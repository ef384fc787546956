import type { DeliveryContext, HandleResult } from "../delivery/types";
import {
  CactusError,
  CactusHandlerError,
  CactusHandlersError,
  CactusParseError,
  CactusSignatureError,
  CactusValidationError,
  CactusWebhookRequestError,
  describeThrown,
  type WebhookSignatureFailure,
} from "../errors";
import type { CactusTransaction } from "../delivery/transaction";
import type { NewerHandledEvent, RunnerOrder } from "../delivery/delivery-runner";
import { runInEventContext, currentDelivery, type CactusEventContext, type EventContextSource } from "./event-context";
import type { DeliveryOutcome, DeliveryPhase, DeliveryTracker, DeliveryTransport } from "./instrumentation";
import { childLogger, formatConsoleLine, serializeError, type CactusLogFields, type CactusLogger } from "./logger";
import { boundText, escapeControlCharacters, printableLogText } from "./log-text";
import { consoleWarnings, heldBack } from "./warning-limiter";
import { eventTypeLabel, outcomeOfError } from "./outcome";
import type { ObservabilitySettings } from "./settings";

/** What a delivery brings that observation cares about (the fields of a `DeliveryContext`). */
export type ObservedDelivery = Pick<DeliveryContext, "deliveryId" | "attempt" | "maxAttempts" | "retryDelayMs" | "traceparent" | "correlationId">;

/** Where the delivery's errors end up when no logger was configured. */
export type ErrorReporting = "log" | "caller";

type Level = "debug" | "warn" | "error";

const LEVELS: Readonly<Record<DeliveryOutcome, Level>> = {
  handled: "debug",
  duplicate: "debug",
  stale: "debug",
  in_progress: "debug",
  queued: "debug",
  rejected_signature: "warn",
  invalid: "warn",
  rejected_request: "warn",
  handler_failed: "error",
  timeout: "error",
  error: "error",
};

/**
 * One delivery, seen from start to answer: its instrumentation tracker, its log line, its timing,
 * and the event context handlers read with `getEventContext()`. Created by whichever entry the
 * delivery came through first (the middleware, `handleWebhook`, or `receive`) and ended by it.
 */
export class DeliveryObservation implements EventContextSource {
  /** The event id, once known (the verified `webhook-id`, then the parsed event). */
  eventId: string | undefined;
  /** The event type, once parsed. */
  eventType: string | undefined;
  // When it started, for the tracker's and the log line's duration: read only when one may be written.
  private readonly started: number;
  private readonly tracker: DeliveryTracker | undefined;
  private view: EventContextView | undefined;
  private ended = false;

  /**
   * @param settings logger and instrumentation
   * @param transport how the delivery came
   * @param delivery its ids and trace headers
   * @param errors `caller` when the entry rethrows every failure to its caller (`handle`,
   *   `handleWebhook`): then the default console logger stays quiet, the caller decides
   */
  constructor(
    readonly settings: ObservabilitySettings,
    readonly transport: DeliveryTransport,
    readonly delivery: ObservedDelivery,
    private readonly errors: ErrorReporting,
  ) {
    this.eventId = delivery.deliveryId;
    const instrumentation = settings.instrumentation;
    this.started = instrumentation !== undefined || settings.customLogger || errors === "log" ? performance.now() : 0;
    if (instrumentation?.startDelivery !== undefined) {
      this.tracker = guard(() =>
        instrumentation.startDelivery?.({ transport, deliveryId: delivery.deliveryId, attempt: delivery.attempt, traceparent: delivery.traceparent }),
      );
    }
  }

  /** This instrumentation's tracker, the parent of the handler's API calls. */
  get deliveryTracker(): DeliveryTracker | undefined {
    return this.tracker;
  }

  /**
   * Ties this event's lines together: the `x-correlation-id` the delivery brought (or a queue
   * handed on), else the trace id of its `traceparent`, else the event id.
   */
  get correlationId(): string {
    return this.delivery.correlationId ?? traceIdOf(this.delivery.traceparent) ?? this.eventId ?? "unknown";
  }

  /** What to hand on to a queue: this delivery's own span context, else the incoming `traceparent`. */
  outgoingTraceparent(): string | undefined {
    return (this.tracker?.traceparent === undefined ? undefined : guard(() => this.tracker?.traceparent?.())) ?? this.delivery.traceparent;
  }

  /** Whether steps have spans of their own (then run them through {@link phase}; else call them directly). */
  get traced(): boolean {
    return this.tracker?.phase !== undefined;
  }

  /** Runs one step, inside the instrumentation's span for it when there is one. */
  phase<T>(phase: DeliveryPhase, run: () => T): T {
    const tracker = this.tracker;
    return tracker?.phase === undefined ? run() : tracker.phase(phase, run);
  }

  /** The event was parsed. */
  identify(id: string, type: string): void {
    this.eventId = id;
    this.eventType = type;
    const tracker = this.tracker;
    if (tracker?.identify !== undefined) guard(() => tracker.identify?.({ eventId: id, eventType: type, typeLabel: eventTypeLabel(type) }));
  }

  /**
   * Runs `fn` as this delivery: with the `eventContext` option on, `getEventContext()` and the
   * client's API calls see it anywhere in `fn`'s async call tree.
   */
  run<T>(fn: () => T): T {
    return this.settings.eventContext ? runInEventContext(this, fn) : fn();
  }

  /** The context handlers get as their second argument, for `event` (made once per delivery). */
  contextOf(event: { readonly id: string; readonly type: string }, transaction?: CactusTransaction, order?: RunnerOrder): CactusEventContext {
    if (this.view === undefined) this.view = new EventContextView(this, event.id, event.type);
    if (transaction !== undefined) this.view.transaction = transaction;
    if (order !== undefined) {
      this.view.outOfOrder = order.outOfOrder;
      this.view.newerHandled = order.newerHandled;
      this.view.replay = order.replay;
    }
    return this.view;
  }

  /** @inheritdoc */
  eventContext(): CactusEventContext | undefined {
    if (this.view === undefined && this.eventId !== undefined && this.eventType !== undefined) this.view = new EventContextView(this, this.eventId, this.eventType);
    return this.view;
  }

  /**
   * The fields every line about this delivery carries. They come from the request, so each is cut
   * (ids at 200 characters, the type at 100, with an ellipsis); a console line also escapes them.
   */
  fields(): CactusLogFields {
    return {
      eventId: boundOrUndefined(this.eventId, 200),
      eventType: boundOrUndefined(this.eventType, 100),
      deliveryId: boundOrUndefined(this.delivery.deliveryId, 200),
      correlationId: boundText(this.correlationId),
      attempt: this.delivery.attempt,
    };
  }

  /** The delivery was answered 2xx. */
  succeed(result: HandleResult): void {
    if (this.eventType === undefined) this.identify(result.event.id, result.event.type);
    this.finish(result.outcome, undefined, result.handledBy);
  }

  /** The delivery failed with `error`. */
  fail(error: unknown): void {
    // A known type with a wrong shape: the type is known even though nothing was hydrated.
    if (this.eventType === undefined && error instanceof CactusValidationError && error.eventType !== undefined) this.eventType = error.eventType;
    this.finish(outcomeOfError(error), error, undefined);
  }

  private finish(outcome: DeliveryOutcome, error: unknown, handledBy: string | undefined): void {
    if (this.ended) return;
    this.ended = true;
    const tracker = this.tracker;
    const level = LEVELS[outcome];
    // The default logger prints errors only, and a rejected signature (once per cause a minute):
    // nothing else is built, not even the duration.
    if (tracker === undefined && !this.settings.customLogger && (this.errors === "caller" || (level !== "error" && outcome !== "rejected_signature"))) return;
    const durationSeconds = (performance.now() - this.started) / 1000;
    if (tracker !== undefined) {
      guard(() => tracker.end(error === undefined ? { outcome, typeLabel: eventTypeLabel(this.eventType), durationSeconds } : { outcome, typeLabel: eventTypeLabel(this.eventType), durationSeconds, error }));
    }
    if (!this.settings.customLogger) {
      // The default logger prints errors, and a rejected signature as a warning once per cause a
      // minute (a wrong secret would otherwise be silent on the server); nothing else is built.
      if (outcome === "rejected_signature" && this.errors === "log") guard(() => this.warnSignature(error));
      if (level !== "error" || this.errors === "caller") return;
    }
    guard(() => this.log(level, outcome, error, handledBy, durationSeconds));
  }

  private warnSignature(error: unknown): void {
    const code = error instanceof CactusSignatureError ? error.code : undefined;
    const suppressed = consoleWarnings.take(`signature:${code ?? "other"}`);
    if (suppressed === undefined) return;
    const message = `${messageFor("rejected_signature", this.eventType, this.eventId, undefined, error)}: ${code === undefined ? "the delivery's signature did not verify" : SIGNATURE_HINTS[code]}${heldBack(suppressed)}`;
    console.warn(formatConsoleLine({ ...this.fields(), reason: code }, message));
  }

  private log(level: Level, outcome: DeliveryOutcome, error: unknown, handledBy: string | undefined, durationSeconds: number): void {
    const fields: CactusLogFields = { ...this.fields(), outcome, durationMs: Math.round(durationSeconds * 1e5) / 100, ...detailsOf(error) };
    if (handledBy !== undefined && handledBy !== "") fields["handledBy"] = handledBy;
    const retry = error === undefined ? "" : this.retryNote(outcome, fields);
    this.settings.logger[level](fields, messageFor(outcome, this.eventType, this.eventId, handledBy, error) + retry);
  }

  // A queued attempt's failure line says which attempt it was and what happens next, so that one
  // line per attempt tells the whole story (the worker does not log it again).
  private retryNote(outcome: DeliveryOutcome, fields: CactusLogFields): string {
    const { attempt, maxAttempts, retryDelayMs } = this.delivery;
    if (attempt === undefined || maxAttempts === undefined) return "";
    fields["maxAttempts"] = maxAttempts;
    if (outcome === "invalid" || attempt >= maxAttempts || retryDelayMs === undefined) return ` (attempt ${attempt}/${maxAttempts}; no attempt left: now a dead letter)`;
    const at = new Date(Date.now() + retryDelayMs).toISOString();
    fields["nextAttemptAt"] = at;
    return ` (attempt ${attempt}/${maxAttempts}; next attempt in ${formatDelay(retryDelayMs)}, at ${at})`;
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 60_000)} min`;
}

// What to check, per signature failure code (never the secret or the signature expected).
const SIGNATURE_HINTS: Readonly<Record<WebhookSignatureFailure, string>> = {
  no_matching_signature: "no signature matched; if every delivery fails so, check that webhookSecret is this endpoint's signing secret",
  missing_header: "a webhook-id, webhook-timestamp or webhook-signature header is missing: not a Standard Webhooks delivery, or a proxy dropped it",
  malformed_timestamp: "webhook-timestamp is not unix seconds",
  timestamp_too_old: "webhook-timestamp is too old: a replay, or this machine's clock is behind (check NTP)",
  timestamp_too_new: "webhook-timestamp is in the future: this machine's clock is behind or the sender's ahead (check NTP)",
  malformed_secret: "the configured webhookSecret is not a whsec_ secret",
  id_mismatch: "webhook-id is not the body's id",
};

// What a line adds per failure: the reason code, the field paths, or the error with its causes.
// Never the body, a secret or an expected signature: only codes, paths and the errors' own messages.
function detailsOf(error: unknown): CactusLogFields {
  if (error === undefined) return {};
  if (error instanceof CactusSignatureError || error instanceof CactusWebhookRequestError) return { reason: error.code };
  if (error instanceof CactusValidationError) return { reason: error.code, issues: error.issues.map(({ path, rule }) => ({ path, rule })) };
  if (error instanceof CactusParseError) return { reason: error.code };
  return { err: serializeError(error) };
}

function boundOrUndefined(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : boundText(text, max);
}

// Every line's message names the event by what the request said: cut and escaped here, so that
// neither a 1 MB id nor a newline in a type reaches a logger (custom ones included) as it came.
function messageFor(outcome: DeliveryOutcome, rawType: string | undefined, rawId: string | undefined, handledBy: string | undefined, error: unknown): string {
  const type = rawType === undefined ? undefined : printableLogText(rawType, 100);
  const id = rawId === undefined ? undefined : printableLogText(rawId);
  const event = `${type ?? "event"} ${id ?? "(no id)"}`;
  switch (outcome) {
    case "handled":
      return `${event} handled by ${handledBy ?? "?"}`;
    case "duplicate":
      return `${event} already handled; nothing ran`;
    case "stale":
      return `${event} is older than the newest handled event of its object; skipped`;
    case "in_progress":
      return `${event} is being handled by another delivery`;
    case "queued":
      return `${event} queued`;
    case "rejected_signature":
      return `delivery ${id ?? "(no id)"} rejected: ${error instanceof CactusSignatureError ? error.code : "bad signature"}`;
    case "invalid":
      return `${event} rejected: invalid payload`;
    case "rejected_request":
      return `request rejected: ${error instanceof CactusWebhookRequestError ? error.code : "not a delivery"}`;
    case "handler_failed":
      return `${event} handler failed: ${brief(handlerCause(error))}`;
    case "timeout":
      return `${event} handler timed out`;
    case "error":
      return `${event} failed: ${brief(error)}`;
  }
}

// The SDK's own messages are whole sentences of bounded size (what they quote from a request is
// cut where they are built), so they are printed whole: advice cut mid-sentence helps nobody.
// Anything else a handler threw is cut at 200 characters, and says so.
// Either way control characters are escaped: the message is one line.
function brief(error: unknown): string {
  const text = describeThrown(error);
  return escapeControlCharacters(error instanceof CactusError && text.length <= MAX_OWN_MESSAGE ? text : boundText(text, 200));
}

const MAX_OWN_MESSAGE = 2_000;

// The handler's own error says more than the wrapper's "Handler for ... failed: <it>".
function handlerCause(error: unknown): unknown {
  return error instanceof CactusHandlerError && !(error instanceof CactusHandlersError) && error.cause !== undefined ? error.cause : error;
}

class EventContextView implements CactusEventContext {
  private bound: CactusLogger | undefined;
  /** Set by a transactional event store for the handler's run. */
  transaction: CactusTransaction | undefined = undefined;
  /** Set by the event store: the event is older than the newest handled one of its object. */
  outOfOrder: boolean | undefined = undefined;
  /** Set by the event store with `outOfOrder`. */
  newerHandled: NewerHandledEvent | undefined = undefined;
  /** Set by the event store for a replay. */
  replay: boolean | undefined = undefined;

  constructor(
    private readonly observation: DeliveryObservation,
    readonly eventId: string,
    readonly eventType: string,
  ) {}

  get deliveryId(): string | undefined {
    return this.observation.delivery.deliveryId;
  }

  get attempt(): number {
    return this.observation.delivery.attempt ?? 1;
  }

  get correlationId(): string {
    return this.observation.correlationId;
  }

  get logger(): CactusLogger {
    if (this.bound === undefined) {
      const fields = Object.fromEntries(Object.entries(this.observation.fields()).filter(([, value]) => value !== undefined));
      this.bound = childLogger(this.observation.settings.logger, fields);
    }
    return this.bound;
  }
}

// Observation must never change an answer: a logger or hook that throws is ignored.
function guard<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** The trace id of a W3C `traceparent`, or `undefined`. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  if (traceparent === undefined) return undefined;
  const traceId = traceparent.split("-")[1];
  return traceId !== undefined && /^[0-9a-f]{32}$/.test(traceId) && !/^0+$/.test(traceId) ? traceId : undefined;
}

/**
 * The key under which an entry hands its observation on in a `DeliveryContext` it built itself
 * (a field of the object literal: no lookup table per delivery).
 */
export const OBSERVATION: unique symbol = Symbol("cactus.observation");

/** Marks `context` as belonging to `observation`, so the receiver continues it instead of starting another. */
export function attachObservation(context: object, observation: DeliveryObservation): void {
  Object.defineProperty(context, OBSERVATION, { value: observation, enumerable: false, configurable: true, writable: true });
}

/** The observation an entry attached to `context`, if any. */
export function attachedObservation(context: object): DeliveryObservation | undefined {
  const attached: unknown = Reflect.get(context, OBSERVATION);
  return attached instanceof DeliveryObservation ? attached : undefined;
}

/** The delivery running now (inside a handler), if any. */
export function currentObservation(): DeliveryObservation | undefined {
  const current = currentDelivery();
  return current instanceof DeliveryObservation ? current : undefined;
}
