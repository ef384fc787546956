import { CactusConfigError, CactusError } from "../../errors";
import { WebhookSecrets, type WebhookSecretInput } from "../../signature/secrets";
import type { WireThinEvent } from "../wire-types";
import { DeliveryLog } from "./delivery-log";
import type { AttemptTrigger, DeliveryAttemptRecord, EventSummary } from "./delivery-types";
import { postSigned, type RecordedRequest } from "../../webhooks/post-signed";
import { signWebhook } from "../../signature/sign";
import { retryDelayMs } from "./retry-delay";

/** Default {@link WebhookForwarderOptions.concurrency}: attempts sent at once. */
export const DEFAULT_FORWARDER_CONCURRENCY = 10;

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
  /** Response body bytes kept per attempt (the rest is read and dropped). Default 16384. */
  readonly maxResponseBodyBytes?: number;
  /**
   * Attempts (first deliveries and retries) sent at once; the others wait their turn, oldest
   * first, so a burst of events never opens a connection each. Replays asked for by hand do not
   * wait. Default 10 ({@link DEFAULT_FORWARDER_CONCURRENCY}).
   */
  readonly concurrency?: number;
  /** Where events and attempts are recorded. Default: a new {@link DeliveryLog}. */
  readonly log?: DeliveryLog;
  /** Called after every attempt (the CLI prints a line). */
  readonly onAttempt?: (event: EventSummary, attempt: DeliveryAttemptRecord) => void;
}

/** What a {@link WebhookForwarder} is doing now. */
export interface WebhookForwarderStats {
  /** Attempts sent and not answered yet (at most `concurrency`, plus replays). */
  readonly inFlight: number;
  /** Attempts waiting for a free slot. */
  readonly queued: number;
  /** Events waiting for a scheduled retry. */
  readonly retrying: number;
  /**
   * Events the forwarder keeps delivery state for: those in its log, and those the log dropped
   * while they waited for their first attempt (forgotten once it is made).
   */
  readonly tracked: number;
}

interface EventState {
  /** The thin event JSON (the log's own string). */
  readonly body: string;
  /** Its summary when it was forwarded: what `onAttempt` gets once the log dropped it. */
  readonly summary: EventSummary;
  /** The log dropped it before its first attempt: that attempt is still sent, then it is forgotten. */
  dropped: boolean;
  automaticAttempts: number;
  attempts: number;
  retry: NodeJS.Timeout | undefined;
  retryAt: string | null;
}

