import { CactusError } from "./cactus-error";

/**
 * A synchronous function that needs `node:crypto` was called on a runtime without it (Cloudflare
 * Workers without `nodejs_compat`, a browser, a plain edge runtime). The message names the async
 * twin that works there on Web Crypto.
 *
 * @example
 * ```ts
 * // On a Worker without nodejs_compat:
 * verifyWebhook(body, headers, secret); // throws CactusRuntimeError: ... use verifyWebhookAsync()
 * await verifyWebhookAsync(body, headers, secret); // works
 * ```
 */
export class CactusRuntimeError extends CactusError {
  declare readonly code: "runtime_unsupported";

  /** @param message what is missing and what to call instead */
  constructor(message: string) {
    super("runtime_unsupported", message);
  }
}
