import { CactusConfigError, CactusError } from "../../errors";
import { WebhookSecrets, type WebhookSecretInput } from "../../signature/secrets";
import type { WireThinEvent } from "../wire-types";
import { DeliveryLog } from "./delivery-log";
import type { AttemptTrigger, DeliveryAttemptRecord, EventSummary } from "./delivery-types";
import { postSigned } from "../../webhooks/post-signed";
import { retryDelayMs } from "./retry-delay";

/** Options of {@link WebhookForwarder}. */
export interface WebhookForwarderOptions {
  /** The endpoint every event is POSTed to, e.g. `http://localhost:3000/webhooks`. */
  readonly url: string;
  /** The endpoint secret(s) to sign with. */
  readonly secret: WebhookSecretInput | WebhookSecrets;
  /** Automatic attempts per event, the first included (replays do not count). Default 5. */
  readonly maxAttempts?: number;
  /** Delay before the first retry, doubling after each (capped at a minute). Default 1000. */
  readonly backoffMs?: number;
  /** Milliseconds to wait for an answer. Default 15000, as Cactus. */
  readonly timeoutMs?: number;
  /** Response body bytes kept per attempt. Default 16384. */
  readonly maxResponseBodyBytes?: number;
  /** Where events and attempts are recorded. Default: a new {@link DeliveryLog}. */
  readonly log?: DeliveryLog;
  /** Called after every attempt (the CLI prints a line). */
  readonly onAttempt?: (event: EventSummary, attempt: DeliveryAttemptRecord) => void;
}

interface EventState {
  automaticAttempts: number;
  attempts: number;
  retry: NodeJS.Timeout | undefined;
  retryAt: string | null;
}

/**
 * Delivers thin events to one endpoint as Cactus does: signed (Standard Webhooks), redelivered
 * with exponential backoff on any non-2xx, a redirect or no answer, a bounded number of times;
 * and again on demand ({@link replay}). Every attempt is recorded in {@link log}.
 *
 * @example
 * ```ts
 * const forwarder = new WebhookForwarder({ url: "http://localhost:3000/webhooks", secret });
 * const stop = forwardEmulatorEvents(emulator, forwarder);
 * emulator.createEvent("order.shipped"); // POSTed, signed, to localhost:3000
 * ```
 */
export class WebhookForwarder {
  /** The endpoint. */
  readonly url: string;
  /** Where events and attempts are recorded. */
  readonly log: DeliveryLog;
  readonly #secrets: WebhookSecrets;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #onAttempt: WebhookForwarderOptions["onAttempt"];
  readonly #states = new Map<string, EventState>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();

  /** @param options endpoint, secret, retry policy */
  constructor(options: WebhookForwarderOptions) {
    this.url = httpUrl(options.url);
    this.#secrets = WebhookSecrets.parse(options.secret); // malformed: an error that never echoes it
    this.#maxAttempts = positive("maxAttempts", options.maxAttempts ?? 5);
    this.#backoffMs = positive("backoffMs", options.backoffMs ?? 1000);
    this.#timeoutMs = positive("timeoutMs", options.timeoutMs ?? 15_000);
    this.#maxBodyBytes = positive("maxResponseBodyBytes", options.maxResponseBodyBytes ?? 16_384);
    this.log = options.log ?? new DeliveryLog();
    this.#onAttempt = options.onAttempt;
  }

  /** Records `thin` and delivers it; resolves after the first attempt (retries run on timers). */
  async forward(thin: WireThinEvent): Promise<DeliveryAttemptRecord> {
    this.#cancelRetry(thin.id);
    this.log.addEvent(thin, "pending");
    this.#states.set(thin.id, { automaticAttempts: 0, attempts: 0, retry: undefined, retryAt: null });
    return this.#attempt(thin.id, "delivery");
  }

  /**
   * A new attempt of a recorded event, freshly signed, now. A success cancels any scheduled
   * retry; a failure leaves the schedule as it was. Throws `forwarder_unknown_event` for an id
   * not in the log.
   */
  async replay(id: string): Promise<DeliveryAttemptRecord> {
    if (!this.log.get(id)) throw new CactusError("forwarder_unknown_event", `No event ${JSON.stringify(id)} in the delivery log (it may have been dropped as the oldest)`);
    if (!this.#states.has(id)) this.#states.set(id, { automaticAttempts: this.#maxAttempts, attempts: this.log.get(id)?.attemptCount ?? 0, retry: undefined, retryAt: null });
    return this.#attempt(id, "replay");
  }

  /** Resolves once no attempt is in flight (scheduled retries are not waited for). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Cancels scheduled retries and aborts attempts in flight. */
  async close(): Promise<void> {
    for (const id of this.#states.keys()) this.#cancelRetry(id);
    this.#closing.abort();
    await this.idle();
  }

  #attempt(id: string, trigger: AttemptTrigger): Promise<DeliveryAttemptRecord> {
    const running = this.#run(id, trigger);
    this.#inFlight.add(running);
    void running.finally(() => this.#inFlight.delete(running)).catch(() => undefined);
    return running;
  }

  async #run(id: string, trigger: AttemptTrigger): Promise<DeliveryAttemptRecord> {
    const state = this.#states.get(id);
    const detail = this.log.get(id);
    if (!state || !detail) throw new CactusError("forwarder_unknown_event", `No event ${JSON.stringify(id)} in the delivery log`);
    state.attempts += 1;
    const number = state.attempts;
    if (trigger !== "replay") state.automaticAttempts += 1;
    const startedAt = new Date().toISOString();
    const result = await postSigned({ url: this.url, id, body: detail.body, secrets: this.#secrets, timeoutMs: this.#timeoutMs, maxBodyBytes: this.#maxBodyBytes, signal: this.#closing.signal });
    let nextRetryAt: string | null = null;
    if (result.succeeded) {
      this.#cancelRetry(id);
    } else if (trigger !== "replay" && state.automaticAttempts < this.#maxAttempts && !this.#closing.signal.aborted) {
      const delay = retryDelayMs(state.automaticAttempts, this.#backoffMs);
      nextRetryAt = new Date(Date.now() + delay).toISOString();
      state.retryAt = nextRetryAt;
      state.retry = setTimeout(() => {
        state.retry = undefined;
        state.retryAt = null;
        void this.#attempt(id, "retry").catch(() => undefined);
      }, delay);
    }
    const pendingRetry = state.retry !== undefined;
    const outcome = result.succeeded ? "delivered" : pendingRetry ? "retrying" : "failed";
    const record: DeliveryAttemptRecord = { attempt: number, trigger, startedAt, ...result, nextRetryAt };
    // A failed replay leaves the event's scheduled retry (and its time) as they were.
    this.log.addAttempt(id, record, outcome, state.retryAt);
    const summary = this.log.get(id);
    if (summary) this.#onAttempt?.(summary, record);
    return record;
  }

  #cancelRetry(id: string): void {
    const state = this.#states.get(id);
    if (state?.retry) {
      clearTimeout(state.retry);
      state.retry = undefined;
      state.retryAt = null;
    }
  }
}

function httpUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return url.toString();
  } catch {
    // reported below
  }
  throw new CactusConfigError(`WebhookForwarder url must be an http(s) URL, got ${JSON.stringify(value)}`);
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new CactusConfigError(`WebhookForwarder ${name} must be an integer >= 1 (got ${value})`);
  return value;
}
