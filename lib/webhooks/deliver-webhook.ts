import { CactusConfigError } from "../errors";
import { signWebhook } from "./sign";
import { WebhookSecrets, type WebhookSecretInput } from "./secrets";

/** One delivery attempt, as {@link deliverWebhook} reports it. */
export interface DeliveryAttempt {
  /** 1 for the first delivery, 2 for the first redelivery, ... */
  readonly attempt: number;
  /** HTTP status of the answer, or `undefined` when none came (connection error, timeout). */
  readonly status: number | undefined;
  /** `error.type` of a JSON error answer, or the network error's message. */
  readonly detail: string | undefined;
  /** Milliseconds until the next attempt, or `undefined` when this was the last one. */
  readonly nextDelayMs: number | undefined;
}

/** Options of {@link deliverWebhook}. */
export interface DeliverWebhookOptions {
  /** The endpoint to POST to. */
  readonly url: string;
  /** The event id (`webhook-id`); must equal the body's `id`. */
  readonly id: string;
  /** The thin event JSON, sent byte for byte. */
  readonly body: string;
  /** The endpoint secret(s) to sign with. */
  readonly secret: WebhookSecretInput | WebhookSecrets;
  /** Attempts in all, the first included. Default 5. */
  readonly maxAttempts?: number;
  /** Delay before the first redelivery; doubles each time (capped at 1 hour). Default 1000. */
  readonly backoffMs?: number;
  /** Per-attempt timeout in milliseconds. Default 15000. */
  readonly timeoutMs?: number;
  /** Called after each attempt (the CLI prints it). */
  readonly onAttempt?: (attempt: DeliveryAttempt) => void;
}

/** The outcome of {@link deliverWebhook}. */
export interface DeliveryResult {
  /** Whether an attempt got a 2xx. */
  readonly delivered: boolean;
  /** Every attempt, in order. */
  readonly attempts: readonly DeliveryAttempt[];
}

const MAX_DELAY_MS = 60 * 60 * 1000;

/**
 * Delivers a thin event as Cactus does: POST with Standard Webhooks headers, signed
 * afresh at each attempt, redelivered on any non-2xx or network error with exponential backoff,
 * up to `maxAttempts`. For tests of your endpoint and `cactus trigger`.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: "evt_1", type: "order.lost" });
 * const { delivered } = await deliverWebhook({ url: "http://127.0.0.1:3000/webhooks", id: "evt_1", body, secret });
 * ```
 */
export async function deliverWebhook(options: DeliverWebhookOptions): Promise<DeliveryResult> {
  const secrets = WebhookSecrets.parse(options.secret);
  const maxAttempts = positiveInteger("maxAttempts", options.maxAttempts ?? 5);
  const backoffMs = positiveInteger("backoffMs", options.backoffMs ?? 1000);
  const timeoutMs = positiveInteger("timeoutMs", options.timeoutMs ?? 15_000);
  const attempts: DeliveryAttempt[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { status, detail } = await postOnce(options, secrets, timeoutMs);
    const delivered = status !== undefined && status >= 200 && status < 300;
    const nextDelayMs = delivered || attempt === maxAttempts ? undefined : Math.min(backoffMs * 2 ** (attempt - 1), MAX_DELAY_MS);
    const report: DeliveryAttempt = { attempt, status, detail, nextDelayMs };
    attempts.push(report);
    options.onAttempt?.(report);
    if (delivered) return { delivered: true, attempts };
    if (nextDelayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, nextDelayMs));
  }
  return { delivered: false, attempts };
}

async function postOnce(options: DeliverWebhookOptions, secrets: WebhookSecrets, timeoutMs: number): Promise<{ status: number | undefined; detail: string | undefined }> {
  const headers = signWebhook({ id: options.id, body: options.body, secret: secrets });
  try {
    const response = await fetch(options.url, { method: "POST", headers, body: options.body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, detail: errorType(await response.text()) };
  } catch (error) {
    return { status: undefined, detail: describeNetworkError(error) };
  }
}

function errorType(text: string): string | undefined {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === "object" && json !== null && "error" in json && typeof json.error === "object" && json.error !== null && "type" in json.error && typeof json.error.type === "string") {
      return json.error.type;
    }
  } catch {
    // not JSON: no detail
  }
  return undefined;
}

// fetch says "fetch failed"; the useful part (ECONNREFUSED, timeout) is in the cause. Read by
// shape, not instanceof: undici's errors may come from another realm.
function describeNetworkError(error: unknown): string {
  const cause = field(error, "cause");
  const code = field(cause, "code") ?? field(error, "code");
  if (typeof code === "string") return code;
  if (field(error, "name") === "TimeoutError") return "timed out";
  const message = field(cause, "message") ?? field(error, "message");
  return typeof message === "string" ? message : String(error);
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null && name in value ? Reflect.get(value, name) : undefined;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new CactusConfigError(`deliverWebhook ${name} must be an integer > 0, got ${String(value)}`);
  return value;
}
