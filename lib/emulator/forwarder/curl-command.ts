import type { RecordedRequest } from "./delivery-types";

/**
 * A shell command (POSIX `sh`) that sends `request` with curl: the method, the URL, every header
 * and the body, each single-quoted so nothing in them is expanded by the shell. The request is
 * what {@link WebhookForwarder.signedRequest} built: its only trace of the secret is the
 * `webhook-signature` header, an HMAC from which the secret cannot be read back.
 *
 * @example
 * ```ts
 * curlCommand({ method: "POST", url: "http://localhost:3000/webhooks", headers: { "webhook-id": "evt_1" }, body: "{}" });
 * // curl -sS -X POST 'http://localhost:3000/webhooks' -H 'webhook-id: evt_1' --data-raw '{}'
 * ```
 */
export function curlCommand(request: RecordedRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`);
  return ["curl", "-sS", "-X", request.method, shellQuote(request.url), ...headers, "--data-raw", shellQuote(request.body)].join(" ");
}

/** `text` as one single-quoted shell word: `'` becomes `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}
