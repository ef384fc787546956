import { describeFetchError } from "../client/fetch-errors";
import { signWebhook } from "../signature/sign";
import type { WebhookSecrets } from "../signature/secrets";

/** The request of one attempt, as sent: the signed headers (never the secret) and the body. */
export interface RecordedRequest {
  /** Always `POST`. */
  readonly method: "POST";
  /** The endpoint. */
  readonly url: string;
  /** Every header sent, `webhook-signature` included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The thin event JSON, byte for byte. */
  readonly body: string;
}

/** The endpoint's answer to one attempt. */
export interface RecordedResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text, cut at the forwarder's limit. */
  readonly body: string;
  /** Whether {@link body} was cut. */
  readonly bodyTruncated: boolean;
}

/** What {@link postSigned} sends. */
export interface PostSignedInput {
  /** The endpoint. */
  readonly url: string;
  /** The event id (`webhook-id`). */
  readonly id: string;
  /** The thin event JSON. */
  readonly body: string;
  /** The endpoint secret(s), already parsed. */
  readonly secrets: WebhookSecrets;
  /** Milliseconds to wait for the whole answer. */
  readonly timeoutMs: number;
  /** Response body bytes kept; the rest is read and dropped. */
  readonly maxBodyBytes: number;
  /** Aborts the attempt (the forwarder is closing). */
  readonly signal?: AbortSignal | undefined;
}

/** The outcome of one {@link postSigned}. */
export interface PostSignedResult {
  /** What was sent. */
  readonly request: RecordedRequest;
  /** What came back, or `null`. */
  readonly response: RecordedResponse | null;
  /** Why it failed beyond the status (network error, timeout, redirect), or `null`. */
  readonly error: string | null;
  /** Whether it got a 2xx. */
  readonly succeeded: boolean;
  /** Milliseconds from sending to the end of the answer. */
  readonly latencyMs: number;
}

const USER_AGENT = "cactus-sdk-listen";

/**
 * One signed POST, signed afresh now, as Cactus delivers (what `deliverWebhook` and the `cactus listen`
 * forwarder both send): a 2xx is success; a redirect is not
 * followed and counts as a failure; no complete answer within `timeoutMs` is a failure.
 */
export async function postSigned(input: PostSignedInput): Promise<PostSignedResult> {
  const headers = { ...signWebhook({ id: input.id, body: input.body, webhookSecret: input.secrets }), "user-agent": USER_AGENT };
  const request: RecordedRequest = { method: "POST", url: input.url, headers, body: input.body };
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([timeout, input.signal]) : timeout;
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let status: number | undefined;
  try {
    const answer = await fetch(input.url, { method: "POST", headers, body: input.body, redirect: "manual", signal });
    status = answer.status;
    const { text, truncated } = await readLimited(answer, input.maxBodyBytes);
    const response: RecordedResponse = { status: answer.status, headers: headersOf(answer.headers), body: text, bodyTruncated: truncated };
    const succeeded = answer.status >= 200 && answer.status < 300;
    const error = answer.status >= 300 && answer.status < 400 ? `redirect to ${answer.headers.get("location") ?? "(no location)"} not followed: a 3xx counts as a failure` : null;
    return { request, response, error, succeeded, latencyMs: elapsed() };
  } catch (cause) {
    const error = timeout.aborted ? `no complete answer within ${input.timeoutMs} ms` : describeFetchError(cause);
    const partial: RecordedResponse | null = status === undefined ? null : { status, headers: {}, body: "", bodyTruncated: true };
    return { request, response: partial, error, succeeded: false, latencyMs: elapsed() };
  }
}

async function readLimited(answer: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!answer.body) return { text: "", truncated: false };
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let truncated = false;
  // Read to the end (the latency is the whole answer's), keeping only the first maxBytes.
  const reader = answer.body.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    const room = maxBytes - kept;
    if (chunk.byteLength > room) truncated = true;
    if (room > 0) {
      const part = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
      chunks.push(part);
      kept += part.byteLength;
    }
  }
  const bytes = new Uint8Array(kept);
  let at = 0;
  for (const part of chunks) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  // Not fatal: a cut or invalid sequence becomes U+FFFD, as the recorded text should.
  return { text: new TextDecoder("utf-8").decode(bytes), truncated };
}

function headersOf(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

// fetch says "fetch failed"; the useful part (ECONNREFUSED, ...) is in the cause. Read by shape:
// undici's errors may come from another realm.

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null && name in value ? Reflect.get(value, name) : undefined;
}
