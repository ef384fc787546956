import { CactusConfigError } from "../errors";
import { DEFAULT_LEASE_MS, type IdempotencyStore } from "../delivery/idempotency-store";
import { deliveryRunnerOf, type EventOrdering, type StaleEventPolicy } from "../delivery/delivery-runner";
import { WebhookSecrets, type WebhookSecretInput } from "../signature/secrets";
import { checkTolerance, type VerifyWebhookOptions } from "../signature/verify";
import type { CactusErrorReporter } from "../delivery/types";
import { loggingErrorReporter } from "../observability/error-reporter";
import { resolveObservability, type ObservabilityOptions, type ObservabilitySettings } from "../observability/settings";

/** Default `handlerTimeoutMs`: 10 s, under the 15 s Cactus waits for an answer. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;

/**
 * Options of every receiver (`CactusHandler` subclasses, `CactusRouter`): how deliveries are
 * verified, deduplicated and timed. The webhook middleware takes the same names.
 *
 * @example
 * ```ts
 * new MyHandler(client, {
 *   webhookSecret: process.env.CACTUS_WEBHOOK_SECRET!,
 *   idempotency: new MemoryIdempotencyStore(),
 * });
 * ```
 */
export interface CactusReceiverOptions extends ObservabilityOptions {
  /** The endpoint secret `whsec_...`, or several during a rotation. Checked at construction. */
  webhookSecret?: WebhookSecretInput | WebhookSecrets;
  /** Signature timestamp tolerance in seconds, both directions. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /**
   * Where handled event ids are remembered, so a redelivered event runs nothing (answers 200
   * `duplicate`) and one being handled answers 409 `in_progress`. Default: none (every delivery runs).
   */
  idempotency?: IdempotencyStore;
  /** How long a claim holds an event before another delivery may take it, in ms. Default 60000. */
  leaseMs?: number;
  /**
   * For `handleWebhook` and the middleware: past this many milliseconds the delivery is answered 503
   * `handler_timeout` (Cactus redelivers); the handler keeps running and a later failure goes to
   * `onError`. Default 10000 (Cactus waits 15 s).
   */
  handlerTimeoutMs?: number;
  /**
   * Failures no answer carries: a handler that failed after its delivery timed out, a store that
   * could not record a success. Default: an `error` line on `logger` (by default `console.error`)
   * with the stack and cause.
   */
  onError?: CactusErrorReporter;
  /**
   * `"per-object"`: no two events of the same related object run at the same time, across
   * processes and machines (events of different objects still run in parallel; events without a
   * related object are not serialised). Needs the event store (`PostgresEventStore` from
   * `cactus-sdk/postgres`) as `idempotency`. Default `"none"`.
   */
  ordering?: EventOrdering;
  /**
   * What happens to an event older than the newest handled event of its related object (it
   * arrived late): `"deliver"` (the default: it runs with `context.outOfOrder` true and
   * `context.newerHandled`) or `"skip"` (recorded `stale`, answered 200 `{"ok":true,"stale":true}`,
   * nothing runs). One policy for every type, or one per type (`{ "order.shipped": "skip" }`, with
   * `"*"` for the rest). Kept by the event store.
   */
  stale?: StaleEventPolicy | { readonly [type: string]: StaleEventPolicy };
  /**
   * Whether the webhook middleware's 5xx answers carry `error.detail`: the failure's cause chain as
   * one short line, e.g. `Cactus API GET /v1/movies/mov_789 answered 500: ...` (never a stack;
   * anything key-like redacted; at most 300 characters), which `cactus listen` and its dashboard
   * show. Default: on unless `NODE_ENV=production`. The middleware's own `errorDetail` wins.
   */
  errorDetail?: boolean;
}

/** The options, checked once and with defaults. */
export interface ReceiverSettings {
  /** The parsed secret(s), if configured. */
  readonly secrets: WebhookSecrets | undefined;
  /** Timestamp tolerance, seconds. */
  readonly toleranceSeconds: number;
  /** The same, as the options of `checkWebhookHeaders` (built once). */
  readonly headerOptions: VerifyWebhookOptions;
  /** The idempotency store, if any. */
  readonly idempotency: IdempotencyStore | undefined;
  /** Claim lease, ms. */
  readonly leaseMs: number;
  /** Handler timeout for webhook deliveries, ms. */
  readonly handlerTimeoutMs: number;
  /** Where late failures go. */
  readonly onError: CactusErrorReporter;
  /** The logger and instrumentation. */
  readonly observability: ObservabilitySettings;
  /** `ordering`. */
  readonly ordering: EventOrdering;
  /** The stale policy of one event type. */
  readonly staleFor: (type: string) => StaleEventPolicy;
  /** `errorDetail`, when given. */
  readonly errorDetail: boolean | undefined;
  /** The receiver's deliveries in flight and whether it is closing (one per receiver). */
  readonly lifecycle: ReceiverLifecycle;
}

