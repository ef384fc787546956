import { CactusConfigError } from "../errors";
import { parseErrorBody } from "../client/api-errors";
import { backoffCeilingMs } from "../client/backoff";
import { secretOfOption, WebhookSecrets, type WebhookSecretOption } from "../signature/secrets";
import { postSigned } from "./post-signed";

/** One delivery attempt, as {@link deliverWebhook} reports it. */
export interface DeliveryAttempt {
  /** 1 for the first delivery, 2 for the first redelivery, ... */
  readonly attempt: number;
  /** HTTP status of the answer, or `undefined` when none came (connection error, timeout). */
  readonly status: number | undefined;
  /**
   * `error.type` of a JSON error answer, `redirect to <location>` for a 3xx, or the network
   * error (`ECONNREFUSED`, `timed out`, ...).
   */
  readonly detail: string | undefined;
  /** Milliseconds until the next attempt, or `undefined` when this was the last one. */
  readonly nextDelayMs: number | undefined;
  /** How long the attempt took, from sending the request to the end of the answer (or the failure), in milliseconds. */
  readonly durationMs: number;
}

/** Options of {@link deliverWebhook}: these settings and the secret to sign with (`webhookSecret`). */
export type DeliverWebhookOptions = DeliverWebhookSettings & WebhookSecretOption;

/** The settings of {@link DeliverWebhookOptions} besides the secret. */
export interface DeliverWebhookSettings {
  /** The endpoint to POST to. */
  readonly url: string;
  /** The event id (`webhook-id`); must equal the body's `id`. */
  readonly id: string;
  /** The thin event JSON, sent byte for byte. */
  readonly body: string;
  /** Attempts in all, the first included. Default 5. */
  readonly maxAttempts?: number;
  /**
   * Delay before the first redelivery, in milliseconds; it doubles at each attempt (capped at
   * 1 hour), as Cactus redelivers. Default 1000.
   */
  readonly backoffMs?: number;
  /** Per-attempt timeout in milliseconds. Default 15000 (an endpoint slower than that has failed). */
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
 * Delivers a thin event as Cactus does: POST with Standard Webhooks headers, signed afresh at
 * each attempt, redelivered with exponential backoff on anything but a 2xx (an error status, a
 * redirect, a network error or a timeout), up to `maxAttempts`. A redirect is not followed: Cactus
 * counts it as a failed delivery, so an endpoint that moved must be updated, not forwarded.
 * For tests of your endpoint, and `cactus trigger`.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: "evt_1", type: "order.lost" });
 * const { delivered } = await deliverWebhook({ url: "http://127.0.0.1:3000/webhooks", id: "evt_1", body, webhookSecret });
 * ```
 */
export async function deliverWebhook(options: DeliverWebhookOptions): Promise<DeliveryResult> {
  const secret = secretOfOption(options);
  if (secret === undefined) throw new CactusConfigError("deliverWebhook needs a webhookSecret (the endpoint's whsec_... secret)");
  const secrets = WebhookSecrets.parse(secret);
  const maxAttempts = positiveInteger("maxAttempts", options.maxAttempts ?? 5);
  const backoff = { baseDelayMs: positiveInteger("backoffMs", options.backoffMs ?? 1000), maxDelayMs: MAX_DELAY_MS };
  const timeoutMs = positiveInteger("timeoutMs", options.timeoutMs ?? 15_000);
  const attempts: DeliveryAttempt[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const started = performance.now();
    const { status, detail } = await postOnce(options, secrets, timeoutMs);
    const durationMs = performance.now() - started;
    const delivered = status !== undefined && status >= 200 && status < 300;
    const nextDelayMs = delivered || attempt === maxAttempts ? undefined : backoffCeilingMs(attempt - 1, backoff);
    const report: DeliveryAttempt = { attempt, status, detail, nextDelayMs, durationMs };
    attempts.push(report);
    options.onAttempt?.(report);
    if (delivered) return { delivered: true, attempts };
    if (nextDelayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, nextDelayMs));
  }
  return { delivered: false, attempts };
}

// One attempt through the same signed POST the forwarder sends (the answer read up to 64 KiB).
async function postOnce(options: DeliverWebhookOptions, secrets: WebhookSecrets, timeoutMs: number): Promise<{ status: number | undefined; detail: string | undefined }> {
  const { response, error } = await postSigned({ url: options.url, id: options.id, body: options.body, secrets, timeoutMs, maxBodyBytes: MAX_ANSWER_BYTES });
  if (response === null) return { status: undefined, detail: error ?? undefined };
  if (response.status >= 300 && response.status < 400) return { status: response.status, detail: `redirect to ${response.headers["location"] ?? "(no location)"}` };
  return { status: response.status, detail: parseErrorBody(response.body).type };
}

const MAX_ANSWER_BYTES = 64 * 1024;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new CactusConfigError(`deliverWebhook ${name} must be an integer > 0, got ${String(value)}`);
  return value;
}