/**
 * Delivers thin events to one endpoint as Cactus does: signed (Standard Webhooks), redelivered
 * with exponential backoff on any non-2xx, a redirect or no answer, a bounded number of times;
 * and again on demand ({@link replay}). At most `concurrency` attempts are in flight; the rest
 * wait in order. Every attempt is recorded in {@link log}; what the log drops (to stay within its
 * event and byte limits) the forwarder forgets too, its scheduled retry included.
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
  readonly #concurrency: number;
  readonly #onAttempt: WebhookForwarderOptions["onAttempt"];
  readonly #states = new Map<string, EventState>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();
  readonly #stopDropping: () => void;
  // Slots: #active attempts hold one; the others wait in #waiting (a queue read from #waitingHead).
  #active = 0;
  #waiting: Array<(() => void) | undefined> = [];
  #waitingHead = 0;
  #sending = 0;

  /** @param options endpoint, secret, retry policy */
  constructor(options: WebhookForwarderOptions) {
    this.url = httpUrl(options.url);
    this.#secrets = WebhookSecrets.parse(options.secret); // malformed: an error that never echoes it
    this.#maxAttempts = positive("maxAttempts", options.maxAttempts ?? 5);
    this.#backoffMs = positive("backoffMs", options.backoffMs ?? 1000);
    this.#timeoutMs = positive("timeoutMs", options.timeoutMs ?? 15_000);
    this.#maxBodyBytes = positive("maxResponseBodyBytes", options.maxResponseBodyBytes ?? 16_384);
    this.#concurrency = positive("concurrency", options.concurrency ?? DEFAULT_FORWARDER_CONCURRENCY);
    this.log = options.log ?? new DeliveryLog();
    this.#onAttempt = options.onAttempt;
    // An event the log dropped is forgotten (its retry too), except one still waiting for its
    // first attempt: a burst larger than the log is still delivered, once each.
    this.#stopDropping = this.log.onDrop((id) => {
      this.#cancelRetry(id);
      const state = this.#states.get(id);
      if (state !== undefined && state.attempts === 0) state.dropped = true;
      else this.#states.delete(id);
    });
  }

  /** Attempts sent at once at most (replays aside). */
  get concurrency(): number {
    return this.#concurrency;
  }

  /** What it is doing now: attempts in flight and queued, retries scheduled, events tracked. */
  get stats(): WebhookForwarderStats {
    let retrying = 0;
    for (const state of this.#states.values()) if (state.retry !== undefined) retrying += 1;
    return { inFlight: this.#sending, queued: this.#waiting.length - this.#waitingHead, retrying, tracked: this.#states.size };
  }

  /** Records `thin` and delivers it; resolves after the first attempt (retries run on timers). */
  async forward(thin: WireThinEvent): Promise<DeliveryAttemptRecord> {
    this.#cancelRetry(thin.id);
    const summary = this.log.addEvent(thin, "pending");
    const body = this.log.get(thin.id)?.body ?? JSON.stringify(thin);
    this.#states.set(thin.id, { body, summary, dropped: false, automaticAttempts: 0, attempts: 0, retry: undefined, retryAt: null });
    return this.#attempt(thin.id, "delivery");
  }

  /**
   * A new attempt of a recorded event, freshly signed, now. A success cancels any scheduled
   * retry; a failure leaves the schedule as it was. Throws `forwarder_unknown_event` for an id
   * not in the log. With `options.body` (Replay with edits), that body is signed and sent instead
   * of the event's own, once: the attempt is marked `edited`, and later retries and replays send
   * the event's own body again.
   */
  async replay(id: string, options: ReplayOptions = {}): Promise<DeliveryAttemptRecord> {
    const detail = this.log.get(id);
    if (!detail) throw new CactusError("forwarder_unknown_event", `No event ${JSON.stringify(id)} in the delivery log (it may have been dropped as the oldest)`);
    if (!this.#states.has(id)) {
      const { body, attempts: _attempts, ...summary } = detail;
      this.#states.set(id, { body, summary, dropped: false, automaticAttempts: this.#maxAttempts, attempts: detail.attemptCount, retry: undefined, retryAt: null });
    }
    if (options.body !== undefined && typeof options.body !== "string") throw new CactusConfigError("WebhookForwarder.replay body must be a string");
    return this.#attempt(id, "replay", options.body);
  }

  /**
   * The request an attempt of event `id` would send now, signed now (a fresh `webhook-timestamp`),
   * without sending it: for "Copy as curl". With `body`, that body is signed instead of the
   * event's own. The secret is only in the signature. Throws `forwarder_unknown_event` for an id
   * not in the log.
   */
  signedRequest(id: string, body?: string): RecordedRequest {
    const detail = this.log.get(id);
    if (!detail) throw new CactusError("forwarder_unknown_event", `No event ${JSON.stringify(id)} in the delivery log (it may have been dropped as the oldest)`);
    const sent = body ?? detail.body;
    const headers = { ...signWebhook({ id, body: sent, webhookSecret: this.#secrets }) };
    return { method: "POST", url: this.url, headers, body: sent };
  }

  /** Resolves once no attempt is in flight or queued (scheduled retries are not waited for). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Cancels scheduled retries, aborts attempts in flight and refuses queued ones (`forwarder_closed`). */
  async close(): Promise<void> {
    for (const id of this.#states.keys()) this.#cancelRetry(id);
    this.#closing.abort();
    this.#stopDropping();
    await this.idle();
  }

  #attempt(id: string, trigger: AttemptTrigger, editedBody?: string): Promise<DeliveryAttemptRecord> {
    const running = trigger === "replay" ? this.#run(id, trigger, editedBody) : this.#inTurn(id, trigger);
    this.#inFlight.add(running);
    void running.finally(() => this.#inFlight.delete(running)).catch(() => undefined);
    return running;
  }

  // Takes a free slot, or waits for one in order; a finished attempt hands its slot to the next.
  async #inTurn(id: string, trigger: AttemptTrigger): Promise<DeliveryAttemptRecord> {
    if (this.#active < this.#concurrency) this.#active += 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      if (this.#closing.signal.aborted) throw new CactusError("forwarder_closed", `The forwarder closed before event ${JSON.stringify(id.slice(0, 200))} was sent`);
      return await this.#run(id, trigger);
    } finally {
      const next = this.#nextWaiting();
      if (next) next();
      else this.#active -= 1;
    }
  }

  #nextWaiting(): (() => void) | undefined {
    if (this.#waitingHead >= this.#waiting.length) return undefined;
    const next = this.#waiting[this.#waitingHead];
    this.#waiting[this.#waitingHead] = undefined;
    this.#waitingHead += 1;
    // Compact now and then, so the queue's array does not keep every slot it ever had.
    if (this.#waitingHead === this.#waiting.length) {
      this.#waiting = [];
      this.#waitingHead = 0;
    } else if (this.#waitingHead >= 1024 && this.#waitingHead * 2 >= this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#waitingHead);
      this.#waitingHead = 0;
    }
    return next;
  }

  async #run(id: string, trigger: AttemptTrigger, editedBody?: string): Promise<DeliveryAttemptRecord> {
    const state = this.#states.get(id);
    if (!state) throw new CactusError("forwarder_unknown_event", `No event ${JSON.stringify(id)} in the delivery log`);
    state.attempts += 1;
    const number = state.attempts;
    if (trigger !== "replay") state.automaticAttempts += 1;
    const startedAt = new Date().toISOString();
    this.#sending += 1;
    let result: Awaited<ReturnType<typeof postSigned>>;
    try {
      result = await postSigned({ url: this.url, id, body: editedBody ?? state.body, secrets: this.#secrets, timeoutMs: this.#timeoutMs, maxBodyBytes: this.#maxBodyBytes, signal: this.#closing.signal });
    } finally {
      this.#sending -= 1;
    }
    // Dropped from the log (or forwarded anew) meanwhile: nothing to schedule for this state.
    const current = this.#states.get(id) === state && !state.dropped;
    if (state.dropped && this.#states.get(id) === state) this.#states.delete(id);
    let nextRetryAt: string | null = null;
    if (result.succeeded) {
      if (current) this.#cancelRetry(id);
    } else if (current && trigger !== "replay" && state.automaticAttempts < this.#maxAttempts && !this.#closing.signal.aborted) {
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
    const detail = result.succeeded ? undefined : answeredDetail(result.response?.body);
    const record: DeliveryAttemptRecord = {
      attempt: number, trigger, startedAt, ...result, nextRetryAt,
      ...(detail === undefined ? {} : { detail }),
      ...(editedBody === undefined ? {} : { edited: true as const }),
    };
    // A failed replay leaves the event's scheduled retry (and its time) as they were.
    this.log.addAttempt(id, record, outcome, state.retryAt);
    const summary = current ? this.log.get(id) : undefined;
    const reported = summary ?? { ...state.summary, outcome, attemptCount: number, lastStatus: record.response?.status ?? null, nextRetryAt: null };
    this.#onAttempt?.(reported, record);
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

/** What {@link WebhookForwarder.replay} takes. */
export interface ReplayOptions {
  /** A body to sign and send instead of the event's own (Replay with edits). */
  readonly body?: string;
}

/** Longest detail kept from an answer, in characters. */
const MAX_DETAIL_LENGTH = 300;

// `error.detail` of the SDK's error body, when the answer is one: read only for failed attempts.
function answeredDetail(body: string | undefined): string | undefined {
  if (body === undefined || !body.startsWith("{")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error: unknown = typeof parsed === "object" && parsed !== null && "error" in parsed ? parsed.error : undefined;
  const detail: unknown = typeof error === "object" && error !== null && "detail" in error ? error.detail : undefined;
  if (typeof detail !== "string" || detail === "") return undefined;
  const line = detail.replace(/\s+/g, " ").trim();
  return line.length <= MAX_DETAIL_LENGTH ? line : `${line.slice(0, MAX_DETAIL_LENGTH - 1)}\u2026`;
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