/** A receiver's state for `close()`: closing, how many deliveries are in flight, who waits for none. */
export interface ReceiverLifecycle {
  closing: boolean;
  inFlight: number;
  readonly idle: (() => void)[];
}

// A WeakMap, not fields: the secrets stay out of logs and JSON, and the class stays structurally
// typed (private fields would break `Omit<CactusHandler, ...>` in ExhaustiveCactusHandler).
const settingsOf = new WeakMap<object, ReceiverSettings>();

/** Records the settings `receiver` was built with. */
export function rememberReceiverSettings(receiver: object, settings: ReceiverSettings): void {
  settingsOf.set(receiver, settings);
}

/**
 * The settings a receiver was built with, for the middleware (which falls back to the receiver's
 * `webhookSecret`, `toleranceSeconds` and `handlerTimeoutMs`). `undefined` for other receivers.
 */
export function receiverSettings(receiver: object): ReceiverSettings | undefined {
  return settingsOf.get(receiver);
}

/** Checks every receiver option once, at construction: a bad secret or number throws here. */
export function resolveReceiverOptions(options: CactusReceiverOptions, what: string): ReceiverSettings {
  if (typeof options !== "object" || options === null) throw new CactusConfigError(`${what} options must be an object`);
  const store = options.idempotency;
  if (store !== undefined && !isStore(store)) {
    throw new CactusConfigError(`${what} idempotency must be an IdempotencyStore (claim, commit, release), e.g. new MemoryIdempotencyStore()`);
  }
  const observability = resolveObservability(options, what);
  const toleranceSeconds = checkTolerance(options.toleranceSeconds);
  return {
    secrets: options.webhookSecret === undefined ? undefined : WebhookSecrets.parse(options.webhookSecret),
    toleranceSeconds,
    headerOptions: { toleranceSeconds },
    idempotency: store,
    leaseMs: positiveInteger(what, "leaseMs", options.leaseMs ?? DEFAULT_LEASE_MS),
    handlerTimeoutMs: positiveInteger(what, "handlerTimeoutMs", options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS),
    onError: options.onError ?? loggingErrorReporter(observability),
    observability,
    ordering: orderingOf(options.ordering, store, what),
    staleFor: stalePolicies(options.stale, what),
    errorDetail: booleanOption(what, "errorDetail", options.errorDetail),
    lifecycle: { closing: false, inFlight: 0, idle: [] },
  };
}

function orderingOf(ordering: unknown, store: IdempotencyStore | undefined, what: string): EventOrdering {
  if (ordering === undefined || ordering === "none") return "none";
  if (ordering !== "per-object") throw new CactusConfigError(`${what} ordering must be "none" or "per-object", got ${JSON.stringify(ordering)}`);
  // A queue worker may bring the store later (queue.work(handler, { idempotency: store })); a store given here must be able to keep it.
  if (store !== undefined && deliveryRunnerOf(store) === undefined) {
    throw new CactusConfigError(`${what} ordering: "per-object" needs the event store as idempotency (new PostgresEventStore({ db }) from cactus-sdk/postgres); ${store.constructor.name} cannot keep events of one object apart across processes`);
  }
  return "per-object";
}

function isPolicy(value: unknown): value is StaleEventPolicy {
  return value === "deliver" || value === "skip";
}

function stalePolicies(stale: unknown, what: string): (type: string) => StaleEventPolicy {
  if (stale === undefined) return () => "deliver";
  if (isPolicy(stale)) return () => stale;
  if (typeof stale !== "object" || stale === null || Array.isArray(stale)) throw new CactusConfigError(`${what} stale must be "deliver", "skip" or { [eventType]: "deliver" | "skip" }`);
  const policies = new Map<string, StaleEventPolicy>();
  for (const [type, policy] of Object.entries(stale)) {
    if (!isPolicy(policy)) throw new CactusConfigError(`${what} stale[${JSON.stringify(type)}] must be "deliver" or "skip", got ${JSON.stringify(policy)}`);
    policies.set(type, policy);
  }
  const fallback = policies.get("*") ?? "deliver";
  return (type) => policies.get(type) ?? fallback;
}

/** Checks that `value` is an integer > 0, naming the option otherwise. */
export function positiveInteger(what: string, name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new CactusConfigError(`${what} ${name} must be an integer > 0, got ${String(value)}`);
  return value;
}

function isStore(value: unknown): value is IdempotencyStore {
  return typeof value === "object" && value !== null && ["claim", "commit", "release"].every((name) => typeof Reflect.get(value, name) === "function");
}

function booleanOption(what: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new CactusConfigError(`${what} ${name} must be true or false, got ${JSON.stringify(value)}`);
}
