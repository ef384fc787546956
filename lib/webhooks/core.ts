import { isJsonContentType } from "./content-type";
import { isCharRun, readDeliveryHeaders, readHeader, trimmedHeader, type WebhookHeaders } from "../signature/headers";
import { trimSlash, type ResolvedWebhookOptions } from "./options";
import type { WebhookRawBody } from "../signature/raw-body";
import { CactusWebhookRequestError } from "../errors";
import { safeReport } from "../pipeline/process-event";
import { deliverTo, type DeliveryContext, type WebhookTarget } from "../delivery/types";
import { errorAnswer, handledAnswer, type WebhookAnswer } from "./status-table";
import { checkWebhookHeaderValues } from "../signature/verify";
import { verifyStepAnywhere, type VerifyStep } from "../pipeline/verify-step";
import { incomingDeliveryOf } from "../observability/incoming";
import { DeliveryObservation, OBSERVATION } from "../observability/observation";

/** How much body to read, and for how long. */
export interface BodyLimits {
  /** Stop reading and fail with 413 past this many bytes. */
  readonly maxBytes: number;
  /** Fail with 408 if the whole body has not arrived by then. */
  readonly timeoutMs: number;
}

/** A request as the runtime-neutral core sees it; each runtime shell (Node, Fetch) builds one. */
export interface WebhookRequest {
  /** HTTP method. */
  readonly method: string;
  /** Request target: a path (`/webhooks?x=1`) or an absolute URL. */
  readonly url: string;
  /** Request headers. */
  readonly headers: WebhookHeaders;
  /**
   * Whether the request is for this endpoint, when the shell knows better than `url` (a framework
   * routed it here); absent: `url` must match the configured path.
   */
  readonly pathMatched?: boolean;
  /**
   * Reads the raw body within `limits`; throws {@link CactusWebhookRequestError} (`payload_too_large`,
   * `body_timeout`, `body_read_failed`, `body_already_parsed`).
   */
  readBody(limits: BodyLimits): Promise<WebhookRawBody>;
}

/** The runtime-neutral webhook endpoint that the Node middleware and the Fetch handler wrap. */
export interface WebhookCore {
  /** Whether `url` is this endpoint's path (always, when no path was configured). */
  matchesPath(url: string): boolean;
  /** Runs every check in table order and answers; never rejects. */
  answer(request: WebhookRequest): Promise<WebhookAnswer>;
}

/**
 * Builds the core. Order: path (404), method (405), content type (415), declared length (413),
 * signature headers and timestamp (401, before any body is read), body (413/408), HMAC (401),
 * JSON and `webhook-id` (400/401), then the receiver: parse (400), claim (200 duplicate / 409),
 * handler (200 / 500 / 503 on timeout). `verify` is the HMAC step: by default synchronous on
 * `node:crypto` where the runtime has it (else Web Crypto); the Fetch handler passes the Web Crypto one.
 */
export function createWebhookCore(receiver: WebhookTarget, options: ResolvedWebhookOptions, verify: VerifyStep = verifyStepAnywhere): WebhookCore {
  const matchesPath = (url: string): boolean => options.path === undefined || trimSlash(pathnameOf(url)) === options.path;
  return {
    matchesPath,
    async answer(request) {
      // With an onError of your own, failures go there; the default console logger then stays quiet.
      // Every delivery header, in one pass over the headers object.
      const read = readDeliveryHeaders(request.headers);
      const observation = new DeliveryObservation(options.observability, "http", incomingDeliveryOf(read.id, read.traceparent, read.correlationId), options.reportAnswers ? "caller" : "log");
      try {
        if (!(request.pathMatched ?? matchesPath(request.url))) throw new CactusWebhookRequestError("not_found", `No webhook endpoint at ${pathnameOf(request.url).slice(0, 200)}`);
        checkRequestLine(request, options);
        const checked = checkWebhookHeaderValues(read.id, read.timestamp, read.signature, options.toleranceSeconds, options.now);
        const raw = await request.readBody({ maxBytes: options.maxBodyBytes, timeoutMs: options.bodyTimeoutMs });
        // The Node middleware verifies synchronously (node:crypto); the Fetch handler on Web Crypto.
        const verified = verify(observation, raw, checked, options.secrets);
        const delivery = verified instanceof Promise ? await verified : verified;
        // A queue receiver stores these fields with the job: its worker continues this trace and correlation id.
        const traceparent = observation.outgoingTraceparent();
        const context: { -readonly [K in keyof DeliveryContext]: DeliveryContext[K] } & { [OBSERVATION]: DeliveryObservation } = {
          deliveryId: delivery.id,
          handlerTimeoutMs: options.handlerTimeoutMs,
          onError: options.onError,
          correlationId: observation.correlationId,
          // The receiver continues this observation instead of starting another.
          [OBSERVATION]: observation,
        };
        if (traceparent !== undefined) context.traceparent = traceparent;
        const result = await deliverTo(receiver, delivery.body, context);
        observation.succeed(result);
        return handledAnswer(result);
      } catch (error) {
        observation.fail(error);
        const answer = errorAnswer(error, options.errorDetail);
        if (options.reportAnswers) reportError(options, error, answer.status);
        return answer;
      }
    },
  };
}

function checkRequestLine(request: WebhookRequest, options: ResolvedWebhookOptions): void {
  if (request.method !== "POST" && request.method.toUpperCase() !== "POST") {
    throw new CactusWebhookRequestError("method_not_allowed", `Webhook deliveries are POST requests, got ${request.method.slice(0, 20)}`);
  }
  if (!isJsonContentType(readHeader(request.headers, "content-type"))) {
    throw new CactusWebhookRequestError("unsupported_media_type", "Webhook deliveries must have content-type application/json (UTF-8)");
  }
  const declared = readHeader(request.headers, "content-length");
  if (declared !== undefined && isCharRun(trimmedHeader(declared) ?? "", Number.POSITIVE_INFINITY, 0x30, 0x39) && Number(declared) > options.maxBodyBytes) {
    throw tooLarge(options.maxBodyBytes);
  }
}

/** The 413 error, shared by the declared-length check and the shells' byte counters. */
export function tooLarge(maxBytes: number): CactusWebhookRequestError {
  return new CactusWebhookRequestError("payload_too_large", `Webhook body is larger than maxBodyBytes (${maxBytes} bytes)`);
}

/** The 408 error, shared by the shells. */
export function bodyTimeout(timeoutMs: number): CactusWebhookRequestError {
  return new CactusWebhookRequestError("body_timeout", `Webhook body did not arrive within bodyTimeoutMs (${timeoutMs} ms)`);
}

const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9_~\-/]*$/;

/** The path of a request target (`/a?b` or an absolute URL), without the query. */
export function pathnameOf(url: string): string {
  // A plain path (no query, escapes, dot segments or leading "//") is its own pathname.
  if (PLAIN_PATH.test(url)) return url;
  try {
    return new URL(url, "http://localhost").pathname;
  } catch {
    return url;
  }
}

// A logging hook that throws must not turn an answer into an unhandled rejection.
function reportError(options: ResolvedWebhookOptions, error: unknown, status: number): void {
  safeReport(options.onError, error, status);
}
